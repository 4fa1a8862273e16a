using System.Diagnostics;
using System.Text.Json;
using HgCounter.Configuration;
using HgCounter.Health;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace HgCounter.Runtime.Tests.Agent;

public class CounterAgentTests(ITestOutputHelper output)
{

    [Fact]
    public async Task Run_SyntheticRecording_CountsGroundTruthDeliversEveryEventAndFinishes()
    {
        var data = TestPaths.NewTempDirectory();
        var jsonl = Path.Combine(data, "events.jsonl");
        var expected = SyntheticScenes.Get("cross-both-ways").ExpectedCount("door");
        await using var host = await AgentHost.StartAsync(data, o =>
        {
            o.Cameras.Add(AgentHost.SceneCamera("lobby", "cross-both-ways"));
            o.Events.Sinks.Add(new JsonlSinkOptions { Type = "jsonl", Path = jsonl });
        });

        await host.Agent.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        var status = await host.WaitForAsync(s => s.PendingEvents == 0 && AgentHost.Health(s, "lobby") == CameraHealth.Finished);

        var door = status.Cameras.Single().Lines.Single(l => l.Line == "door");
        (door.In, door.Out).Should().Be((expected.In, expected.Out));
        expected.In.Should().BePositive();
        var delivered = File.ReadAllLines(jsonl).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("event_id").GetString()).ToList();
        delivered.Should().HaveCount((int)(expected.In + expected.Out)).And.OnlyHaveUniqueItems();

