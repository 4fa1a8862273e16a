using System.Globalization;
using System.Text.Json;
using HgCounter.Configuration;
using Microsoft.Extensions.Configuration;

namespace HgCounter.Benchmarks.Capacity;

/// <summary>
/// The agent's configuration as the in-memory keys a host would read from appsettings.json (<c>HgCounter:…</c>), so
/// that any option can be passed through from the command line (<c>--set HgCounter:Detectors:Onnx:IntraOpThreads=1</c>,
/// <c>--detector-option IntraOpThreads=1</c>) and bound by <c>AddHgCounter(IConfiguration)</c> like in production.
/// Later values replace earlier ones, so overrides are applied last.
/// </summary>
public sealed class AgentSettings
{
    private const string Prefix = HgCounterOptions.SectionName + ":";
    private readonly Dictionary<string, string?> _values = new(StringComparer.OrdinalIgnoreCase);
    private int _cameras;

    public AgentSettings(string dataDirectory)
    {
        Set("WorkerId", "capacity");
        Set("DataDirectory", dataDirectory);
        Set("Events:OutboxPath", Path.Combine(dataDirectory, "outbox.db"));
    }

    /// <summary>Sets one key, relative to the <c>HgCounter</c> section or with its <c>HgCounter:</c> prefix.</summary>
    public AgentSettings Set(string key, string value)
    {
        _values[Key(key)] = value;
        return this;
    }

    /// <summary>Applies <c>KEY=VALUE</c> overrides (<c>--set</c>) and <c>key=value</c> options of the camera's detector (<c>--detector-option</c>).</summary>
    public AgentSettings Override(IEnumerable<string> sets, string detector, IEnumerable<string> detectorOptions)
    {
        foreach (var (key, value) in sets.Select(s => Split("--set", s)))
        {
            Set(key, value);
        }

        // The section of a detector's options is its name in DetectorsOptions: onnx -> Detectors:Onnx.
        var section = "Detectors:" + char.ToUpperInvariant(detector[0]) + detector[1..];
        foreach (var (key, value) in detectorOptions.Select(s => Split("--detector-option", s)))
        {
            Set(section + ":" + key, value);
        }

        return this;
    }

    public AgentSettings AddCamera(string url, string detector, double fps, bool loop, IReadOnlyList<LineOptions> lines)
    {
        var camera = $"Cameras:{_cameras}:";
        Set(camera + "Name", $"cam{++_cameras}");
        Set(camera + "Url", url);
        Set(camera + "Detector", detector);
        Set(camera + "TargetFps", fps.ToString(CultureInfo.InvariantCulture));
        Set(camera + "Loop", loop ? "true" : "false");
        for (var i = 0; i < lines.Count; i++)
        {
            var line = camera + $"Lines:{i}:";
            Set(line + "Name", lines[i].Name);
            for (var k = 0; k < 2; k++)
            {
                Set(line + "Start:" + k, lines[i].Start[k].ToString(CultureInfo.InvariantCulture));
                Set(line + "End:" + k, lines[i].End[k].ToString(CultureInfo.InvariantCulture));
            }

            Set(line + "Anchor", lines[i].Anchor.ToString());
            Set(line + "MinCrossingDistance", lines[i].MinCrossingDistance.ToString(CultureInfo.InvariantCulture));
        }

        return this;
    }

    /// <summary>The configuration, checked by <see cref="Effective"/> first.</summary>
    public IConfiguration Build()
    {
        Effective();
        return Configuration();
    }

    /// <summary>
    /// The options these keys bind to, strictly: a key that names no option (a typo, or an option another build has)
    /// would otherwise be ignored by the binder and the figure measured without it.
    /// </summary>
    public HgCounterOptions Effective()
    {
        try
        {
            return Configuration().GetSection(HgCounterOptions.SectionName).Get<HgCounterOptions>(b => b.ErrorOnUnknownConfiguration = true)!;
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException("an option passed with --set or --detector-option is not an option of this build: " + e.Message, e);
        }
    }

    /// <summary>
    /// Counting lines from <c>x1,y1,x2,y2;x1,y1,x2,y2</c> (named line1, line2, …) or JSON: one
    /// <c>{"Name":"door","Start":[480,100],"End":[480,576]}</c> or an array of them.
    /// </summary>
    public static IReadOnlyList<LineOptions> ParseLines(string spec)
    {
        spec = spec.Trim();
        if (spec.StartsWith('[') || spec.StartsWith('{'))
        {
            var json = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
            var lines = spec.StartsWith('[') ? JsonSerializer.Deserialize<List<LineOptions>>(spec, json) : [JsonSerializer.Deserialize<LineOptions>(spec, json)!];
            return lines is { Count: > 0 } && lines.All(l => l.Start.Length == 2 && l.End.Length == 2 && l.Name.Length > 0)
                ? lines
                : throw new ArgumentException($"--lines: every line needs a Name, Start [x, y] and End [x, y]: {spec}");
        }

        return
        [
            .. spec.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select((line, i) =>
            {
                var p = line.Split(',').Select(v => float.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? f : float.NaN).ToArray();
                return p.Length == 4 && p.All(float.IsFinite)
                    ? new LineOptions { Name = "line" + (i + 1).ToString(CultureInfo.InvariantCulture), Start = [p[0], p[1]], End = [p[2], p[3]] }
                    : throw new ArgumentException($"--lines: '{line}' is not x1,y1,x2,y2.");
            }),
        ];
    }

    public static string Describe(IEnumerable<LineOptions> lines) =>
        string.Join("; ", lines.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Name} ({l.Start[0]},{l.Start[1]})-({l.End[0]},{l.End[1]})")));

    private IConfigurationRoot Configuration() => new ConfigurationBuilder().AddInMemoryCollection(_values).Build();

    private static string Key(string key) => key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? key : Prefix + key;

    private static (string Key, string Value) Split(string option, string pair)
    {
        var i = pair.IndexOf('=', StringComparison.Ordinal);
        return i > 0 ? (pair[..i].Trim(), pair[(i + 1)..].Trim()) : throw new ArgumentException($"{option}: '{pair}' is not KEY=VALUE.");
    }
}
