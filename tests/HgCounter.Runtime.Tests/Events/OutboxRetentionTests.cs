using HgCounter.Configuration;
using HgCounter.Runtime.Events;
using HgCounter.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HgCounter.Runtime.Tests.Events;

/// <summary>Retention of the outbox file (real SQLite file): undelivered events with no sink, the poison table, free space.</summary>
public sealed class OutboxRetentionTests : IDisposable
{
    private readonly string _directory = TestPaths.NewTempDirectory("hgcounter-retention");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

    private string OutboxPath => Path.Combine(_directory, "outbox.db");

    private EventOutbox Open(Action<EventOptions>? configure = null, ILogger<EventOutbox>? logger = null, Func<long>? freeDiskBytes = null)
    {
        var options = new EventOptions { OutboxPath = OutboxPath };
        configure?.Invoke(options);
        return new EventOutbox(options, logger ?? NullLogger<EventOutbox>.Instance, _time, freeDiskBytes);
    }

    private static async Task StoreAsync(EventOutbox outbox, IEnumerable<HgCounter.Events.CountEvent> events) =>
        await Task.WhenAll(events.Select(e => outbox.EnqueueAsync(e, TestContext.Timeout(120)).AsTask()));

    // Retention runs on a timer and once the sinks are known; a run already under way makes another call return at once.
    private static Task<bool> MaintainUntilAsync(EventOutbox outbox, Func<bool> condition) =>
        FakeClock.WaitUntilAsync(() =>
        {
            outbox.RunMaintenance();
            return condition();
        });

