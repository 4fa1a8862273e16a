using HgCounter.Configuration;
using HgCounter.Health;
using HgCounter.Reliability.Health;
using HgCounter.Reliability.Resources;
using HgCounter.Reliability.Tests.Fakes;
using HgCounter.Reliability.Watchdog;
using HgCounter.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace HgCounter.Reliability.Tests.Health;

public sealed class HealthCheckerTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeSystemFiles _files = FakeSystemFiles.ProcMachine(memoryPercent: 40);
    private readonly HealthCheckOptions _options = new() { DnsHost = null };
    private readonly HealthCheckTargets _targets;
    private readonly List<IDisposable> _disposables = [];

    public HealthCheckerTests()
    {
        var root = TestPaths.NewTempDirectory();
        _targets = new HealthCheckTargets { DataDirectory = Path.Combine(root, "data"), WritableDirectories = [Path.Combine(root, "outbox")] };
        _files.SetDiskUsedPercent(30);
    }

    public void Dispose() => _disposables.ForEach(d => d.Dispose());

    private HealthChecker Create(RtspWatchdog? watchdog = null, ILogger<HealthChecker>? logger = null)
    {
        var checker = new HealthChecker(_options, _targets, new LinuxResourceReader(_files, _time), _files, _time, watchdog, logger);
        _disposables.Add(checker);
        return checker;
    }

    [Fact]
    public async Task RunChecks_AllWithinLimits_HealthyWithEveryCheckNamed()
    {
        var checker = Create();

        var snapshot = await checker.RunChecksAsync(TestContext.Timeout());

        snapshot.Overall.Should().Be(HealthStatus.Healthy);
        snapshot.Timestamp.Should().Be(_time.GetUtcNow());
        snapshot.Checks.Select(c => c.Name).Should().BeEquivalentTo("disk", "memory", "cpu", "network", "permissions");
        snapshot.Checks.Should().OnlyContain(c => c.Status == HealthStatus.Healthy && c.Message.Length > 0);
    }

    [Fact]
    public async Task RunChecks_HealthyThenDiskFullThenFreed_OneWarningNamingTheDiskThenHealthyAgainAtInformation()
    {
        var log = new RecordingLogger();
        var checker = Create(logger: log);

        await checker.RunChecksAsync(TestContext.Timeout());
        _files.SetDiskUsedPercent(96);
        await checker.RunChecksAsync(TestContext.Timeout());
        await checker.RunChecksAsync(TestContext.Timeout());
        _files.SetDiskUsedPercent(30);
        await checker.RunChecksAsync(TestContext.Timeout());

        log.Entries.Should().HaveCount(2, "a first healthy run is not news, an unchanged state is not repeated");
        log.Entries[0].Level.Should().Be(LogLevel.Warning);
        log.Entries[0].Message.Should().StartWith("Health is Unhealthy: disk:");
        log.Entries[1].Should().Be((LogLevel.Information, "Health is Healthy again (was Unhealthy)"), "a recovery is not a warning and has no empty problem list");
    }

    private sealed class RecordingLogger : ILogger<HealthChecker>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }

    [Fact]
    public async Task RunChecks_DiskFullAndMemoryHigh_OverallIsTheWorstCheck()
    {
        var checker = Create();
        _files.SetDiskUsedPercent(96);
        _files.SetProcMemoryPercent(85);

        var snapshot = await checker.RunChecksAsync(TestContext.Timeout());

        snapshot.Overall.Should().Be(HealthStatus.Unhealthy);
        snapshot.Checks.Single(c => c.Name == "disk").Status.Should().Be(HealthStatus.Unhealthy);
        snapshot.Checks.Single(c => c.Name == "memory").Status.Should().Be(HealthStatus.Degraded);
        checker.GetStatus().Should().BeSameAs(snapshot);
    }

    [Fact]
    public async Task RunChecks_WithWatchdogAndOfflineCamera_CamerasCheckExplainsWhyRedacted()
    {
        using var watchdog = new RtspWatchdog(new WatchdogOptions(), _time);
        watchdog.Register("door", "rtsp://u:topsecret@cam/live");
        watchdog.Register("yard");
        watchdog.MarkFrameReceived("yard", 1);
        for (var i = 0; i < 3; i++)
        {
            watchdog.MarkFrameFailed("door", "open rtsp://u:topsecret@cam/live failed: 401");
        }

        var snapshot = await Create(watchdog).RunChecksAsync(TestContext.Timeout());

        var cameras = snapshot.Checks.Single(c => c.Name == HealthChecker.CamerasCheck);
        cameras.Status.Should().Be(HealthStatus.Degraded);
        cameras.Message.Should().Contain("1 healthy").And.Contain("door Offline").And.Contain("401").And.NotContain("topsecret");
    }

    [Fact]
    public async Task RunChecks_MoreRunsThanHistorySize_KeepsTheNewest()
    {
        _options.HistorySize = 3;
        var checker = Create();
        var stamps = new List<DateTimeOffset>();

        for (var i = 0; i < 5; i++)
        {
            stamps.Add((await checker.RunChecksAsync(TestContext.Timeout())).Timestamp);
            _time.Advance(TimeSpan.FromSeconds(30));
        }

        checker.GetHistory().Select(h => h.Timestamp).Should().Equal(stamps.Skip(2));
    }

    [Fact]
    public async Task Start_EveryInterval_RunsChecksInTheBackground()
    {
        var checker = Create();
        checker.GetStatus().Should().BeNull();

        checker.Start();
        await WaitForHistoryAsync(checker, 1);
        _time.Advance(_options.Interval);
        await WaitForHistoryAsync(checker, 2);

        var history = checker.GetHistory();
        (history[1].Timestamp - history[0].Timestamp).Should().Be(TimeSpan.FromSeconds(30));
    }

    private static async Task WaitForHistoryAsync(HealthChecker checker, int count)
    {
        // The checks do real file I/O, so the run completes asynchronously; wait for it with a bound.
        var timeout = TestContext.Timeout(20);
        while (checker.GetHistory().Count < count)
        {
            await Task.Delay(10, timeout);
        }
    }
}
