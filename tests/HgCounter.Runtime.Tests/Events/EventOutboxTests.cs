using HgCounter.Configuration;
using HgCounter.Runtime.Events;
using HgCounter.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HgCounter.Runtime.Tests.Events;

public sealed class EventOutboxTests : IDisposable
{
    private readonly string _directory = TestPaths.NewTempDirectory("hgcounter-outbox");

    private string OutboxPath => Path.Combine(_directory, "outbox.db");

    internal EventOutbox Open(Func<long>? freeDiskBytes = null, int backlogLimit = 100_000, ILogger<EventOutbox>? logger = null) =>
        new(new EventOptions { OutboxPath = OutboxPath, BacklogLimit = backlogLimit }, logger ?? NullLogger<EventOutbox>.Instance, new FakeTimeProvider(), freeDiskBytes);

    [Fact]
    public async Task EnqueueAsync_Returned_EventIsCommittedToTheFile()
    {
        await using var outbox = Open();
        var countEvent = TestEvents.New(1);

        await outbox.EnqueueAsync(countEvent, TestContext.Timeout());

        // A second, independent connection sees the row: it is committed, not buffered in memory.
        using var reader = new SqliteConnection($"Data Source={OutboxPath};Mode=ReadOnly;Pooling=False");
        reader.Open();
        using var command = reader.CreateCommand();
        command.CommandText = "SELECT payload FROM events WHERE event_id = $id";
        command.Parameters.AddWithValue("$id", countEvent.EventId.ToString());
        var payload = command.ExecuteScalar() as string;
        payload.Should().Contain("\"event_id\"").And.Contain("\"camera\":\"door-cam\"");
        outbox.PendingCount.Should().Be(1);
        outbox.WaitingForDiskCount.Should().Be(0, "nothing is left only in memory once EnqueueAsync returned");
    }

    [Fact]
    public async Task Open_NewFile_UsesWriteAheadLog()
    {
        await using var outbox = Open();
        using var reader = new SqliteConnection($"Data Source={OutboxPath};Pooling=False");
        reader.Open();
        using var command = reader.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        (command.ExecuteScalar() as string).Should().Be("wal");
    }

    [Fact]
    public async Task EnqueueAsync_SameEventTwice_StoredOnce()
    {
        await using var outbox = Open();
        var countEvent = TestEvents.New(1);

        await outbox.EnqueueAsync(countEvent, TestContext.Timeout());
        await outbox.EnqueueAsync(countEvent, TestContext.Timeout());

        outbox.PendingCount.Should().Be(1);
        outbox.ReadPending("s", 0, 10).Should().ContainSingle().Which.Event.Should().Be(countEvent);
    }

    [Fact]
    public async Task EnqueueAsync_ManyConcurrentProducers_EveryEventStored()
    {
        var events = TestEvents.Many(2_000);
        await using (var outbox = Open())
        {
            await Task.WhenAll(events.Chunk(500).Select(chunk => Task.Run(async () =>
            {
                foreach (var e in chunk)
                {
                    await outbox.EnqueueAsync(e, TestContext.Timeout(60));
                }
            })));
            outbox.PendingCount.Should().Be(events.Length);
        }

        await using var reopened = Open();
        reopened.ReadPending("s", 0, 5_000).Select(e => e.Event.EventId).Should().BeEquivalentTo(events.Select(e => e.EventId));
    }

    [Fact]
    public async Task Reopen_AfterRestart_KeepsUndeliveredEventsOnly()
    {
        var events = TestEvents.Many(3);
        await using (var outbox = Open())
        {
            foreach (var e in events)
            {
                await outbox.EnqueueAsync(e, TestContext.Timeout());
            }

            outbox.SetSinks(["db"]);
            outbox.MarkDelivered("db", outbox.ReadPending("db", 0, 1));
        }

        await using var reopened = Open();
        reopened.SetSinks(["db"]);

        reopened.PendingCount.Should().Be(2);
        reopened.ReadPending("db", 0, 10).Select(e => e.Event).Should().Equal(events[1], events[2]);
    }

