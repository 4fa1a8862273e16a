using HgCounter.Configuration;
using HgCounter.FaultTests.Infrastructure;
using HgCounter.Runtime.Tests.Agent;
using HgCounter.Testing;
using Microsoft.Extensions.Options;

namespace HgCounter.FaultTests.BadInput;

public class InvalidConfigurationTests
{
    private static readonly Dictionary<string, Action<HgCounterOptions>> Cases = new()
    {
        ["Cameras:0:Url|malformed"] = o => o.Cameras[0].Url = "rtsp://",
        ["Cameras:0:Url|unsupported"] = o => o.Cameras[0].Url = "ftp://admin:S3cret@10.0.0.5/live",
        ["Cameras:0:Name"] = o => o.Cameras[0].Name = "",
        ["Cameras:0:Detector"] = o => o.Cameras[0].Detector = "no-such-detector",
        ["Cameras:0:TargetFps"] = o => o.Cameras[0].TargetFps = 0,
        ["Cameras:0:RtspTransport"] = o => o.Cameras[0].RtspTransport = "pigeon",
        ["Cameras:0:OpenTimeout"] = o => o.Cameras[0].OpenTimeout = TimeSpan.Zero,
        ["Cameras:0:ReadTimeout"] = o => o.Cameras[0].ReadTimeout = TimeSpan.Zero,
        ["Cameras:0:Width"] = o => o.Cameras[0].Width = 1,
        ["Cameras:0:Height"] = o => o.Cameras[0].Height = 1,
        ["Cameras:0:Lines:1:Start"] = o => o.Cameras[0].Lines.Add(new LineOptions { Name = "bad", Start = [1], End = [5, 5] }),
        ["DataDirectory"] = o => o.DataDirectory = "",
        ["StatusInterval"] = o => o.StatusInterval = TimeSpan.Zero,
        ["ShutdownTimeout"] = o => o.ShutdownTimeout = TimeSpan.Zero,
        ["Watchdog:InitialBackoff"] = o => o.Watchdog.InitialBackoff = TimeSpan.FromSeconds(-1),
        ["Watchdog:MaxBackoff"] = o => o.Watchdog.MaxBackoff = TimeSpan.FromSeconds(-1),
        ["Watchdog:MaxRetries"] = o => o.Watchdog.MaxRetries = 0,
        ["Watchdog:StallTimeout"] = o => o.Watchdog.StallTimeout = TimeSpan.Zero,
        ["Watchdog:FrozenTimeout"] = o => o.Watchdog.FrozenTimeout = TimeSpan.Zero,
        ["Watchdog:OfflineAfterFailures"] = o => o.Watchdog.OfflineAfterFailures = 0,
        ["ResourceGuard:MaxFps"] = o => o.ResourceGuard.MaxFps = 0,
        ["ResourceGuard:MaxMemoryPercent"] = o => o.ResourceGuard.MaxMemoryPercent = 0,
        ["ResourceGuard:MaxCpuPercent"] = o => o.ResourceGuard.MaxCpuPercent = 101,
        ["ResourceGuard:MaxQueueSize"] = o => o.ResourceGuard.MaxQueueSize = 0,
        ["ResourceGuard:CheckInterval"] = o => o.ResourceGuard.CheckInterval = TimeSpan.Zero,
        ["HealthChecks:Interval"] = o => o.HealthChecks.Interval = TimeSpan.Zero,
        ["HealthChecks:HistorySize"] = o => o.HealthChecks.HistorySize = 0,
        ["HealthChecks:DiskWarningPercent"] = o => o.HealthChecks.DiskWarningPercent = 101,
        ["HealthChecks:DiskErrorPercent"] = o => o.HealthChecks.DiskErrorPercent = -1,
        ["HealthChecks:MemoryWarningPercent"] = o => o.HealthChecks.MemoryWarningPercent = 101,
        ["HealthChecks:MemoryErrorPercent"] = o => o.HealthChecks.MemoryErrorPercent = -1,
        ["HealthChecks:CpuWarningPercent"] = o => o.HealthChecks.CpuWarningPercent = 101,
        ["HealthChecks:NetworkTimeout"] = o => o.HealthChecks.NetworkTimeout = TimeSpan.Zero,
        ["Events:OutboxPath"] = o => o.Events.OutboxPath = "",
        ["Events:BacklogLimit"] = o => o.Events.BacklogLimit = 0,
        ["Events:BatchSize"] = o => o.Events.BatchSize = 0,
        ["Events:Sinks:0"] = o => o.Events.Sinks.Add(new SinkOptions { Type = "no-such-sink" }),
        ["Detectors:Onnx:ModelPath"] = o => o.Cameras[0].Detector = "onnx",
        ["Detectors:Onnx:Confidence"] = o => o.Detectors.Onnx.Confidence = 2,
        ["Detectors:Onnx:NmsThreshold"] = o => o.Detectors.Onnx.NmsThreshold = -1,
        ["Detectors:Onnx:IntraOpThreads"] = o => o.Detectors.Onnx.IntraOpThreads = -1,
        ["Detectors:Onnx:DeviceId"] = o => o.Detectors.Onnx.DeviceId = -1,
        ["Detectors:Onnx:Gating:FullFrameEvery"] = o => o.Detectors.Onnx.Gating.FullFrameEvery = 0,
        ["Detectors:Motion:MinArea"] = o => o.Detectors.Motion.MinArea = 0,
        ["Tracker:MinHits"] = o => o.Tracker.MinHits = 0,
        ["Tracker:HighThreshold"] = o => o.Tracker.LowThreshold = 0.9f,
        ["Events:RetainPoison:MaxEvents"] = o => o.Events.RetainPoison.MaxEvents = 0,
        ["Detectors:Onnx:ExecutionProvider|unknown"] = o => o.Detectors.Onnx.ExecutionProvider = "vulkan",
        ["Detectors:Onnx:ExecutionProvider|absent"] = o =>
        {
            o.Cameras[0].Detector = "onnx";
            o.Detectors.Onnx.ModelPath = Path.Combine(TestPaths.RepositoryRoot, "models", "synthetic-yolov8.onnx");
            o.Detectors.Onnx.ExecutionProvider = "cuda";
        },
    };

    public static TheoryData<string> Keys() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task Start_OneInvalidOption_FailsWithOneMessageNamingTheFullKeyAndNoSecret(string name)
    {
        var key = "HgCounter:" + name.Split('|')[0];
        var act = async () => await AgentHost.StartAsync(TestPaths.NewTempDirectory(), o =>
        {
            FaultOptions.Apply(o);
            o.Cameras.Add(FaultOptions.LoopingScene("cam"));
            Cases[name](o);
        });

        var failure = (await act.Should().ThrowAsync<OptionsValidationException>()).Which;
        failure.Failures.Should().Contain(f => f.StartsWith(key, StringComparison.Ordinal), $"the message names {key}");
        failure.Message.Should().NotContain("S3cret", "credentials never appear in a configuration error");
    }
}
