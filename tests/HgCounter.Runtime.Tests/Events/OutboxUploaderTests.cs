using HgCounter.Configuration;
using HgCounter.Events;
using HgCounter.Runtime.Events;
using HgCounter.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HgCounter.Runtime.Tests.Events;

public sealed class OutboxUploaderTests : IAsyncLifetime
{
    private readonly string _directory = TestPaths.NewTempDirectory("hgcounter-uploader");
    private readonly FakeTimeProvider _time = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly EventOptions _options;
    private EventOutbox _outbox = null!;
    private Task _running = Task.CompletedTask;

    public OutboxUploaderTests() => _options = new EventOptions { OutboxPath = Path.Combine(_directory, "outbox.db"), BatchSize = 10 };

    public Task InitializeAsync()
    {
        _outbox = new EventOutbox(_options, NullLogger<EventOutbox>.Instance, _time);
        return Task.CompletedTask;
    }

    private OutboxUploader Start(params ICountEventSink[] sinks) => Start(NullLogger<OutboxUploader>.Instance, sinks);

    private OutboxUploader Start(ILogger<OutboxUploader> logger, params ICountEventSink[] sinks)
    {
        var uploader = new OutboxUploader(_outbox, sinks, _options, new OutboxUploaderOptions(), logger, _time);
        _running = uploader.RunAsync(_stop.Token);
        return uploader;
    }

    private async Task EnqueueAsync(IEnumerable<CountEvent> events)
    {
        foreach (var e in events)
        {
            await _outbox.EnqueueAsync(e, TestContext.Timeout());
        }
    }

