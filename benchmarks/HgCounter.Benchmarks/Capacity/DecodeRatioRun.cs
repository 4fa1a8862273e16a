using System.Diagnostics;
using System.Globalization;
using System.Text;
using HgCounter.Configuration;

namespace HgCounter.Benchmarks.Capacity;

/// <summary>
/// Decode economy: what the agent's whole ingest path costs next to the cheapest decode of the same camera. One RTSP
/// stream of a 1920×1080 30 fps H.264 clip (testsrc2, moving content, 20 s, looped by rtsp_server.py) is read in turns
/// by (a) <see cref="DecoderBaseline"/>, ffmpeg at the target rate to /dev/null, and (b) the real agent with one camera
/// on it (motion detector, TargetFps 10, guard off by default so adaptive fps cannot make (b) cheaper by doing less);
/// each turn a warm-up and a window of the same length. The turns alternate a-b-a(-b-a…) so that a shared box's load
/// drifts into both sides; the ratio is mean(b) / mean(a).
/// </summary>
public static class DecodeRatioRun
{
    private const double Target = 1.3;

    private static readonly string[] Options =
        ["--clip", "--stream-fps", "--fps", "--detector", "--warmup", "--seconds", "--repeat", "--guard", "--set", "--detector-option", "--output"];

    public static async Task<int> RunAsync(string[] args)
    {
        var a = new RunArguments("decode-ratio", args, Options);
        var fps = a.Number("--fps", 10);
        var detector = a.Value("--detector", "motion");
        var warmup = a.Seconds("--warmup", 10);
        var window = a.Seconds("--seconds", 30);
        var repeat = a.WholeNumber("--repeat") ?? 1;
        var guard = a.Value("--guard", "off");
        var streamFps = a.WholeNumber("--stream-fps");
        var output = a.Value("--output", "");
        if (guard is not ("on" or "off"))
        {
            throw new ArgumentException("decode-ratio: --guard is on or off.");
        }

        var clip = VideoClip.Probe(a.Has("--clip") ? Path.GetFullPath(a.Value("--clip", "")) : RenderTestClip());
        var lines = new[] { new LineOptions { Name = "middle", Start = [clip.Width / 2, 0], End = [clip.Width / 2, clip.Height] } };
        using var server = await RtspCameraServer.StartAsync(clip.Path, TimeSpan.FromSeconds(30), streamFps);
        var exclude = new HashSet<int> { server.ProcessId };

        void Configure(AgentSettings settings)
        {
            if (guard == "off")
            {
                settings.Set("ResourceGuard:MaxCpuPercent", "100");
            }

            settings.AddCamera(server.Url, detector, fps, loop: false, lines).Override(a.Values("--set"), detector, a.Values("--detector-option"));
        }

        var report = new StringBuilder();
        void Say(string line)
        {
            Console.WriteLine(line);
            report.AppendLine(line);
        }

        Say($"decode-ratio: RTSP {clip} re-encoded to H.264, served {(streamFps is { } r ? $"re-timed to {r} fps" : "at its own rate")} (rtsp_server.py, looped); target {fps.ToString(CultureInfo.InvariantCulture)} fps");
        Say($"(a) {DecoderBaseline.CommandFor(server.Url, fps)}");
        Say($"(b) the agent, 1 camera, detector {detector}, TargetFps {fps.ToString(CultureInfo.InvariantCulture)}, ResourceGuard {(guard == "off" ? "off (MaxCpuPercent 100)" : "on")}: agent + its ffmpeg children");
        Say($"each turn: warm-up {warmup.TotalSeconds} s (the agent's from its first frame), window {window.TotalSeconds} s; turns a-b repeated {repeat}x, then a; load avg at start {MachineLoad.Read()}");
        Say("| turn | CPU (% of one core) | frames out / processed (fps) | dropped per s | camera server CPU (%) | load avg (1/5/15 min) |");
        Say("|---|---|---|---|---|---|");
        var baselines = new List<double>();
        var agents = new List<double>();
        for (var turn = 0; turn <= repeat; turn++)
        {
            var (cpu, frames, serverCpu) = await MeasureBaselineAsync(server, fps, warmup, window);
            baselines.Add(cpu);
            Say(string.Create(CultureInfo.InvariantCulture, $"| a{turn + 1} | {cpu:F1} | {frames:F1} | – | {serverCpu:F0} | {MachineLoad.Read()} |"));
            if (turn == repeat)
            {
                break;
            }

            await using var agent = await BenchmarkAgent.StartAsync(Configure);
            var m = await AgentMeasurement.MeasureAsync(agent.Agent, warmup, window, exclude, server.ProcessId);
            agents.Add(m.CpuPercent);
            Say(string.Create(CultureInfo.InvariantCulture, $"| b{turn + 1} | {m.CpuPercent:F1} | {m.FramesProcessed} ({m.FramesProcessed / m.Seconds:F1}) | {m.FramesDropped / m.Seconds:F1} | {m.ServerCpuPercent:F0} | {m.LoadAverage} |"));
        }

        var ratio = agents.Average() / baselines.Average();
        var pairs = agents.Select((b, i) => b / ((baselines[i] + baselines[i + 1]) / 2)).ToArray();
        Say("");
        Say(string.Create(CultureInfo.InvariantCulture,
            $"ratio (b)/(a) = {ratio:F2} (target ≤ {Target}: {(ratio <= Target ? "met" : "not met")}); mean b {agents.Average():F1} % / mean a {baselines.Average():F1} %; each b over its neighbouring a: {string.Join(", ", pairs.Select(p => p.ToString("F2", CultureInfo.InvariantCulture)))}; load avg at end {MachineLoad.Read()}"));
        Console.WriteLine();
        Console.Write(report);
        if (output.Length > 0)
        {
            await File.WriteAllTextAsync(output, report.ToString());
        }

        return 0;
    }

    private static async Task<(double CpuPercent, double Fps, double ServerCpuPercent)> MeasureBaselineAsync(RtspCameraServer server, double fps, TimeSpan warmup, TimeSpan window)
    {
        using var baseline = DecoderBaseline.Start(server.Url, fps);
        await Task.Delay(warmup, TimeProvider.System);
        baseline.EnsureRunning();
        var (cpu0, frames0, server0, at0) = (baseline.CpuSeconds, baseline.Frames, ProcessTreeSample.ProcessCpuSeconds(server.ProcessId), Stopwatch.GetTimestamp());
        await Task.Delay(window, TimeProvider.System);
        baseline.EnsureRunning();
        var (cpu1, frames1, server1) = (baseline.CpuSeconds, baseline.Frames, ProcessTreeSample.ProcessCpuSeconds(server.ProcessId));
        var seconds = Stopwatch.GetElapsedTime(at0).TotalSeconds;
        return (100 * (cpu1 - cpu0) / seconds, (frames1 - frames0) / seconds, 100 * (server1 - server0) / seconds);
    }

    /// <summary>testsrc2 at 1920×1080 30 fps for 20 s, H.264 (cached by name in the temp folder).</summary>
    private static string RenderTestClip()
    {
        var path = Path.Combine(Path.GetTempPath(), "hgcounter-testsrc2-1080p30-20s.mp4");
        if (File.Exists(path))
        {
            return path;
        }

        var partial = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".mp4";
        var info = new ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in (string[])["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30", "-t", "20",
            "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-pix_fmt", "yuv420p", partial])
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg could not encode the test clip: " + error);
        }

        File.Move(partial, path, overwrite: true);
        return path;
    }
}
