using HgCounter.Configuration;

namespace HgCounter.FaultTests.Infrastructure;

/// <summary>The short timeouts every fault test runs the agent with, so that each outage takes seconds, not minutes.</summary>
internal static class FaultOptions
{
    public static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(4);

    /// <summary>
    /// Room a loaded 2-core machine needs on top of a promised bound (process start-up, thread-pool and status polling
    /// delays); no behaviour promises it. Measured figures go to the fault table (docs/reliability.md), not to asserts.
    /// </summary>
    public static readonly TimeSpan LoadSlack = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait the watchdog may schedule: the cap with its +25 % jitter.</summary>
    public static TimeSpan MaxBackoffWithJitter => MaxBackoff * 1.25;

    /// <summary>
    /// What reconnecting promises once a camera is back: an attempt already under way ends within <see cref="OpenTimeout"/>,
    /// the next one starts within the backoff cap and opens within <see cref="OpenTimeout"/>.
    /// </summary>
    public static TimeSpan ReconnectBound => OpenTimeout + MaxBackoffWithJitter + OpenTimeout;

    public static void Apply(HgCounterOptions options)
    {
        options.Watchdog.StallTimeout = StallTimeout;
        options.Watchdog.InitialBackoff = InitialBackoff;
        options.Watchdog.MaxBackoff = MaxBackoff;
        options.Watchdog.OfflineAfterFailures = 2;
        options.HealthChecks.Interval = TimeSpan.FromSeconds(1);
        options.HealthChecks.NetworkTimeout = TimeSpan.FromSeconds(1);
        options.ResourceGuard.CheckInterval = TimeSpan.FromMilliseconds(500);
        // Other work on a shared machine must not slow the cameras down to 1 fps (CpuPressureTests covers adaptive fps).
        options.ResourceGuard.MaxCpuPercent = 100;
        options.ShutdownTimeout = TimeSpan.FromSeconds(5);
    }

    /// <summary>A network camera with short timeouts, counting motion at 5 fps.</summary>
    public static CameraOptions Camera(string name, string url) => new()
    {
        Name = name,
        Url = url,
        Detector = "motion",
        TargetFps = 5,
        OpenTimeout = OpenTimeout,
        ReadTimeout = ReadTimeout,
    };

    /// <summary>A generated scene with its own lines, looping in real time: a camera that is always fine.</summary>
    public static CameraOptions LoopingScene(string name, string scene = "demo")
    {
        var camera = HgCounter.Runtime.Tests.Agent.AgentHost.SceneCamera(name, scene);
        camera.Realtime = true;
        camera.Loop = true;
        camera.TargetFps = 5;
        return camera;
    }
}