    [Fact]
    public async Task RunAsync_SinkUp_DeliversEveryEventOnceAndEmptiesOutbox()
    {
        var sink = new ScriptedSink("db");
        Start(sink);
        var events = TestEvents.Many(25);

        await EnqueueAsync(events);

        (await FakeClock.WaitUntilAsync(() => _outbox.PendingCount == 0)).Should().BeTrue();
        sink.Accepted.Should().BeEquivalentTo(events.Select(e => e.EventId));
        sink.Accepted.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task RunAsync_SinkDown_WaitsOnTheClockThenRetriesUntilDelivered()
    {
        var sink = new ScriptedSink("db") { FailuresLeft = 4 };
        var events = TestEvents.Many(3);
        await EnqueueAsync(events);

        var uploader = Start(sink);
        (await FakeClock.WaitUntilAsync(() => sink.Attempts == 1)).Should().BeTrue();
        await Task.Delay(200);
        sink.Attempts.Should().Be(1, "the next attempt waits for the backoff delay on the clock");
        uploader.Sinks.Should().ContainSingle().Which.ConsecutiveFailures.Should().Be(1);
        uploader.Sinks[0].LastError.Should().Contain("db is down");
        _outbox.PendingCount.Should().Be(3, "nothing leaves the outbox before the sink confirmed it");

        (await FakeClock.AdvanceUntilAsync(_time, () => _outbox.PendingCount == 0, TimeSpan.FromSeconds(1))).Should().BeTrue();

        sink.Accepted.Should().HaveCount(3);
        sink.Attempts.Should().Be(5, "one batch: four failures, then the delivery");
        sink.Accepted.Should().BeEquivalentTo(events.Select(e => e.EventId));
        uploader.Sinks[0].Should().BeEquivalentTo(new { Delivered = 3L, ConsecutiveFailures = 0, LastError = (string?)null });
    }

    [Fact]
    public async Task RunAsync_OneOfTwoSinksDown_EventsStayUntilBothConfirmedAndTheOtherIsNotHeldBack()
    {
        var up = new ScriptedSink("file");
        var down = new ScriptedSink("db") { Down = true };
        Start(up, down);
        var events = TestEvents.Many(5);

        await EnqueueAsync(events);

        (await FakeClock.WaitUntilAsync(() => up.Accepted.Count == 5)).Should().BeTrue("a dead sink must not hold the others back");
        _outbox.PendingCount.Should().Be(5);

        down.Down = false;
        (await FakeClock.AdvanceUntilAsync(_time, () => _outbox.PendingCount == 0, TimeSpan.FromSeconds(5))).Should().BeTrue();
        down.Accepted.Should().BeEquivalentTo(events.Select(e => e.EventId));
        up.Accepted.Should().HaveCount(5, "the healthy sink does not get the events again");
    }

    [Fact]
    public async Task RunAsync_SinkRejectsOneEvent_ItIsSetAsideAsPoisonAfterTheCapAndTheRestDelivered()
    {
        var events = TestEvents.Many(8);
        var sink = new ScriptedSink("api");
        sink.Rejected.Add(events[5].EventId);
        await EnqueueAsync(events);

        var uploader = Start(sink);

        (await FakeClock.WaitUntilAsync(() => sink.Accepted.Count == 7)).Should().BeTrue("the neighbours are delivered at once");
        _outbox.PoisonCount.Should().Be(0, "one refusal is not yet proof");
        (await FakeClock.AdvanceUntilAsync(_time, () => _outbox.PendingCount == 0, TimeSpan.FromSeconds(1))).Should().BeTrue();
        sink.Accepted.Should().BeEquivalentTo(events.Where((_, i) => i != 5).Select(e => e.EventId));
        _outbox.PoisonCount.Should().Be(1);
        _outbox.ReadPoison().Should().ContainSingle().Which.Should().BeEquivalentTo(new { events[5].EventId, Sink = "api" });
        uploader.Sinks[0].Poisoned.Should().Be(1);
        var attempts = sink.Attempts;
        _time.Advance(TimeSpan.FromHours(1));
        await Task.Delay(200);
        sink.Attempts.Should().Be(attempts, "a poisoned event is not retried");
        var health = await new OutboxHealthCheck(_outbox, _options).CheckHealthAsync(new HealthCheckContext());
        health.Status.Should().Be(HealthStatus.Degraded);
    }

    [Fact]
    public async Task RunAsync_UnreadableRowAtTheHead_SetAsideForEachSinkAndTheRestDelivered()
    {
        // A row written by another version (or damaged) sits first in line, between readable events.
        var before = TestEvents.Many(2);
        await EnqueueAsync(before);
        await _outbox.DisposeAsync();
        var badId = Guid.NewGuid();
        using (var db = new SqliteConnection($"Data Source={_options.OutboxPath};Pooling=False"))
        {
            db.Open();
            using var command = db.CreateCommand();
            command.CommandText = "INSERT INTO events (event_id, payload, enqueued_at) VALUES ($id, '{\"event_id\": \"trunc', '2026-11-28T08:00:00Z')";
            command.Parameters.AddWithValue("$id", badId.ToString());
            command.ExecuteNonQuery();
        }

        _outbox = new EventOutbox(_options, NullLogger<EventOutbox>.Instance, _time);
        var db1 = new ScriptedSink("db");
        var file = new ScriptedSink("file");
        Start(db1, file);
        var after = TestEvents.Many(2);
        await EnqueueAsync(after);

        (await FakeClock.WaitUntilAsync(() => _outbox.PendingCount == 0)).Should().BeTrue("the bad row must not block the lane");
        var good = before.Concat(after).Select(e => e.EventId);
        db1.Accepted.Should().BeEquivalentTo(good);
        file.Accepted.Should().BeEquivalentTo(good);
        _outbox.PoisonCount.Should().Be(2, "one poison row per sink that could not read it");
        _outbox.ReadPoison().Should().HaveCount(2).And.OnlyContain(p => p.EventId == badId && p.Reason.Contains("unreadable payload"));
        _running.IsFaulted.Should().BeFalse();
    }

    [Fact]
    public async Task RunAsync_UnexpectedExceptionInALane_LaneSurvivesAndDeliversAfterBackoff()
    {
        // A throwing logging provider stands for any exception the lane does not anticipate.
        var sink = new ScriptedSink("db") { FailuresLeft = 1 };
        var uploader = Start(new ThrowingLogger<OutboxUploader>(LogLevel.Warning, times: 1), sink);
        var events = TestEvents.Many(3);

        await EnqueueAsync(events);

        (await FakeClock.AdvanceUntilAsync(_time, () => _outbox.PendingCount == 0, TimeSpan.FromSeconds(1))).Should().BeTrue();
        sink.Accepted.Should().BeEquivalentTo(events.Select(e => e.EventId));
        uploader.Sinks[0].Delivered.Should().Be(3);
        _running.IsCompleted.Should().BeFalse("the lane is still running");
    }

    [Fact]
    public async Task RunAsync_NoSinks_EventsStayInTheOutbox()
    {
        Start();
        await EnqueueAsync(TestEvents.Many(2));

        await _running.WaitAsync(TestContext.Timeout());

        _outbox.PendingCount.Should().Be(2);
    }

    [Fact]
    public void Constructor_TwoSinksWithOneName_Throws()
    {
        var act = () => new OutboxUploader(_outbox, [new ScriptedSink("x"), new ScriptedSink("x")], _options, new OutboxUploaderOptions(), NullLogger<OutboxUploader>.Instance, _time);

        act.Should().Throw<ArgumentException>().WithMessage("*'x'*unique*");
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(TestContext.Timeout());
        await _outbox.DisposeAsync();
        _stop.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
