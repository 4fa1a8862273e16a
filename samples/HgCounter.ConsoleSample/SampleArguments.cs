using System.Globalization;

namespace HgCounter.ConsoleSample;

/// <summary>The sample's own switches; everything else goes to the host (e.g. <c>--HgCounter:Cameras:0:Url=…</c>).</summary>
internal sealed record SampleArguments(string? ConfigPath, TimeSpan? RunFor, string? SummaryPath, string[] HostArgs)
{
    /// <summary><c>--redrive-poisoned</c>: move the outbox's poisoned events back to pending, print how many, and exit.</summary>
    public bool RedrivePoisoned { get; init; }

    public static SampleArguments Parse(string[] args)
    {
        string? config = null, summary = null;
        TimeSpan? runFor = null;
        var redrive = false;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--config": config = Value(); break;
                case "--summary": summary = Value(); break;
                case "--redrive-poisoned": redrive = true; break;
                case "--run-for":
                    var text = Value();
                    runFor = TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var t) && t > TimeSpan.Zero
                        ? t
                        : throw new ArgumentException($"--run-for expects a positive TimeSpan such as 00:01:00, got '{text}'.");
                    break;
                default: rest.Add(args[i]); break;
            }
        }

        return new SampleArguments(config, runFor, summary, [.. rest]) { RedrivePoisoned = redrive };
    }
}
