using System.Globalization;
using System.Text;
using HgCounter.Benchmarks.Pipeline;
using HgCounter.Configuration;

namespace HgCounter.Benchmarks.Capacity;

/// <summary>
/// Capacity of one box: the real agent (<c>AddHgCounter(IConfiguration)</c> in a generic host) with N cameras at 10 fps,
/// each step measured over a window after a warm-up. Cameras read a live RTSP stream from rtsp_server.py of the 720p
/// demo clip (default) or of any recording (<c>--clip vtest.avi</c>, optionally re-timed with <c>--stream-fps</c>), or
/// generated 640×360 <c>synthetic:demo</c> scenes (<c>--source synthetic</c>, no decoding: a detector-only figure).
/// The <c>onnx</c> detector runs <c>--model</c> (default the repo's synthetic model: capacity figures want a real one).
/// Processed fps and dropped frames come from the agent's status; CPU and memory of the agent and its ffmpeg children
/// from /proc.
/// </summary>
public static class CapacityRun
{
    private const double Carried = 0.95; // a camera is carried when it processes at least 95 % of its target rate

    private static readonly string[] Options =
    [
        "--cameras", "--source", "--detector", "--fps", "--warmup", "--seconds", "--output", "--max-cpu", "--guard",
        "--model", "--clip", "--stream-fps", "--lines", "--detector-option", "--set",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var a = new RunArguments("capacity", args, Options);
        var cameras = a.Value("--cameras", "1,2,4,8").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var source = a.Value("--source", "rtsp");
        var detector = a.Value("--detector", "motion");
        var fps = a.Number("--fps", 10);
        var warmup = a.Seconds("--warmup", 15);
        var window = a.Seconds("--seconds", 45);
        var output = a.Value("--output", "");
        var guard = a.Value("--guard", "on");
        var maxCpu = guard == "off" ? 100 : a.Number("--max-cpu", 90);
        var model = Path.GetFullPath(a.Value("--model", RepoPaths.SyntheticModel));
        var streamFps = a.WholeNumber("--stream-fps");
        if (source is not ("rtsp" or "synthetic") || guard is not ("on" or "off"))
        {
            throw new ArgumentException("capacity: --source is rtsp or synthetic, --guard is on or off.");
        }

        if (source == "synthetic" && (a.Has("--clip") || streamFps is not null))
        {
            throw new ArgumentException("capacity: --clip and --stream-fps need --source rtsp.");
        }

        if (detector == "onnx" && !File.Exists(model))
        {
            throw new ArgumentException($"capacity: model not found: {model}");
        }

        var clip = a.Has("--clip") ? VideoClip.Probe(Path.GetFullPath(a.Value("--clip", ""))) : null;
        var lines = a.Has("--lines") ? AgentSettings.ParseLines(a.Value("--lines", "")) : DefaultLines(source, clip);

        void Configure(AgentSettings settings, string url, int n)
        {
            settings.Set("Detectors:Onnx:ModelPath", model).Set("ResourceGuard:MaxCpuPercent", maxCpu.ToString(CultureInfo.InvariantCulture));
            for (var i = 0; i < n; i++)
            {
                settings.AddCamera(url, detector, fps, loop: source == "synthetic", lines);
            }

            settings.Override(a.Values("--set"), detector, a.Values("--detector-option"));
        }

        // Checked before anything starts; the header says what the configuration really is, overrides included.
        var probe = new AgentSettings(Path.GetTempPath());
        Configure(probe, "rtsp://127.0.0.1/cam", 1);
        var effective = probe.Effective();

        RtspCameraServer? server = null;
        var exclude = new HashSet<int>();
        string url, described;
        if (source == "rtsp")
        {
            var file = clip?.Path ?? Scene720p.RenderClip(0, Scene720p.Create().FrameCount);
            server = await RtspCameraServer.StartAsync(file, TimeSpan.FromSeconds(30), streamFps);
            exclude.Add(server.ProcessId);
            url = server.Url;
            var served = streamFps is { } r ? $"re-timed to {r} fps" : "at its own rate";
            described = clip is null
                ? $"RTSP 1280x720 H.264 (demo scene, 10 fps) {served}"
                : $"RTSP {clip} re-encoded to H.264, {served}";
            described += " (rtsp_server.py, looped)";
        }
        else
        {
            url = "synthetic:demo";
            described = "synthetic:demo 640x360";
        }

        var overrides = a.Values("--set").Concat(a.Values("--detector-option").Select(o => $"Detectors:{detector}:{o}")).ToArray();
        var guardCpu = effective.ResourceGuard.MaxCpuPercent;
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"source: {described}; lines: {AgentSettings.Describe(lines)}");
        table.AppendLine(CultureInfo.InvariantCulture, $"detector: {detector}{(detector == "onnx" ? $" ({Path.GetFileName(model)}, IntraOpThreads {effective.Detectors.Onnx.IntraOpThreads})" : "")}; options: {(overrides.Length > 0 ? string.Join(", ", overrides) : "defaults")}");
        table.AppendLine(CultureInfo.InvariantCulture, $"target {fps} fps per camera, warm-up {warmup.TotalSeconds} s (from the first frames), window {window.TotalSeconds} s; ResourceGuard {(guardCpu >= 100 ? "off (MaxCpuPercent 100: no adaptive fps)" : $"on (MaxCpuPercent {guardCpu}: adaptive fps above it)")}; load avg at start {MachineLoad.Read()}");
        table.AppendLine("| cameras | processed fps per camera (mean, min–max) | dropped frames per camera per s | CPU agent + ffmpeg (% of one core) | CPU per camera (%) | RSS agent + ffmpeg (MiB) | RSS per camera (MiB) | managed alloc per frame (B) | inference (ms) | camera server CPU (%) | machine CPU (guard, %) | load avg (1/5/15 min) |");
        table.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        var carried = 0;
        var inferencePublished = false;
        try
        {
            foreach (var n in cameras)
            {
                await using var agent = await BenchmarkAgent.StartAsync(settings => Configure(settings, url, n));
                using var sampler = new AllocationSampler();
                var m = await AgentMeasurement.MeasureAsync(agent.Agent, warmup, window, exclude, server?.ProcessId, sampler);
                Console.WriteLine($"// {n} camera(s), first frames after {m.FirstFrameSeconds:F1} s; allocation samples (~100 KB each) by type: {string.Join(", ", sampler.Top(6).Select(p => $"{p.Key} {p.Value}"))}");
                var mib = m.RssBytes / 1048576.0;
                var inference = m.InferenceMilliseconds is { } ms ? ms.ToString("F1", CultureInfo.InvariantCulture) : "–";
                inferencePublished |= m.InferenceMilliseconds is not null;
                var row = string.Create(CultureInfo.InvariantCulture,
                    $"| {n} | {m.PerCamera.Average(p => p.Fps):F1} ({m.MinFps:F1}–{m.PerCamera.Max(p => p.Fps):F1}) | {m.PerCamera.Average(p => p.Dropped):F1} | {m.CpuPercent:F0} | {m.CpuPercent / n:F0} | {mib:F0} | {mib / n:F0} | {m.AllocatedBytes / (double)Math.Max(1, m.FramesProcessed):F0} | {inference} | {m.ServerCpuPercent:F0} | {m.GuardCpuPercent:F0} | {m.LoadAverage} |");
                table.AppendLine(row);
                Console.WriteLine(row);
                if (m.MinFps >= Carried * fps)
                {
                    carried = Math.Max(carried, n);
                }
            }
        }
        finally
        {
            server?.Dispose();
        }

        table.AppendLine();
        table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"cameras carried at ≥ {Carried * fps:0.##} fps: {carried} (largest step where every camera processed at least that; of steps {string.Join(',', cameras)})"));
        if (!inferencePublished)
        {
            table.AppendLine("inference (ms): not published by this build (no hgcounter.*inference* instrument); see RealModelBenchmarks for the model's cost");
        }

        Console.WriteLine();
        Console.WriteLine(table);
        if (output.Length > 0)
        {
            await File.WriteAllTextAsync(output, table.ToString());
        }

        return 0;
    }

    private static IReadOnlyList<LineOptions> DefaultLines(string source, VideoClip? clip) => (source, clip) switch
    {
        ("synthetic", _) => [new LineOptions { Name = "door", Start = [320, 0], End = [320, 360] }],
        (_, null) => [Scene720p.Door()],
        // vtest.avi: across the footpath just right of the lamp post, as the footage tests count it.
        (_, { Name: "vtest.avi" }) => [new LineOptions { Name = "path", Start = [480, 100], End = [480, 576] }],
        (_, { } c) => [new LineOptions { Name = "middle", Start = [c.Width / 2, 0], End = [c.Width / 2, c.Height] }],
    };
}
