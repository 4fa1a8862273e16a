using System.Globalization;

namespace HgCounter.ConsoleSample;

/// <summary>The sample's own switches; everything else goes to the host (e.g. <c>--HgCounter:Cameras:0:Url=…</c>).</summary>
internal sealed record SampleArguments(string? ConfigPath, TimeSpan? RunFor, string? SummaryPath, string[] HostArgs)
{
    /// <summary><c>--redrive-poisoned</c>: move the outbox's poisoned events back to pending, print how many, and exit.</summary>
    public bool RedrivePoisoned { get; init; }

    /// <summary><c>evaluate --gt gt.txt</c>: score the configured camera's recording against ground truth, print and exit.</summary>
    public EvaluateArguments? Evaluate { get; init; }

    public static SampleArguments Parse(string[] args)
    {
        string? config = null, summary = null;
        TimeSpan? runFor = null;
        var redrive = false;
        var evaluate = args is ["evaluate", ..];
        string? groundTruth = null, camera = null, output = null;
        int? tolerance = null;
        double? fps = null;
        var rest = new List<string>();
        for (var i = evaluate ? 1 : 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--config": config = Value(); break;
                case "--summary": summary = Value(); break;
                case "--redrive-poisoned": redrive = true; break;
                case "--gt" when evaluate: groundTruth = Value(); break;
                case "--camera" when evaluate: camera = Value(); break;
                case "--output" when evaluate: output = Value(); break;
                case "--tolerance-frames" when evaluate:
                    var frames = Value();
                    tolerance = int.TryParse(frames, NumberStyles.None, CultureInfo.InvariantCulture, out var f)
                        ? f
                        : throw new ArgumentException($"--tolerance-frames expects a whole number of frames (0 or more), got '{frames}'.");
                    break;
                case "--fps" when evaluate:
                    var rate = Value();
                    fps = double.TryParse(rate, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var r) && r > 0
                        ? r
                        : throw new ArgumentException($"--fps expects a positive frame rate such as 3 or 2.5, got '{rate}'.");
                    break;
                case "--run-for":
                    var text = Value();
                    runFor = TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var t) && t > TimeSpan.Zero
                        ? t
                        : throw new ArgumentException($"--run-for expects a positive TimeSpan such as 00:01:00, got '{text}'.");
                    break;
                default: rest.Add(args[i]); break;
            }
        }

        if (evaluate && (config is null || groundTruth is null))
        {
            throw new ArgumentException("evaluate needs --config cfg.json and --gt gt.txt (optional: --camera NAME, --output report.json, --tolerance-frames N, --fps N).");
        }

        return new SampleArguments(config, runFor, summary, [.. rest])
        {
            RedrivePoisoned = redrive,
            Evaluate = evaluate ? new EvaluateArguments(groundTruth!, camera, output, tolerance, fps) : null,
        };
    }
}