    [Fact]
    public async Task MarkDelivered_TwoSinks_EventRemovedOnlyWhenBothConfirmed()
    {
        await using var outbox = Open();
        outbox.SetSinks(["db", "file"]);
        await outbox.EnqueueAsync(TestEvents.New(1), TestContext.Timeout());

        outbox.MarkDelivered("db", outbox.ReadPending("db", 0, 10));
        outbox.PendingCount.Should().Be(1, "the file sink has not confirmed it yet");
        outbox.ReadPending("db", 0, 10).Should().BeEmpty("the db sink must not get it again");
        outbox.ReadPending("file", 0, 10).Should().ContainSingle();

        outbox.MarkDelivered("file", outbox.ReadPending("file", 0, 10));
        outbox.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task SetSinks_SinkRemovedFromConfiguration_EventsTheOthersConfirmedAreRemoved()
    {
        await using var outbox = Open();
        outbox.SetSinks(["db", "file"]);
        await outbox.EnqueueAsync(TestEvents.New(1), TestContext.Timeout());
        outbox.MarkDelivered("db", outbox.ReadPending("db", 0, 10));

        outbox.SetSinks(["db"]);

        outbox.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task PendingCountChanged_EventStored_ReportsNewCount()
    {
        await using var outbox = Open();
        var reported = new List<long>();
        outbox.PendingCountChanged += (_, count) => { lock (reported) { reported.Add(count); } };

        await outbox.EnqueueAsync(TestEvents.New(1), TestContext.Timeout());
        await outbox.EnqueueAsync(TestEvents.New(2), TestContext.Timeout());

        lock (reported)
        {
            reported.Should().Contain(2);
        }
    }

    [Fact]
    public async Task Open_CorruptFile_MovedAsideAndNewOutboxWorks()
    {
        var garbage = Enumerable.Range(0, 8192).Select(i => (byte)(i * 7)).ToArray();
        await File.WriteAllBytesAsync(OutboxPath, garbage);

        await using var outbox = Open();

        outbox.CorruptFileMovedTo.Should().NotBeNull().And.StartWith(OutboxPath + ".corrupt-");
        (await File.ReadAllBytesAsync(outbox.CorruptFileMovedTo!)).Should().Equal(garbage, "the damaged file is kept for inspection");
        await outbox.EnqueueAsync(TestEvents.New(1), TestContext.Timeout());
        outbox.PendingCount.Should().Be(1);
        var health = await new OutboxHealthCheck(outbox, new EventOptions()).CheckHealthAsync(new HealthCheckContext());
        health.Status.Should().Be(HealthStatus.Degraded);
        health.Description.Should().Contain(outbox.CorruptFileMovedTo!);
    }

    [Fact]
    public void Open_UnwritableLocation_ThrowsOutboxExceptionNamingPath()
    {
        var directoryAsFile = Path.Combine(_directory, "outbox-is-a-directory.db");
        Directory.CreateDirectory(directoryAsFile);

        var act = () => new EventOutbox(new EventOptions { OutboxPath = directoryAsFile }, NullLogger<EventOutbox>.Instance, TimeProvider.System);

        act.Should().Throw<OutboxException>().Which.Message.Should().Contain(directoryAsFile);
    }

    [Fact]
    public async Task EnqueueAsync_DiskNearlyFull_RefusedLoudlyAndHealthUnhealthyUntilSpaceReturns()
    {
        long free = 1024;
        await using var outbox = Open(() => free);
        var check = new OutboxHealthCheck(outbox, new EventOptions());

        var act = async () => await outbox.EnqueueAsync(TestEvents.New(1), TestContext.Timeout());

        (await act.Should().ThrowAsync<OutboxFullException>()).Which.Message.Should().Contain(OutboxPath);
        outbox.RejectedCount.Should().Be(1);
        (await check.CheckHealthAsync(new HealthCheckContext())).Status.Should().Be(HealthStatus.Unhealthy);

        free = 10L * 1024 * 1024 * 1024;
        await outbox.EnqueueAsync(TestEvents.New(2), TestContext.Timeout());
        outbox.PendingCount.Should().Be(1);
        (await check.CheckHealthAsync(new HealthCheckContext())).Status.Should().Be(HealthStatus.Healthy);
    }

    [Fact]
    public async Task EnqueueAsync_CrossingsOfOneFrame_AllStoredOrNoneWhenTheDiskIsFull()
    {
        long free = 1024;
        await using var outbox = Open(() => free);
        var frame = TestEvents.Many(3);

        var act = async () => await outbox.EnqueueAsync(frame, TestContext.Timeout());

        await act.Should().ThrowAsync<OutboxFullException>();
        outbox.RejectedCount.Should().Be(3, "every event of the refused frame counts as refused");
        outbox.PendingCount.Should().Be(0);

        free = 10L * 1024 * 1024 * 1024;
        await outbox.EnqueueAsync(frame, TestContext.Timeout());
        outbox.PendingCount.Should().Be(3);
        using var reader = new SqliteConnection($"Data Source={OutboxPath};Mode=ReadOnly;Pooling=False");
        reader.Open();
        using var command = reader.CreateCommand();
        command.CommandText = "SELECT COUNT(DISTINCT enqueued_at) || '/' || COUNT(*) FROM events";
        (command.ExecuteScalar() as string).Should().Be("1/3", "the three were written in one transaction (one commit time)");
    }

    [Fact]
    public async Task EnqueueAsync_AfterDispose_ThrowsOutboxClosed()
    {
        var outbox = Open();
        await outbox.DisposeAsync();

        var act = async () => await outbox.EnqueueAsync(TestEvents.New(1), TestContext.Timeout());

        (await act.Should().ThrowAsync<OutboxException>()).Which.Message.Should().Contain("closed").And.Contain(OutboxPath);
    }

    [Fact]
    public async Task EnqueueAsync_PendingCountChangedHandlerThrows_LaterEventsStillStoredAndOtherHandlersCalled()
    {
        var log = new LogCapture();
        await using var outbox = Open(logger: log.For<EventOutbox>());
        long lastSeen = 0;
        outbox.PendingCountChanged += (_, _) => throw new InvalidOperationException("a status page bug");
        outbox.PendingCountChanged += (_, pending) => Interlocked.Exchange(ref lastSeen, pending);

        for (var i = 1; i <= 3; i++)
        {
            // Bounded: before the fix the first throw ended the writer and the second call waited forever.
            await outbox.EnqueueAsync(TestEvents.New(i), TestContext.Timeout());
        }

        outbox.PendingCount.Should().Be(3, "every camera keeps counting although one subscriber is broken");
        // The writer notifies right after it completes the write, so the last notification may trail EnqueueAsync a little.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Interlocked.Read(ref lastSeen) != 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Interlocked.Read(ref lastSeen).Should().Be(3, "a throwing handler does not starve the handlers after it");
        log.All.Should().Contain("PendingCountChanged handler").And.Contain("a status page bug");
    }

    [Fact]
    public async Task EnqueueAsync_WriterLoopDies_PendingAndLaterWritesFailWithOutboxExceptionInsteadOfHanging()
    {
        // A logging provider that throws while the writer reports a refused write takes the writer loop down.
        await using var outbox = Open(() => 0, logger: new ThrowingLogger<EventOutbox>(LogLevel.Error));

        var first = async () => await outbox.EnqueueAsync(TestEvents.New(1), TestContext.Timeout());
        var later = async () => await outbox.EnqueueAsync(TestEvents.New(2), TestContext.Timeout());

        await first.Should().ThrowAsync<OutboxFullException>("the write in hand is answered, not abandoned");
        (await later.Should().ThrowAsync<OutboxException>()).Which.Message.Should().Contain("closed").And.Contain("log sink is broken");
        await later.Should().ThrowAsync<OutboxException>("every further call fails fast too");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
