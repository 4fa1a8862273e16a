using HgCounter.Configuration;
using HgCounter.Events;
using HgCounter.Runtime.Events;
using HgCounter.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
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

    private OutboxUploader Start(params ICountEventSink[] sinks)
    {
        var uploader = new OutboxUploader(_outbox, sinks, _options, new OutboxUploaderOptions(), NullLogger<OutboxUploader>.Instance, _time);
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
    public async Task RunAsync_SinkRejectsOneEvent_ItIsSetAsideAsPoisonAndTheRestDelivered()
    {
        var events = TestEvents.Many(8);
        var sink = new ScriptedSink("api");
        sink.Rejected.Add(events[5].EventId);
        var uploader = Start(sink);

        await EnqueueAsync(events);

        (await FakeClock.WaitUntilAsync(() => _outbox.PendingCount == 0)).Should().BeTrue();
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
