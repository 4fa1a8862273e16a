using System.Globalization;
using System.Text;
using HgCounter.Benchmarks.Pipeline;
using HgCounter.Configuration;
using HgCounter.Runtime.Agent;
using HgCounter.Status;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HgCounter.Benchmarks.Capacity;

/// <summary>
/// Capacity of one box: the real agent (<c>AddHgCounter</c> in a generic host) with N cameras at 10 fps, each step
/// measured over a window after a warm-up. Cameras read a live RTSP stream of the 720p demo clip from
/// rtsp_server.py (<c>--source rtsp</c>, default) or generated 640×360 <c>synthetic:demo</c> scenes
/// (<c>--source synthetic</c>, no decoding: a detector-only figure). Processed fps and dropped frames come from the
/// agent's status; CPU and memory of the agent and its ffmpeg children from /proc.
/// </summary>
public static class CapacityRun
{
    private static readonly TimeProvider Time = TimeProvider.System;

    public static async Task<int> RunAsync(string[] args)
    {
        var cameras = Arg(args, "--cameras", "1,2,4,8").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var source = Arg(args, "--source", "rtsp");
        var detector = Arg(args, "--detector", "motion");
        var fps = double.Parse(Arg(args, "--fps", "10"), CultureInfo.InvariantCulture);
        var warmup = TimeSpan.FromSeconds(double.Parse(Arg(args, "--warmup", "15"), CultureInfo.InvariantCulture));
        var window = TimeSpan.FromSeconds(double.Parse(Arg(args, "--seconds", "45"), CultureInfo.InvariantCulture));
        var output = Arg(args, "--output", "");
        var maxCpu = double.Parse(Arg(args, "--max-cpu", "90"), CultureInfo.InvariantCulture);

        RtspCameraServer? server = null;
        var exclude = new HashSet<int>();
        string url;
        if (source == "rtsp")
        {
            var clip = Scene720p.RenderClip(0, Scene720p.Create().FrameCount);
            server = await RtspCameraServer.StartAsync(Path.Combine(RepoPaths.Root, "tests", "HgCounter.Testing", "rtsp_server.py"), clip, TimeSpan.FromSeconds(30));
            exclude.Add(server.ProcessId);
            url = server.Url;
        }
        else
        {
            url = "synthetic:demo";
        }

        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"source: {(source == "rtsp" ? "RTSP 1280x720 H.264 10 fps (rtsp_server.py, demo scene)" : "synthetic:demo 640x360")}, detector: {detector}, target {fps} fps per camera, warm-up {warmup.TotalSeconds} s, window {window.TotalSeconds} s, ResourceGuard MaxCpuPercent {maxCpu}");
        table.AppendLine("| cameras | processed fps per camera (min–max) | dropped frames per camera per s | CPU agent + ffmpeg (% of one core) | RSS agent + ffmpeg (MiB) | per camera (MiB) | managed alloc per frame (B) | camera server CPU (%) | machine CPU (guard, %) | load avg (1 min) |");
        table.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        try
        {
            foreach (var n in cameras)
            {
                var row = await MeasureAsync(n, url, source == "synthetic", detector, fps, maxCpu, warmup, window, exclude, server?.ProcessId);
                table.AppendLine(row);
                Console.WriteLine(row);
            }
        }
        finally
        {
            server?.Dispose();
        }

        Console.WriteLine();
        Console.WriteLine(table);
        if (output.Length > 0)
        {
            await File.WriteAllTextAsync(output, table.ToString());
        }

