using System.Diagnostics;
using HgCounter.Configuration;
using HgCounter.FaultTests.Infrastructure;
using HgCounter.Health;
using HgCounter.Runtime.Tests.Agent;
using HgCounter.Testing;
using Xunit.Abstractions;

namespace HgCounter.FaultTests.Resources;

public class MemoryPressureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Run_MemoryLimitBelowCurrentUse_ThrottlesKeepsCountingAndReleasesWhenRaised()
    {
        var figures = new Figures(output, "memory pressure");
        var instances = new List<HgCounterOptions>();
        await using var host = await AgentHost.StartAsync(TestPaths.NewTempDirectory(), o =>
        {
            FaultOptions.Apply(o);
            o.ResourceGuard.MaxMemoryPercent = 1; // below what any running machine uses
            var camera = FaultOptions.LoopingScene("cam");
            camera.TargetFps = 10;
            o.Cameras.Add(camera);
            instances.Add(o); // the options system may build more than one instance (validation, IOptions); the guard reads one of them
        });

        var started = Stopwatch.StartNew();
        var throttled = await host.WaitForAsync(s => s.Resources?.IsThrottling == true, 30);
        var engaged = started.Elapsed;
        throttled.Resources!.ThrottleReason.Should().Contain("memory").And.Contain("limit 1 %");

        var framesThrottled = throttled.Cameras.Single().FramesProcessed;
        await Task.Delay(TimeSpan.FromSeconds(6)); // longer than the 5 s fps window
        var during = host.Agent.CurrentStatus;
        during.Cameras.Single().FramesProcessed.Should().BeGreaterThan(framesThrottled, "throttling slows counting, it does not stop it");
        during.Cameras.Single().Health.Health.Should().Be(CameraHealth.Healthy);
        var throttledFps = during.Cameras.Single().Fps;
        throttledFps.Should().BeLessThan(10 * 0.75, "the allowed rate is halved while memory is over the limit");

        foreach (var options in instances)
        {
            options.ResourceGuard.MaxMemoryPercent = 100;
        }

        var raised = Stopwatch.StartNew();
        await host.WaitForAsync(s => s.Resources?.IsThrottling == false, 30);
        var released = raised.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(6));
        var after = host.Agent.CurrentStatus.Cameras.Single().Fps;

        figures.Record($"throttling engaged {engaged.TotalSeconds:0.0} s after start, released {released.TotalSeconds:0.0} s after the limit was raised; fps {throttledFps:0.0} throttled, {after:0.0} released (target 10)");
        after.Should().BeGreaterThan(throttledFps, "the full rate returns once memory is under the limit");
        host.Agent.Completion.IsCompleted.Should().BeFalse("the process keeps running under memory pressure");
    }

    [Fact]
    public async Task Run_MemoryLimitBelowCurrentUseWithARecordingPlayedOnce_ProcessesEveryFrameAndCountsExactly()
    {
        // A recording is evidence to be counted in full: under pressure it plays slower, it does not skip frames.
        const int sceneFrames = 150; // cross-both-ways: one person each way
        await using var host = await AgentHost.StartAsync(TestPaths.NewTempDirectory(), o =>
        {
            FaultOptions.Apply(o);
            o.ResourceGuard.MaxMemoryPercent = 1;
            var camera = AgentHost.SceneCamera("cam", "cross-both-ways");
            camera.Realtime = true;
            camera.Loop = false;
            o.Cameras.Add(camera);
        });

        var throttled = await host.WaitForAsync(s => s.Resources?.IsThrottling == true, 30);
        throttled.Cameras.Single().FramesProcessed.Should().BeLessThan(sceneFrames, "throttling engaged while the recording played");
        var done = await host.WaitForAsync(s => s.Cameras.Single() is var c && c.FramesProcessed + c.FramesDropped >= sceneFrames, 90);

        var camera = done.Cameras.Single();
        camera.FramesDropped.Should().Be(0, "a recording played once loses no frame to throttling");
        camera.FramesProcessed.Should().Be(sceneFrames);
        camera.Lines.Single().In.Should().Be(1);
        camera.Lines.Single().Out.Should().Be(1);
    }
}
