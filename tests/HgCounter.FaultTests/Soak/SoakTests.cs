using System.Diagnostics;
using System.Globalization;
using HgCounter.FaultTests.Infrastructure;
using HgCounter.Health;
using HgCounter.Runtime.Tests.Agent;
using HgCounter.Testing;
using Xunit.Abstractions;

namespace HgCounter.FaultTests.Soak;

public class SoakTests(ITestOutputHelper output)
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Run_FourCamerasForTheSoakDuration_MemoryHandlesAndThreadsStayBounded()
    {
        var figures = new Figures(output, "soak");
        var duration = FaultSettings.SoakDuration;
        await using var first = await RtspServerFixture.StartAsync("--width", "320", "--height", "240", "--fps", "10");
        await using var second = await RtspServerFixture.StartAsync("--width", "320", "--height", "240", "--fps", "10");
        var self = Environment.ProcessId;
        var samples = new List<(TimeSpan At, double RssMiB, double HeapMiB, int Fds, int Threads)>();
        long framesAtEnd;
        await using (var host = await AgentHost.StartAsync(TestPaths.NewTempDirectory(), o =>
        {
            FaultOptions.Apply(o);
            o.Cameras.Add(FaultOptions.LoopingScene("scene-1"));
            o.Cameras.Add(FaultOptions.LoopingScene("scene-2", "cross-both-ways"));
            o.Cameras.Add(FaultOptions.Camera("rtsp-1", first.Url));
            o.Cameras.Add(FaultOptions.Camera("rtsp-2", second.Url));
        }))
        {
            await host.WaitForAsync(s => s.Cameras.Count == 4 && s.Cameras.All(c => c.Health.Health == CameraHealth.Healthy));
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                await Task.Delay(SampleEvery);
                samples.Add((clock.Elapsed, ProcessProbe.ResidentMegabytes(self), GC.GetTotalMemory(false) / 1048576.0, ProcessProbe.IoDescriptors(self), ProcessProbe.Threads(self)));
                var s = samples[^1];
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"t={s.At.TotalSeconds:0} s rss={s.RssMiB:0.0} MiB heap={s.HeapMiB:0.0} MiB fds={s.Fds} threads={s.Threads}"));
            }

            var end = host.Agent.CurrentStatus;
            end.Cameras.Should().OnlyContain(c => c.Health.Health == CameraHealth.Healthy, "every camera still counts at the end");
            framesAtEnd = end.Cameras.Sum(c => c.FramesProcessed);
        }

        var baseline = samples.Where(s => s.At <= WarmUp + SampleEvery).Last();
        var after = samples.Where(s => s.At > WarmUp).ToList();
        var growth = (
            Rss: after.Max(s => s.RssMiB) - baseline.RssMiB,
            Heap: after.Max(s => s.HeapMiB) - baseline.HeapMiB,
            Fds: after.Max(s => s.Fds) - baseline.Fds,
            Threads: after.Max(s => s.Threads) - baseline.Threads);
        figures.Record(string.Create(CultureInfo.InvariantCulture,
            $"{duration.TotalMinutes:0.#} min, 4 cameras, {framesAtEnd} frames; after warm-up: rss {baseline.RssMiB:0} MiB +{growth.Rss:0.0}, managed heap {baseline.HeapMiB:0.0} MiB +{growth.Heap:0.0}, pipes/sockets {baseline.Fds} +{growth.Fds}, threads {baseline.Threads} +{growth.Threads}"));

        growth.Rss.Should().BeLessThan(64, "resident memory does not grow after warm-up");
        growth.Heap.Should().BeLessThan(32, "the managed heap does not grow after warm-up");
        growth.Fds.Should().BeLessThanOrEqualTo(4, "no pipe, socket or child process accumulates");
        growth.Threads.Should().BeLessThanOrEqualTo(8, "no thread accumulates");
        foreach (var server in new[] { first, second })
        {
            (await ProcessTable.WaitForNoChildrenAsync($"127.0.0.1:{server.Port}/", TimeSpan.FromSeconds(10))).Should().BeEmpty("no ffmpeg outlives the agent");
        }
    }
}