        return 0;
    }

    private static async Task<string> MeasureAsync(int n, string url, bool synthetic, string detector, double fps, double maxCpu, TimeSpan warmup, TimeSpan window, IReadOnlySet<int> exclude, int? serverPid)
    {
        var data = Path.Combine(Path.GetTempPath(), "hgcounter-capacity-" + Guid.NewGuid().ToString("N"));
        var builder = Host.CreateApplicationBuilder([]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddHgCounter(o =>
        {
            o.WorkerId = "capacity";
            o.DataDirectory = data;
            o.Events.OutboxPath = Path.Combine(data, "outbox.db");
            o.Detectors.Onnx.ModelPath = RepoPaths.SyntheticModel;
            o.ResourceGuard.MaxCpuPercent = maxCpu;
            for (var i = 0; i < n; i++)
            {
                var camera = new CameraOptions { Name = $"cam{i + 1}", Url = url, Detector = detector, TargetFps = fps, Loop = synthetic };
                camera.Lines.Add(synthetic ? new LineOptions { Name = "door", Start = [320, 0], End = [320, 360] } : Scene720p.Door());
                o.Cameras.Add(camera);
            }
        });
        using var host = builder.Build();
        using var sampler = new AllocationSampler();
        var agent = host.Services.GetRequiredService<CounterAgent>();
        await host.StartAsync();
        try
        {
            await Task.Delay(warmup, Time);
            var (status0, tree0, server0, at0) = (agent.CurrentStatus, ProcessTreeSample.Take(exclude), ServerCpu(serverPid), Time.GetUtcNow());
            var allocated0 = GC.GetTotalAllocatedBytes(precise: true);
            sampler.Recording = true;
            var guardCpu = new List<double>();
            var end = at0 + window;
            while (Time.GetUtcNow() < end)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), Time);
                if (agent.CurrentStatus.Resources is { } resources)
                {
                    guardCpu.Add(resources.CpuPercent);
                }
            }

            var allocated1 = GC.GetTotalAllocatedBytes(precise: true);
            sampler.Recording = false;
            Console.WriteLine($"// {n} camera(s), allocation samples (~100 KB each) by type: {string.Join(", ", sampler.Top(6).Select(p => $"{p.Key} {p.Value}"))}");
            var (status1, tree1, server1, at1) = (agent.CurrentStatus, ProcessTreeSample.Take(exclude), ServerCpu(serverPid), Time.GetUtcNow());
            var seconds = (at1 - at0).TotalSeconds;
            var perCamera = status1.Cameras.Select(c => Rate(c, status0, seconds)).ToArray();
            var cpu = 100 * (tree1.CpuSeconds - tree0.CpuSeconds) / seconds;
            var serverCpu = 100 * (server1 - server0) / seconds;
            var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            // /proc is read only at both ends of the window, so the harness adds next to nothing to the allocation figure.
            var mib = Math.Max(tree0.RssBytes, tree1.RssBytes) / 1048576.0;
            var frames = status1.Cameras.Sum(c => c.FramesProcessed) - status0.Cameras.Sum(c => c.FramesProcessed);
            return string.Create(CultureInfo.InvariantCulture,
                $"| {n} | {perCamera.Average(p => p.Fps):F1} ({perCamera.Min(p => p.Fps):F1}–{perCamera.Max(p => p.Fps):F1}) | {perCamera.Average(p => p.Dropped):F1} | {cpu:F0} | {mib:F0} | {mib / n:F0} | {(allocated1 - allocated0) / (double)Math.Max(1, frames):F0} | {serverCpu:F0} | {(guardCpu.Count > 0 ? guardCpu.Average() : double.NaN):F0} | {load} |");
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
            Directory.Delete(data, recursive: true);
        }
    }

    private static (double Fps, double Dropped) Rate(CameraStatus now, StatusSnapshot before, double seconds)
    {
        var then = before.Cameras.FirstOrDefault(c => c.Name == now.Name);
        return ((now.FramesProcessed - (then?.FramesProcessed ?? 0)) / seconds, (now.FramesDropped - (then?.FramesDropped ?? 0)) / seconds);
    }

    private static double ServerCpu(int? pid) => pid is { } p ? ProcessTreeSample.ProcessCpuSeconds(p) : 0;


    private static string Arg(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