    [Fact]
    public async Task RunMaintenance_NoSinkEventsPastMaxAge_OldestRemovedRecentKept()
    {
        await using var outbox = Open(o => o.RetainUndelivered.MaxAge = TimeSpan.FromMinutes(10));
        outbox.SetSinks([]);
        var old = TestEvents.Many(40);
        await StoreAsync(outbox, old);
        _time.Advance(TimeSpan.FromMinutes(6));
        var recent = TestEvents.Many(25);
        await StoreAsync(outbox, recent);

        // 11 minutes after the first events: the timer's runs on the way remove them.
        for (var minute = 0; minute < 5; minute++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        (await MaintainUntilAsync(outbox, () => outbox.PendingCount == recent.Length)).Should().BeTrue($"events past MaxAge go; pending is {outbox.PendingCount}");
        outbox.ReadPending("probe", 0, 1_000).Select(e => e.Event.EventId).Should().BeEquivalentTo(recent.Select(e => e.EventId));
    }

    [Fact]
    public async Task RunMaintenance_NoSinkOutboxPastMaxMegabytes_OldestRemovedUntilUnderTheCap()
    {
        await using var outbox = Open(o => o.RetainUndelivered.MaxMegabytes = 1);
        await StoreAsync(outbox, TestEvents.Many(8_000));
        var stored = outbox.ReadPending("probe", 0, 10_000).Select(e => e.Sequence).ToArray();
        UsedBytes().Should().BeGreaterThan(2L * 1024 * 1024, "the test needs an outbox well past the cap");

        outbox.SetSinks([]);

        (await MaintainUntilAsync(outbox, () => UsedBytes() <= 1024 * 1024)).Should().BeTrue($"the cap holds; {UsedBytes()} bytes in use");
        var kept = outbox.ReadPending("probe", 0, 10_000).Select(e => e.Sequence).ToArray();
        kept.Should().NotBeEmpty("only as many as needed go").And.Equal(stored[^kept.Length..], "the oldest go first");
        outbox.PendingCount.Should().Be(kept.Length);
    }

    [Fact]
    public async Task RunMaintenance_SinkConfigured_NoUndeliveredEventIsEverDropped()
    {
        await using var outbox = Open(o =>
        {
            o.RetainUndelivered.MaxAge = TimeSpan.FromMinutes(10);
            o.RetainUndelivered.MaxMegabytes = 1;
        });
        outbox.SetSinks(["db"]);
        var events = TestEvents.Many(8_000);
        await StoreAsync(outbox, events);

        for (var minute = 0; minute < 30; minute++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        outbox.RunMaintenance();
        outbox.PendingCount.Should().Be(events.Length, "an outbox with a sink keeps every undelivered event, past age and size");
        outbox.ReadPending("db", 0, 10_000).Should().HaveCount(events.Length);
    }

    [Fact]
    public async Task RunMaintenance_PoisonPastMaxEvents_OldestRowsRemoved()
    {
        await using var outbox = Open(o => o.RetainPoison.MaxEvents = 10);
        outbox.SetSinks(["db"]);
        await StoreAsync(outbox, TestEvents.Many(30));
        foreach (var entry in outbox.ReadPending("db", 0, 100))
        {
            outbox.MarkPoison("db", entry, "rejected");
        }

        var newest = outbox.ReadPoison(10).Select(p => p.EventId).ToArray();

        (await MaintainUntilAsync(outbox, () => outbox.PoisonCount == 10)).Should().BeTrue($"the poison table is bounded; {outbox.PoisonCount} rows");
        outbox.ReadPoison(100).Select(p => p.EventId).Should().Equal(newest);
    }

    [Fact]
    public async Task RunMaintenance_PoisonPastMaxAge_OldRowsRemoved()
    {
        await using var outbox = Open(o => o.RetainPoison.MaxAge = TimeSpan.FromMinutes(10));
        outbox.SetSinks(["db"]);
        await StoreAsync(outbox, TestEvents.Many(8));
        var entries = outbox.ReadPending("db", 0, 100);
        foreach (var entry in entries.Take(5))
        {
            outbox.MarkPoison("db", entry, "rejected");
        }

        _time.Advance(TimeSpan.FromMinutes(6));
        foreach (var entry in entries.Skip(5))
        {
            outbox.MarkPoison("db", entry, "rejected");
        }

        _time.Advance(TimeSpan.FromMinutes(5));

        (await MaintainUntilAsync(outbox, () => outbox.PoisonCount == 3)).Should().BeTrue($"rows past MaxAge go; {outbox.PoisonCount} rows");
        outbox.ReadPoison(100).Select(p => p.EventId).Should().BeEquivalentTo(entries.Skip(5).Select(e => e.Event.EventId));
    }

    [Fact]
    public async Task SetSinks_NoSinks_WarnsOnceThatEventsAreKeptLocallyOnlyAndForHowLong()
    {
        var log = new LogCapture();
        await using var outbox = Open(logger: log.For<EventOutbox>());

        outbox.SetSinks([]);

        log.Lines.Where(l => l.Contains("kept locally only", StringComparison.Ordinal)).Should().ContainSingle()
            .Which.Should().StartWith("Warning").And.Contain("30 days").And.Contain("1024 MB").And.Contain(OutboxPath);
    }

    [Fact]
    public async Task RunMaintenance_LargeBacklogDelivered_FileShrinks()
    {
        await using var outbox = Open();
        outbox.SetSinks(["db"]);
        await StoreAsync(outbox, TestEvents.Many(20_000));
        outbox.RunMaintenance(); // nothing to give back yet: a checkpoint still brings the file to its full size
        var backlogBytes = new FileInfo(OutboxPath).Length;
        backlogBytes.Should().BeGreaterThan(4L * 1024 * 1024);

        IReadOnlyList<OutboxEntry> batch;
        while ((batch = outbox.ReadPending("db", 0, 1_000)).Count > 0)
        {
            outbox.MarkDelivered("db", batch);
        }

        (await MaintainUntilAsync(outbox, () => new FileInfo(OutboxPath).Length < backlogBytes / 4)).Should()
            .BeTrue($"free pages go back to the file system; {new FileInfo(OutboxPath).Length} of {backlogBytes} bytes remain");
        outbox.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task EnqueueAsync_DiskFullBurst_OneLogLineAMinuteAndEveryEventAnswered()
    {
        var log = new LogCapture();
        await using var outbox = Open(logger: log.For<EventOutbox>(), freeDiskBytes: () => 0);

        for (var i = 0; i < 300; i++)
        {
            var store = async () => await outbox.EnqueueAsync(TestEvents.New(i), TestContext.Timeout());
            await store.Should().ThrowAsync<OutboxFullException>("each caller still learns its event was not stored");
        }

        DiskFullLines().Should().ContainSingle("a full disk is logged once a minute, not once per event");
        _time.Advance(EventOutbox.MaintenanceInterval);
        var last = async () => await outbox.EnqueueAsync(TestEvents.New(300), TestContext.Timeout());
        await last.Should().ThrowAsync<OutboxFullException>();

        DiskFullLines().Should().HaveCount(2).And.Subject.Last().Should().Contain("299 more failed write(s) not logged").And.Contain("301 refused in all");
        outbox.RejectedCount.Should().Be(301);

        string[] DiskFullLines() => log.Lines.Where(l => l.Contains("is full", StringComparison.Ordinal)).ToArray();
    }

    private long UsedBytes()
    {
        using var reader = new SqliteConnection($"Data Source={OutboxPath};Mode=ReadOnly;Pooling=False");
        reader.Open();
        return OutboxRetention.UsedBytes(reader);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
