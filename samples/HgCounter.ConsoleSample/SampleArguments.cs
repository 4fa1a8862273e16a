using System.Globalization;
using HgCounter.Runtime;

namespace HgCounter.ConsoleSample;

/// <summary>The sample's own switches; everything else goes to the host (e.g. <c>--HgCounter:Cameras:0:Url=…</c>).</summary>
internal sealed record SampleArguments(string? ConfigPath, TimeSpan? RunFor, string? SummaryPath, string[] HostArgs)
{
    /// <summary><c>--redrive-poisoned</c>: move the outbox's poisoned events back to pending, print how many, and exit.</summary>
    public bool RedrivePoisoned { get; init; }

    /// <summary><c>evaluate --gt gt.txt</c>: score the configured camera's recording against ground truth, print and exit.</summary>
    public EvaluateArguments? Evaluate { get; init; }

    /// <summary><c>--export-counts PATH</c> (with <c>--bucket</c>, <c>--from</c>, <c>--to</c>, <c>--camera</c>): write the count history as CSV and exit.</summary>
    public ExportCountsArguments? ExportCounts { get; init; }

    /// <summary><c>--snapshot CAMERA PATH</c> or <c>--snapshot-every INTERVAL [--snapshot-dir DIR]</c>; null without either.</summary>
    public SnapshotArguments? Snapshot { get; init; }

    public static SampleArguments Parse(string[] args)
    {
        string? config = null, summary = null;
        TimeSpan? runFor = null;
        var redrive = false;
        var evaluate = args is ["evaluate", ..];
        string? groundTruth = null, camera = null, output = null;
        int? tolerance = null;
        double? fps = null;
        string? exportPath = null;
        var export = new ExportCountsArguments(string.Empty);
        string? snapshotCamera = null, snapshotPath = null, snapshotDirectory = null;
        TimeSpan? snapshotEvery = null;
        var rest = new List<string>();
        for (var i = evaluate ? 1 : 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--config": config = Value(); break;
                case "--summary": summary = Value(); break;
                case "--redrive-poisoned": redrive = true; break;
                case "--export-counts": exportPath = Value(); break;
                case "--snapshot":
                    if (i + 2 >= args.Length)
                    {
                        throw new ArgumentException("--snapshot needs a camera name and a file path: --snapshot CAMERA PATH.");
                    }

                    snapshotCamera = args[++i];
                    snapshotPath = args[++i];
                    break;
                case "--snapshot-every": snapshotEvery = Interval("--snapshot-every", Value()); break;
                case "--snapshot-dir": snapshotDirectory = Value(); break;
                case "--bucket" when !evaluate:
                    var bucket = Value();
                    export = export with { Bucket = CountBucketSizeText.TryParse(bucket, out var b) ? b : throw new ArgumentException($"--bucket expects {CountBucketSizeText.Accepted}, got '{bucket}'.") };
                    break;
                case "--from" when !evaluate: export = export with { From = Time("--from", Value()) }; break;
                case "--to" when !evaluate: export = export with { To = Time("--to", Value()) }; break;
                case "--camera" when !evaluate: export = export with { Camera = Value() }; break;
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
                case "--run-for": runFor = Interval("--run-for", Value()); break;
                default: rest.Add(args[i]); break;
            }
        }

        if (evaluate && (config is null || groundTruth is null))
        {
            throw new ArgumentException("evaluate needs --config cfg.json and --gt gt.txt (optional: --camera NAME, --output report.json, --tolerance-frames N, --fps N).");
        }

        if (exportPath is null && (export.From is not null || export.To is not null || export.Camera is not null))
        {
            throw new ArgumentException("--from, --to and --camera go with --export-counts PATH.");
        }

        if (snapshotDirectory is not null && snapshotEvery is null)
        {
            throw new ArgumentException("--snapshot-dir goes with --snapshot-every INTERVAL.");
        }

        return new SampleArguments(config, runFor, summary, [.. rest])
        {
            Snapshot = snapshotCamera is null && snapshotEvery is null
                ? null
                : new SnapshotArguments(snapshotCamera, snapshotPath, snapshotEvery, snapshotDirectory ?? "snapshots"),
            RedrivePoisoned = redrive,
            ExportCounts = exportPath is null ? null : export with { Path = exportPath },
            Evaluate = evaluate ? new EvaluateArguments(groundTruth!, camera, output, tolerance, fps) : null,
        };
    }

    private static TimeSpan Interval(string name, string text) =>
        TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero
            ? interval
            : throw new ArgumentException($"{name} expects a positive TimeSpan such as 00:01:00, got '{text}'.");

    private static DateTimeOffset Time(string name, string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new ArgumentException($"{name} expects an ISO 8601 time such as 2026-12-01T00:00:00Z, got '{text}'.");
}