        await host.StopAsync();
        var report = Path.Combine(data, "final-health-report.json");
        File.Exists(report).Should().BeTrue("a graceful stop writes the final health report");
        File.ReadAllText(report).Should().Contain("lobby");
    }

    [Fact]
    public async Task Run_TrackerMinHitsConfiguredAboveEveryTrackLength_NothingIsCounted()
    {
        var data = TestPaths.NewTempDirectory();
        SyntheticScenes.Get("cross-both-ways").ExpectedCount("door").In.Should().BePositive("the default tracker counts this scene");
        await using var host = await AgentHost.StartAsync(data, o =>
        {
            o.Cameras.Add(AgentHost.SceneCamera("lobby", "cross-both-ways"));
            o.Tracker.MinHits = 1000; // longer than anyone is in the picture: no track is ever confirmed
        });

        await host.Agent.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        var status = await host.WaitForAsync(s => AgentHost.Health(s, "lobby") == CameraHealth.Finished);

        var door = status.Cameras.Single().Lines.Single(l => l.Line == "door");
        (door.In, door.Out).Should().Be((0L, 0L), "HgCounter:Tracker reaches every camera's tracker");
    }

    [Fact]
    public async Task Run_OneCameraDeadFromStart_OthersCountAndDeadIsOfflineWithRedactedReason()
    {
        var data = TestPaths.NewTempDirectory();
        var deadUrl = $"rtsp://admin:N0tTelling@127.0.0.1:{FreePort.Next()}/stream";
        await using var host = await AgentHost.StartAsync(data, o =>
        {
            // A refused connection fails at once; the open timeout is long so a loaded machine cannot turn it into a timeout.
            o.Cameras.Add(new CameraOptions { Name = "dead", Url = deadUrl, OpenTimeout = TimeSpan.FromSeconds(20) });
            o.Cameras.Add(AgentHost.SceneCamera("alive", "side-by-side"));
            o.Watchdog.InitialBackoff = TimeSpan.FromMilliseconds(200);
            o.Watchdog.MaxBackoff = TimeSpan.FromSeconds(1);
            o.Watchdog.OfflineAfterFailures = 2;
        });

        var status = await host.WaitForAsync(s =>
            AgentHost.Health(s, "alive") == CameraHealth.Finished
            && AgentHost.Health(s, "dead") is CameraHealth.Offline or CameraHealth.Reconnecting
            && s.Cameras.Single(c => c.Name == "dead").Health.LastError is not null);

        var alive = status.Cameras.Single(c => c.Name == "alive").Lines.Single(l => l.Line == "door");
        var expected = SyntheticScenes.Get("side-by-side").ExpectedCount("door");
        (alive.In, alive.Out).Should().Be((expected.In, expected.Out));
        var dead = status.Cameras.Single(c => c.Name == "dead").Health;
        dead.LastError.Should().Contain("refused");
        JsonSerializer.Serialize(status).Should().NotContain("N0tTelling", "credentials never reach the status");
        host.Agent.Completion.IsCompleted.Should().BeFalse("a dead live camera keeps being retried");
    }

    [Fact]
    public async Task TestCameraAsync_LiveDeadAndUnknownCamera_ReportsResolutionOrRedactedReason()
    {
        var data = TestPaths.NewTempDirectory();
        await using var camera = await RtspServerFixture.StartAsync("--width", "320", "--height", "240", "--fps", "10");
        await using var host = await AgentHost.StartAsync(data, o =>
        {
            o.Cameras.Add(new CameraOptions { Name = "live", Url = camera.Url });
            o.Cameras.Add(new CameraOptions { Name = "dead", Url = $"rtsp://op:Secr3tPw@127.0.0.1:{FreePort.Next()}/x", OpenTimeout = TimeSpan.FromSeconds(5) });
        });

        var live = await host.Agent.TestCameraAsync("live", TestContext.Timeout(60));
        var dead = await host.Agent.TestCameraAsync("dead", TestContext.Timeout(60));

        live!.Success.Should().BeTrue(live.Message);
        (live.Width, live.Height, live.Codec).Should().Be((320, 240, "h264"));
        dead!.Success.Should().BeFalse();
        dead.Error.Should().Be(HgCounter.Frames.FrameSourceErrorKind.ConnectionRefused);
        dead.Message.Should().NotContain("Secr3tPw");
        (await host.Agent.TestCameraAsync("nope", TestContext.Timeout())).Should().BeNull();
    }

    [Fact]
    public async Task Run_ZeroByteModelForOneCamera_ThatCameraReportsTheModelPathOthersCount()
    {
        var data = TestPaths.NewTempDirectory();
        var model = Path.Combine(data, "broken.onnx");
        File.WriteAllBytes(model, []);
        await using var host = await AgentHost.StartAsync(data, o =>
        {
            var onnx = AgentHost.SceneCamera("onnx-cam", "cross-both-ways");
            onnx.Detector = "onnx";
            o.Cameras.Add(onnx);
            o.Cameras.Add(AgentHost.SceneCamera("motion-cam", "cross-both-ways"));
            o.Detectors.Onnx.ModelPath = model;
            o.Watchdog.InitialBackoff = TimeSpan.FromMilliseconds(200);
            o.Watchdog.MaxBackoff = TimeSpan.FromSeconds(1);
        });

        var status = await host.WaitForAsync(s =>
            AgentHost.Health(s, "motion-cam") == CameraHealth.Finished
            && s.Cameras.Single(c => c.Name == "onnx-cam").Health.LastError is not null);

        var expected = SyntheticScenes.Get("cross-both-ways").ExpectedCount("door");
        var counted = status.Cameras.Single(c => c.Name == "motion-cam").Lines.Single();
        (counted.In, counted.Out).Should().Be((expected.In, expected.Out));
        var broken = status.Cameras.Single(c => c.Name == "onnx-cam");
        broken.Health.LastError.Should().Contain("broken.onnx", "the reason names the model file");
        broken.FramesProcessed.Should().Be(0);
        host.Agent.LoopsAlive.Should().BeTrue("a bad model fails its camera, not the agent");
    }

    [Fact]
    public async Task RequestReconnect_DuringAHangingReconnectAttempt_TheCameraKeepsBeingRetried()
    {
        var data = TestPaths.NewTempDirectory();
        await using var hung = await StallServer.StartAsync();
        await using var host = await AgentHost.StartAsync(data, o =>
        {
            // The first attempt fails fast (refused); the reconnect attempt uses the fallback URL, a camera that never answers.
            var camera = new CameraOptions { Name = "hung", Url = $"rtsp://127.0.0.1:{FreePort.Next()}/stream", OpenTimeout = TimeSpan.FromSeconds(60) };
            camera.FallbackUrls.Add($"rtsp://127.0.0.1:{hung.Port}/stream");
            o.Cameras.Add(camera);
            o.Watchdog.OfflineAfterFailures = 1;
            o.Watchdog.InitialBackoff = TimeSpan.FromMilliseconds(200);
            o.Watchdog.MaxBackoff = TimeSpan.FromMilliseconds(500);
        });
        var watchdog = host.Services.GetRequiredService<HgCounter.Reliability.Watchdog.RtspWatchdog>();
        await host.WaitForAsync(s => AgentHost.Health(s, "hung") == CameraHealth.Reconnecting, 30);
        await Task.Delay(500); // inside the hanging open of that attempt
        var attemptsAfterKick = 0;
        watchdog.StateChanged += (_, e) =>
        {
            if (e.Camera.Health == CameraHealth.Reconnecting)
            {
                Interlocked.Increment(ref attemptsAfterKick);
            }
        };

        host.Agent.RequestReconnect("hung").Should().BeTrue();

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Volatile.Read(ref attemptsAfterKick) < 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        attemptsAfterKick.Should().BeGreaterThanOrEqualTo(1, "the attempt cancelled by the operator is closed and a new one starts at once, not after the 60 s open timeout");
    }

    [Fact]
    public async Task RequestReconnect_KnownAndUnknownCamera_ReportsWhetherItExists()
    {
        var data = TestPaths.NewTempDirectory();
        await using var host = await AgentHost.StartAsync(data, o =>
        {
            var camera = AgentHost.SceneCamera("loop", "cross-both-ways");
            camera.Realtime = true;
            camera.Loop = true;
            o.Cameras.Add(camera);
        });
        await host.WaitForAsync(s => AgentHost.Health(s, "loop") == CameraHealth.Healthy);

        host.Agent.RequestReconnect("nope").Should().BeFalse();
        host.Agent.RequestReconnect("loop").Should().BeTrue();

        var status = await host.WaitForAsync(s => s.Cameras.SingleOrDefault()?.Reconnects >= 1 && AgentHost.Health(s, "loop") == CameraHealth.Healthy);
        status.Cameras.Single().Reconnects.Should().BeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task Stop_CameraStalledMidRead_FinishesWithinShutdownTimeoutAndLeavesNoFfmpeg()
    {
        var data = TestPaths.NewTempDirectory();
        await using var camera = await RtspServerFixture.StartAsync("--width", "160", "--height", "120", "--fps", "10");
        var marker = $"127.0.0.1:{camera.Port}/";
        var hung = TimeSpan.FromMinutes(2);
        var host = await AgentHost.StartAsync(data, o =>
        {
            // Every camera timeout far beyond the bound below: only the shutdown deadline can end the hung read in time.
            o.Cameras.Add(new CameraOptions { Name = "hung", Url = camera.Url, OpenTimeout = hung, ReadTimeout = hung });
            o.Watchdog.StallTimeout = hung;
            o.ShutdownTimeout = TimeSpan.FromSeconds(3);
        });
        var stopped = false;
        try
        {
            await host.WaitForAsync(s => s.Cameras.SingleOrDefault()?.FramesProcessed > 0, 60);
            ProcessTable.ChildrenContaining(marker).Should().ContainSingle("ffmpeg reads the camera when the stall begins");
            await camera.PauseAsync();
            // Mid-read: the camera's connection is open and no frame has come for a while.
            await host.WaitForAsync(s => s.Cameras.SingleOrDefault()?.Health.LastFrameAt is { } last && DateTimeOffset.UtcNow - last > TimeSpan.FromSeconds(1), 30);
            ProcessTable.ChildrenContaining(marker).Should().ContainSingle("ffmpeg still waits for the hung camera");

            var stopwatch = Stopwatch.StartNew();
            stopped = true;
            await host.DisposeAsync();
            stopwatch.Stop();

            output.WriteLine($"stopped {stopwatch.Elapsed.TotalSeconds:0.0} s after the request, with the read hung (ShutdownTimeout 3 s)");
            stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "stopping is bounded by ShutdownTimeout (3 s) plus cleanup, not by the camera's 2-minute read timeout");
            (await ProcessTable.WaitForNoChildrenAsync(marker, TimeSpan.FromSeconds(10))).Should().BeEmpty("no ffmpeg may outlive the agent");
        }
        finally
        {
            if (!stopped)
            {
                await host.DisposeAsync();
            }
        }
    }
}
