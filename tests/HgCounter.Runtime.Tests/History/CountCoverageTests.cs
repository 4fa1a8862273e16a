using HgCounter.Configuration;
using HgCounter.Runtime.Events;
using HgCounter.Runtime.History;
using HgCounter.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace HgCounter.Runtime.Tests.History;

/// <summary>Coverage in a real outbox file: a camera that was offline shows as reduced coverage or a gap, never as zero counts.</summary>
public sealed class CountCoverageTests : IDisposable
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private readonly string _directory = TestPaths.NewTempDirectory("hgcounter-coverage");

    [Fact]
    public async Task Query_CameraOfflineForFiveMinutes_BucketCoveredTenOfFifteenMinutesAndTheNextOneIsAGap()
    {
        var options = new EventOptions { OutboxPath = Path.Combine(_directory, "outbox.db") };
        await using var outbox = new EventOutbox(options, NullLogger<EventOutbox>.Instance, TimeProvider.System, freeDiskBytes: null, history: new CountHistorySettings(new CountHistoryOptions(), Berlin));
        var history = outbox.History!;
        var coverage = new CameraCoverage("cam1", targetFps: 1, history);
        var start = new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.FromHours(1));

        // One frame a second from 10:00 to 10:05, nothing until 10:10 (offline), then frames until 10:15.
        for (var s = 0; s <= 300; s++)
        {
            coverage.FrameProcessed(start.AddSeconds(s));
        }

        coverage.Break();
        for (var s = 600; s <= 900; s++)
        {
            coverage.FrameProcessed(start.AddSeconds(s));
        }

        history.FlushCoverage();
        var quarters = await history.QueryAsync("cam1", start, start.AddMinutes(45), CountBucketSize.QuarterHour, TestContext.Timeout());
        var hours = await history.QueryAsync("cam1", start, start.AddHours(1), CountBucketSize.Hour, TestContext.Timeout());

        quarters.Should().NotBeEmpty();
        quarters.Where(r => r.BucketStart == start).Should().OnlyContain(r => r.CoveredSeconds == 600 && r.Count == 0, "10 of 15 minutes were counted, and nothing was");
        quarters.Where(r => r.BucketStart == start.AddMinutes(15)).Sum(r => r.CoveredSeconds).Should().Be(0);
        quarters.Should().NotContain(r => r.BucketStart == start.AddMinutes(30), "a bucket nobody counted in is a gap, not a zero");
        hours.Should().OnlyContain(r => r.CoveredSeconds == 600);
    }

    [Fact]
    public async Task Query_TenFramesASecondAcrossAQuarterHourBoundary_EachBucketGetsItsMinute()
    {
        var options = new EventOptions { OutboxPath = Path.Combine(_directory, "outbox.db") };
        await using var outbox = new EventOutbox(options, NullLogger<EventOutbox>.Instance, TimeProvider.System, freeDiskBytes: null, history: new CountHistorySettings(new CountHistoryOptions(), Berlin));
        var history = outbox.History!;
        var coverage = new CameraCoverage("cam1", targetFps: 10, history);
        var start = new DateTimeOffset(2026, 12, 3, 10, 14, 0, TimeSpan.FromHours(1));

        // 10:14:00 to 10:16:00 at 10 fps (timestamps as a camera gives them: 100 ms apart, not a multiple of a push).
        for (var i = 0; i <= 1200; i++)
        {
            coverage.FrameProcessed(start.AddTicks(i * TimeSpan.TicksPerSecond / 10));
        }

        coverage.Break();
        var quarters = await history.QueryAsync("cam1", start.AddMinutes(-14), start.AddMinutes(16), CountBucketSize.QuarterHour, TestContext.Timeout());
        var hours = await history.QueryAsync("cam1", start.AddMinutes(-14), start.AddMinutes(46), CountBucketSize.Hour, TestContext.Timeout());

        quarters.Select(r => (r.BucketStart, r.CoveredSeconds)).Should().BeEquivalentTo(new[] { (start.AddMinutes(-14), 60L), (start.AddMinutes(1), 60L) });
        hours.Should().ContainSingle().Which.CoveredSeconds.Should().Be(120);
    }

    [Fact]
    public async Task FrameProcessed_SteadyFrames_AllocatesNothing()
    {
        var options = new EventOptions { OutboxPath = Path.Combine(_directory, "outbox.db") };
        await using var outbox = new EventOutbox(options, NullLogger<EventOutbox>.Instance, TimeProvider.System, freeDiskBytes: null, history: new CountHistorySettings(new CountHistoryOptions(), Berlin));
        var coverage = new CameraCoverage("cam1", targetFps: 10, outbox.History!);
        var start = new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.FromHours(1));
        for (var i = 0; i < 100; i++)
        {
            coverage.FrameProcessed(start.AddMilliseconds(i * 100)); // warm: the bucket keys exist
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 100; i < 3000; i++)
        {
            coverage.FrameProcessed(start.AddMilliseconds(i * 100)); // 290 s inside one quarter hour, with pushes
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0, "coverage is recorded on every processed frame");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
