using System.Text;
using HgCounter.Configuration;
using HgCounter.Runtime.Events;
using HgCounter.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HgCounter.Runtime.Tests.Configuration;

public class OptionsValidationTests
{
    private const string ValidCamera = """{ "Name": "cam1", "Url": "rtsp://127.0.0.1:8554/stream", "Lines": [ { "Name": "door", "Start": [320, 0], "End": [320, 360] } ] }""";

    private static IConfiguration Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    private static async Task<OptionsValidationException?> StartHostAsync(string json, Action<HgCounterBuilder>? build = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var hgCounter = builder.Services.AddHgCounter(Json(json));
        build?.Invoke(hgCounter);
        using var host = builder.Build();
        try
        {
            await host.StartAsync(TestContext.Timeout());
            await host.StopAsync(TestContext.Timeout());
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return ex;
        }
    }

    private static async Task<string> StartupErrorAsync(string hgCounterSection, Action<HgCounterBuilder>? build = null)
    {
        var ex = await StartHostAsync($$"""{ "HgCounter": {{hgCounterSection}} }""", build);
        ex.Should().NotBeNull("the configuration is invalid and start-up must fail");
        return ex!.Message;
    }

    [Fact]
    public async Task Start_ValidConfiguration_Starts()
    {
        var ex = await StartHostAsync($$"""{ "HgCounter": { "Cameras": [ {{ValidCamera}} ] } }""");
        ex.Should().BeNull();
    }

    [Fact]
    public void Bind_FullDocumentedShape_BindsEveryKey()
    {
        var services = new ServiceCollection();
        services.AddHgCounter(Json("""
            { "HgCounter": {
                "WorkerId": "site-a",
                "Cameras": [ { "Name": "cam1", "Url": "rtsp://user:pass@127.0.0.1:554/stream", "FallbackUrls": [ "rtsp://127.0.0.1:8554/backup" ],
                               "Detector": "motion", "TargetFps": 12.5, "Realtime": false, "Loop": true,
                               "Lines": [ { "Name": "door", "Start": [320, 0], "End": [320, 360], "Anchor": "Center", "MinCrossingDistance": 5 } ] } ],
                "Detectors": { "Onnx": { "ModelPath": "models/yolo11n.onnx", "Classes": ["person"], "Confidence": 0.4,
                                         "ExecutionProvider": "cuda", "DeviceId": 1, "OpenVinoDevice": "GPU" } },
                "Watchdog": { "InitialBackoff": "00:00:01", "MaxBackoff": "00:01:00", "MaxRetries": null, "StallTimeout": "00:00:10" },
                "ResourceGuard": { "MaxFps": 30, "MaxMemoryPercent": 80, "MaxQueueSize": 1000, "CheckInterval": "00:00:05" },
                "HealthChecks": { "Interval": "00:00:30" },
                "Tracker": { "HighThreshold": 0.6, "MinHits": 5, "MaxAge": 12 },
                "Events": { "OutboxPath": "data/outbox.db", "Delivery": { "MaxAttemptsPerEvent": 9, "FailureLogInterval": "00:02:00" }, "Sinks": [ { "Type": "postgres", "ConnectionString": "Host=db;Password=x", "Table": "count_events" },
                                                                     { "Type": "http", "Url": "https://example.invalid/rest/v1/count_events", "Headers": { "apikey": "k" } } ] } } }
            """)).AddPostgreSqlSink();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<HgCounterOptions>>().Value;

        options.WorkerId.Should().Be("site-a");
        var camera = options.Cameras.Should().ContainSingle().Subject;
        camera.Url.Should().Be("rtsp://user:pass@127.0.0.1:554/stream");
        camera.FallbackUrls.Should().Equal("rtsp://127.0.0.1:8554/backup");
        camera.TargetFps.Should().Be(12.5);
        camera.Realtime.Should().BeFalse();
        camera.Loop.Should().BeTrue();
        var line = camera.Lines.Should().ContainSingle().Subject;
        line.Start.Should().Equal(320f, 0f);
        line.End.Should().Equal(320f, 360f);
        line.Anchor.Should().Be(HgCounter.Detection.TrackAnchor.Center);
        options.Detectors.Onnx.Classes.Should().Equal("person");
        (options.Detectors.Onnx.ExecutionProvider, options.Detectors.Onnx.DeviceId, options.Detectors.Onnx.OpenVinoDevice).Should().Be(("cuda", 1, "GPU"));
        options.Watchdog.MaxBackoff.Should().Be(TimeSpan.FromMinutes(1));
        options.Watchdog.MaxRetries.Should().BeNull("unlimited retries is the default: an unattended counter must not give up");
        options.ResourceGuard.CheckInterval.Should().Be(TimeSpan.FromSeconds(5));
        (options.Tracker.HighThreshold, options.Tracker.MinHits, options.Tracker.MaxAge).Should().Be((0.6f, 5, 12));
        options.Events.Sinks.Should().HaveCount(2);
        var postgres = options.Events.Sinks[0].Should().BeOfType<PostgreSqlSinkOptions>().Subject;
        (postgres.ConnectionString, postgres.Table).Should().Be(("Host=db;Password=x", "count_events"));
        options.Events.Sinks[1].Should().BeOfType<HttpSinkOptions>().Which.Headers["apikey"].Should().Be("k");
        var delivery = provider.GetRequiredService<IOptions<OutboxUploaderOptions>>().Value;
        (delivery.MaxAttemptsPerEvent, delivery.FailureLogInterval).Should().Be((9, TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public async Task AddHgCounter_DeliveryConfigured_UploaderRunsWithIt()
    {
        var data = TestPaths.NewTempDirectory();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddHgCounter(Json($$"""
            { "HgCounter": { "Cameras": [ {{ValidCamera}} ],
                "Events": { "OutboxPath": {{System.Text.Json.JsonSerializer.Serialize(Path.Combine(data, "outbox.db"))}},
                            "Delivery": { "MaxAttemptsPerEvent": 2, "RetryAfterMax": "00:00:30" } } } }
            """));
        using var host = builder.Build();

        var delivery = host.Services.GetRequiredService<OutboxUploader>().Options;

        (delivery.MaxAttemptsPerEvent, delivery.RetryAfterMax).Should().Be((2, TimeSpan.FromSeconds(30)), "the uploader runs with HgCounter:Events:Delivery");
        delivery.FailureLogInterval.Should().Be(new OutboxUploaderOptions().FailureLogInterval, "what is not configured keeps its default");
    }

    [Fact]
    public void AddHgCounter_CalledTwice_RegistersValidatorOnce()
    {
        var services = new ServiceCollection();
        services.AddHgCounter(o => o.Cameras.Add(new CameraOptions { Name = "a", Url = "synthetic:demo" }));
        services.AddHgCounter(o => { });
        using var provider = services.BuildServiceProvider();

        provider.GetServices<IValidateOptions<HgCounterOptions>>().Should().ContainSingle();
        provider.GetRequiredService<IOptions<HgCounterOptions>>().Value.Cameras.Should().ContainSingle();
    }

    [Fact]
    public async Task Start_NoCameras_NamesCamerasKey()
    {
        var message = await StartupErrorAsync("""{ "Cameras": [] }""");
        message.Should().Contain("HgCounter:Cameras:").And.Contain("at least one camera");
    }

    [Fact]
    public async Task Start_DuplicateCameraNames_NamesSecondCamera()
    {
        var message = await StartupErrorAsync($$"""{ "Cameras": [ {{ValidCamera}}, {{ValidCamera}} ] }""");
        message.Should().Contain("HgCounter:Cameras:1:Name").And.Contain("duplicate");
    }

    [Theory]
    [InlineData("rtsp://", "not a valid rtsp URL")]
    [InlineData("ftp://user:secretpw@cam.example/stream", "unsupported scheme 'ftp'")]
    [InlineData("/definitely/missing/video.mp4", "does not exist")]
    [InlineData("device:-1", "not a device")]
    public async Task Start_BadUrl_NamesUrlKey(string url, string reason)
    {
        var message = await StartupErrorAsync($$"""{ "Cameras": [ {{ValidCamera}}, { "Name": "cam2", "Url": "{{url}}" } ] }""");
        message.Should().Contain("HgCounter:Cameras:1:Url").And.Contain(reason);
    }

    [Fact]
    public async Task Start_BadUrlWithPassword_NeverShowsPassword()
    {
        var message = await StartupErrorAsync("""{ "Cameras": [ { "Name": "cam1", "Url": "ftp://admin:Sup3rSecret@10.0.0.5/live" } ] }""");
        message.Should().Contain("HgCounter:Cameras:0:Url").And.Contain("***@10.0.0.5");
        message.Should().NotContain("Sup3rSecret").And.NotContain("admin:");
    }

    [Fact]
    public async Task Start_BadFallbackUrl_NamesFallbackKey()
    {
        var message = await StartupErrorAsync("""{ "Cameras": [ { "Name": "cam1", "Url": "synthetic:demo", "FallbackUrls": [ "synthetic:demo", "gopher://x" ] } ] }""");
        message.Should().Contain("HgCounter:Cameras:0:FallbackUrls:1");
    }

    [Theory]
    [InlineData("""{ "Name": "door", "Start": [10, 10], "End": [10, 10] }""", "HgCounter:Cameras:0:Lines:0", "two distinct points")]
    [InlineData("""{ "Name": "door", "Start": [10], "End": [10, 10] }""", "HgCounter:Cameras:0:Lines:0:Start", "expected a point")]
    [InlineData("""{ "Name": "door", "Start": [10, 10] }""", "HgCounter:Cameras:0:Lines:0:End", "expected a point")]
    [InlineData("""{ "Start": [0, 0], "End": [10, 10] }""", "HgCounter:Cameras:0:Lines:0:Name", "required")]
    public async Task Start_BadLine_NamesLineKey(string line, string key, string reason)
    {
        var message = await StartupErrorAsync($$"""{ "Cameras": [ { "Name": "cam1", "Url": "synthetic:demo", "Lines": [ {{line}} ] } ] }""");
        message.Should().Contain(key).And.Contain(reason);
    }

    [Fact]
    public async Task Start_NegativeBackoff_NamesKey()
    {
        var message = await StartupErrorAsync($$"""{ "Cameras": [ {{ValidCamera}} ], "Watchdog": { "InitialBackoff": "-00:00:01" } }""");
        message.Should().Contain("HgCounter:Watchdog:InitialBackoff");
    }

    [Fact]
    public async Task Start_MaxBackoffBelowInitial_NamesKey()
    {
        var message = await StartupErrorAsync($$"""{ "Cameras": [ {{ValidCamera}} ], "Watchdog": { "InitialBackoff": "00:00:10", "MaxBackoff": "00:00:05" } }""");
        message.Should().Contain("HgCounter:Watchdog:MaxBackoff").And.Contain("less than InitialBackoff");
    }

    [Fact]
    public async Task Start_TrackerLowThresholdAboveHigh_NamesKey()
    {
        var message = await StartupErrorAsync($$"""{ "Cameras": [ {{ValidCamera}} ], "Tracker": { "HighThreshold": 0.3, "LowThreshold": 0.5 } }""");
        message.Should().Contain("HgCounter:Tracker:HighThreshold: 0.3 is less than LowThreshold 0.5");
    }

    [Theory]
    [InlineData("MinHits", "0")]
    [InlineData("MatchIoU", "0")]
    [InlineData("MaxAge", "-1")]
    public async Task Start_TrackerValueOutOfRange_NamesKey(string key, string value)
    {
        var message = await StartupErrorAsync($$"""{ "Cameras": [ {{ValidCamera}} ], "Tracker": { "{{key}}": {{value}} } }""");
        message.Should().Contain($"HgCounter:Tracker:{key}: The field {key} must be between");
    }

    [Fact]
    public async Task Start_UnknownDetector_NamesKeyAndListsKnown()
    {
        var message = await StartupErrorAsync("""{ "Cameras": [ { "Name": "cam1", "Url": "synthetic:demo", "Detector": "magic" } ] }""");
        message.Should().Contain("HgCounter:Cameras:0:Detector").And.Contain("'magic'").And.Contain("motion");
    }

    [Fact]
    public async Task Start_OnnxDetectorWithMissingModel_NamesModelPath()
    {
        var message = await StartupErrorAsync("""{ "Cameras": [ { "Name": "cam1", "Url": "synthetic:demo", "Detector": "onnx" } ], "Detectors": { "Onnx": { "ModelPath": "models/nope.onnx" } } }""");
        message.Should().Contain("HgCounter:Detectors:Onnx:ModelPath").And.Contain("nope.onnx").And.Contain("does not exist");
    }

    private static string OnnxCamera(string provider) =>
        $$"""{ "Cameras": [ { "Name": "cam1", "Url": "synthetic:demo", "Detector": "onnx" } ], "Detectors": { "Onnx": { "ModelPath": "{{SyntheticModelPath}}", "ExecutionProvider": "{{provider}}" } } }""";

    private static string SyntheticModelPath => Path.Combine(TestPaths.RepositoryRoot, "models", "synthetic-yolov8.onnx");

    [Fact]
    public async Task Start_CudaOnCpuOnlyRuntime_FailsNamingKeyValueProvidersThereAndPackage()
    {
        var message = await StartupErrorAsync(OnnxCamera("cuda"));

        message.Should().Contain("HgCounter:Detectors:Onnx:ExecutionProvider: 'cuda'")
            .And.Contain("CUDAExecutionProvider")
            .And.Contain("it has: CPUExecutionProvider")
            .And.Contain("NuGet package Microsoft.ML.OnnxRuntime.Gpu");
    }

    [Fact]
    public async Task Start_UnknownExecutionProvider_NamesKeyAndListsKnown()
    {
        var message = await StartupErrorAsync(OnnxCamera("vulkan"));

        message.Should().Contain("HgCounter:Detectors:Onnx:ExecutionProvider").And.Contain("'vulkan'")
            .And.Contain("cpu, cuda, tensorrt, openvino, directml, coreml, rocm");
    }

    [Fact]
    public async Task Start_CpuExecutionProviderWithOnnxCamera_Starts()
    {
        var ex = await StartHostAsync($$"""{ "HgCounter": {{OnnxCamera("CPU")}} }""");

        ex.Should().BeNull();
    }

    [Fact]
    public async Task Start_CudaButNoCameraUsesOnnx_Starts()
    {
        var ex = await StartHostAsync($$"""{ "HgCounter": { "Cameras": [ {{ValidCamera}} ], "Detectors": { "Onnx": { "ExecutionProvider": "cuda" } } } }""");

        ex.Should().BeNull("an execution provider only has to be there when a camera runs the model");
    }

    [Fact]
    public async Task Start_UnknownSinkType_NamesKey()
    {
        var message = await StartupErrorAsync($$"""{ "Cameras": [ {{ValidCamera}} ], "Events": { "Sinks": [ { "Type": "jsonl", "Path": "x.jsonl" }, { "Type": "kafka" } ] } }""");
        message.Should().Contain("HgCounter:Events:Sinks:1:Type").And.Contain("'kafka'");
    }

    [Fact]
    public async Task Start_PostgresSinkWithoutConnectionString_NamesKey()
    {
        var message = await StartupErrorAsync($$"""{ "Cameras": [ {{ValidCamera}} ], "Events": { "Sinks": [ { "Type": "postgres", "Table": "bad-name" } ] } }""", b => b.AddPostgreSqlSink());
        message.Should().Contain("HgCounter:Events:Sinks:0:ConnectionString").And.Contain("HgCounter:Events:Sinks:0:Table");
    }

    [Fact]
    public async Task Start_PostgresSinkWithoutThePackageRegistration_NamesKeyPackageAndCall()
    {
        var message = await StartupErrorAsync($$"""{ "Cameras": [ {{ValidCamera}} ], "Events": { "Sinks": [ { "Type": "jsonl", "Path": "x.jsonl" }, { "Type": "postgres", "ConnectionString": "Host=db;Password=pw-secret-9" } ] } }""");
        message.Should().Contain("HgCounter:Events:Sinks:1:Type").And.Contain("HgCounter.Sinks.PostgreSql").And.Contain(".AddPostgreSqlSink()")
            .And.NotContain("pw-secret-9");
    }

    [Fact]
    public async Task Start_BaseSinkOptionsForPostgresType_NamesKeyAndOptionsType()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddHgCounter(o =>
        {
            o.Cameras.Add(new CameraOptions { Name = "cam1", Url = "synthetic:demo", Lines = { new LineOptions { Name = "door", Start = [320, 0], End = [320, 360] } } });
            o.Events.Sinks.Add(new SinkOptions { Type = "postgres" });
        }).AddPostgreSqlSink();
        using var host = builder.Build();

        var act = () => host.StartAsync(TestContext.Timeout());

        (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Message
            .Should().Contain("HgCounter:Events:Sinks:0").And.Contain(nameof(PostgreSqlSinkOptions));
    }

    [Theory]
    [InlineData("\"MaxAttemptsPerEvent\": 0", "HgCounter:Events:Delivery:MaxAttemptsPerEvent")]
    [InlineData("\"RetryBaseDelay\": \"00:00:30\", \"RetryMaxDelay\": \"00:00:10\"", "HgCounter:Events:Delivery:RetryMaxDelay")]
    public async Task Start_InvalidDeliveryValue_NamesKey(string setting, string key)
    {
        var message = await StartupErrorAsync($$"""{ "Cameras": [ {{ValidCamera}} ], "Events": { "Delivery": { {{setting}} } } }""");
        message.Should().Contain(key);
    }

    [Fact]
    public async Task Start_HttpSinkUrlWithKey_RedactsKey()
    {
        var message = await StartupErrorAsync($$"""{ "Cameras": [ {{ValidCamera}} ], "Events": { "Sinks": [ { "Type": "http", "Url": "ftp://svc:TopSecretKey@backend/x" } ] } }""");
        message.Should().Contain("HgCounter:Events:Sinks:0:Url").And.NotContain("TopSecretKey");
    }

    [Theory]
    [InlineData("short-Secret-7")]
    [InlineData("")]
    public async Task Start_HttpSinkSecretTooShort_NamesKeyWithoutTheValue(string secret)
    {
        var message = await StartupErrorAsync($$"""{ "Cameras": [ {{ValidCamera}} ], "Events": { "Sinks": [ { "Type": "http", "Url": "https://backend/x", "Secret": "{{secret}}" } ] } }""");
        message.Should().Contain("HgCounter:Events:Sinks:0:Secret").And.Contain("at least 16 characters");
        if (secret.Length > 0)
        {
            message.Should().NotContain(secret);
        }
    }

    [Fact]
    public async Task Start_UnknownTimeZone_NamesTheKeyAndTheId()
    {
        var message = await StartupErrorAsync($$"""{ "TimeZone": "Mars/Olympus_Mons", "Cameras": [ {{ValidCamera}} ] }""");
        message.Should().Contain("HgCounter:TimeZone").And.Contain("Mars/Olympus_Mons");
    }

    [Theory]
    [InlineData("\"TargetFps\": 0", "HgCounter:Cameras:0:TargetFps")]
    [InlineData("\"OpenTimeout\": \"00:00:00\"", "HgCounter:Cameras:0:OpenTimeout")]
    [InlineData("\"RtspTransport\": \"carrier-pigeon\"", "HgCounter:Cameras:0:RtspTransport")]
    [InlineData("\"HardwareDecode\": \"dxva2\"", "HgCounter:Cameras:0:HardwareDecode")]
    [InlineData("\"HardwareDevice\": \"/dev/dri/renderD128\"", "HgCounter:Cameras:0:HardwareDevice")]
    public async Task Start_OutOfRangeCameraValue_NamesKey(string setting, string key)
    {
        var message = await StartupErrorAsync($$"""{ "Cameras": [ { "Name": "cam1", "Url": "synthetic:demo", {{setting}} } ] }""");
        message.Should().Contain(key);
    }

    [Fact]
    public async Task Start_OutOfRangeValues_MessagesUseConfigurationKeysNotMemberPaths()
    {
        var message = await StartupErrorAsync("""{ "Cameras": [ { "Name": "cam1", "Url": "synthetic:demo", "TargetFps": 0, "Lines": [ { "Name": "door", "Start": [0, 0], "End": [9, 9], "MinCrossingDistance": -1 } ] } ], "Detectors": { "Onnx": { "Gating": { "RecheckEvery": 0 } } } }""");

        message.Should().Contain("HgCounter:Cameras:0:TargetFps: The field TargetFps must be between 0.1 and 120.")
            .And.Contain("HgCounter:Cameras:0:Lines:0:MinCrossingDistance: The field MinCrossingDistance must be between")
            .And.Contain("HgCounter:Detectors:Onnx:Gating:RecheckEvery: The field RecheckEvery must be between 1 and 10000.");
        message.Should().NotContain("HgCounter.").And.NotContain("[0]", "a user edits keys, not C# member paths");
    }

    [Fact]
    public void Validate_NullCameraEntry_NamesTheEntryKey()
    {
        var options = new HgCounterOptions();
        options.Cameras.Add(null!);

        var failures = new HgCounter.Runtime.Configuration.HgCounterOptionsValidator([], []).Validate(null, options).Failures;

        failures.Should().Contain("HgCounter:Cameras:0: the entry is null");
    }

    [Theory]
    [InlineData("ResourceGuard", "MaxMemoryPercent", "150")]
    [InlineData("ResourceGuard", "MaxFps", "0")]
    [InlineData("HealthChecks", "HistorySize", "0")]
    [InlineData("Events", "BatchSize", "0")]
    public async Task Start_OutOfRangeNestedValue_NamesKey(string section, string key, string value)
    {
        var message = await StartupErrorAsync($$"""{ "Cameras": [ {{ValidCamera}} ], "{{section}}": { "{{key}}": {{value}} } }""");
        message.Should().Contain($"HgCounter:{section}:{key}");
    }

    [Fact]
    public async Task Start_SeveralErrors_ReportsAllInOneMessage()
    {
        var message = await StartupErrorAsync("""{ "Cameras": [ { "Name": "", "Url": "" } ], "Watchdog": { "InitialBackoff": "00:00:10", "MaxBackoff": "00:00:01" } }""");
        message.Should().Contain("HgCounter:Cameras:0:Name").And.Contain("HgCounter:Cameras:0:Url").And.Contain("HgCounter:Watchdog:MaxBackoff");
    }
}
