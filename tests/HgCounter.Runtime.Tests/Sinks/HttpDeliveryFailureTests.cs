using System.Globalization;
using System.Text.Json;
using HgCounter.Configuration;
using HgCounter.Events;
using HgCounter.Runtime.Events;
using HgCounter.Runtime.Sinks;
using HgCounter.Runtime.Tests.Events;
using HgCounter.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HgCounter.Runtime.Tests.Sinks;

/// <summary>
/// The uploader and the HTTP sink against a real HTTP server that misbehaves the way real backends do: a rotated key,
/// a moved endpoint, a busy server, one row it refuses. No event may be lost, poisoned without proof, or sent elsewhere.
/// </summary>
public sealed class HttpDeliveryFailureTests : IAsyncLifetime
{
    private const string ApiKey = "sb-secret-key-77d1e0";

    private readonly string _directory = TestPaths.NewTempDirectory("hgcounter-http-delivery");
    private readonly FakeTimeProvider _time = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpBackend _backend = new();
    private readonly EventOptions _options;
    private EventOutbox _outbox = null!;
    private HttpSink _sink = null!;
    private OutboxUploader _uploader = null!;
    private Task _running = Task.CompletedTask;

    public HttpDeliveryFailureTests() => _options = new EventOptions { OutboxPath = Path.Combine(_directory, "outbox.db"), BatchSize = 10 };

    public Task InitializeAsync()
    {
        _outbox = new EventOutbox(_options, NullLogger<EventOutbox>.Instance, _time);
        // A timeout far beyond any clock step here, so an attempt in flight is never cut off by the test's clock.
        var sinkOptions = new HttpSinkOptions { Type = "http", Name = "api", Url = _backend.Url, Timeout = TimeSpan.FromHours(10) };
        sinkOptions.Headers["apikey"] = ApiKey;
        _sink = new HttpSink(sinkOptions, NullLogger<HttpSink>.Instance, _time);
        _uploader = new OutboxUploader(_outbox, [_sink], _options, new OutboxUploaderOptions(), NullLogger<OutboxUploader>.Instance, _time);
        return Task.CompletedTask;
    }

    private void Start() => _running = _uploader.RunAsync(_stop.Token);

    private async Task EnqueueAsync(IEnumerable<CountEvent> events)
    {
        foreach (var e in events)
        {
            await _outbox.EnqueueAsync(e, TestContext.Timeout());
        }
    }

    private Task<HealthCheckResult> HealthAsync() => new OutboxHealthCheck(_outbox, _options, _uploader).CheckHealthAsync(new HealthCheckContext());

    private static Guid[] IdsIn(string body)
    {
        using var json = JsonDocument.Parse(body);
        return [.. json.RootElement.EnumerateArray().Select(e => e.GetProperty("event_id").GetGuid())];
    }

    private Guid[] StoredIds() => [.. _backend.Accepted.SelectMany(r => IdsIn(r.Body))];

    [Fact]
    public async Task RunAsync_Backend401Then302Then200_EveryEventArrivesOnceAsPostAndNoneIsPoisoned()
    {
        await using var movedTo = new HttpBackend();
        var location = $"http://user:loc-Secret-9@127.0.0.1:{movedTo.Port}/v2/events?apikey=query-Secret-1";
        var events = TestEvents.Many(6);
        _backend.Answer = _ => new HttpBackend.Reply(401);
        await EnqueueAsync(events);
        Start();

        // Rotated key: retried, never poisoned, and health says why.
        (await FakeClock.AdvanceUntilAsync(_time, () => _backend.Requests.Count >= 4, TimeSpan.FromSeconds(5))).Should().BeTrue();
        var health = await HealthAsync();
        health.Status.Should().Be(HealthStatus.Unhealthy);
        health.Description.Should().Contain("401").And.NotContain(ApiKey);
        _outbox.PendingCount.Should().Be(6);
        _outbox.PoisonCount.Should().Be(0);

        // Moved endpoint: the redirect is reported, never followed.
        var before = _backend.Requests.Count;
        _backend.Answer = _ => new HttpBackend.Reply(302, new Dictionary<string, string> { ["Location"] = location });
        (await FakeClock.AdvanceUntilAsync(_time, () => _backend.Requests.Count >= before + 4, TimeSpan.FromSeconds(5))).Should().BeTrue();
        health = await HealthAsync();
        health.Status.Should().Be(HealthStatus.Unhealthy);
        health.Description.Should().Contain("302").And.Contain($"127.0.0.1:{movedTo.Port}/v2/events")
            .And.NotContain("loc-Secret-9").And.NotContain("query-Secret-1").And.NotContain(ApiKey);
        _outbox.PendingCount.Should().Be(6, "a redirect is not a delivery");
        _outbox.PoisonCount.Should().Be(0);

        // Fixed: everything arrives.
        _backend.Answer = _ => new HttpBackend.Reply(201);
        (await FakeClock.AdvanceUntilAsync(_time, () => _outbox.PendingCount == 0, TimeSpan.FromSeconds(5))).Should().BeTrue();
        StoredIds().Should().BeEquivalentTo(events.Select(e => e.EventId)).And.OnlyHaveUniqueItems();
        _backend.Requests.Should().OnlyContain(r => r.Method == "POST" && r.Body.Length > 2 && r.Headers["apikey"] == ApiKey);
        movedTo.Requests.Should().BeEmpty("the redirect target never sees the events or the key");
        _outbox.PoisonCount.Should().Be(0);
        (await HealthAsync()).Status.Should().Be(HealthStatus.Healthy);
    }

    [Theory]
    [InlineData(429, false)]
    [InlineData(503, false)]
    [InlineData(503, true)]
    public async Task RunAsync_BusyWithRetryAfter_NextAttemptWaitsThatLong(int status, bool asDate)
    {
        var retryAfter = TimeSpan.FromSeconds(120);
        var header = asDate
            ? (_time.GetUtcNow() + retryAfter).ToString("R", CultureInfo.InvariantCulture)
            : ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var answered = 0;
        _backend.Answer = _ => Interlocked.Increment(ref answered) == 1
            ? new HttpBackend.Reply(status, new Dictionary<string, string> { ["Retry-After"] = header })
            : new HttpBackend.Reply(201);
        await EnqueueAsync(TestEvents.Many(2));
        var started = _time.GetUtcNow();
        Start();

        (await FakeClock.WaitUntilAsync(() => _backend.Requests.Count == 1)).Should().BeTrue();
        // Well past the uploader's own first backoff (about 1 s), still inside what the server asked for.
        (await FakeClock.AdvanceUntilAsync(_time, () => _time.GetUtcNow() - started >= TimeSpan.FromSeconds(110), TimeSpan.FromSeconds(2))).Should().BeTrue();
        _backend.Requests.Should().ContainSingle("the server asked for 120 s");

        (await FakeClock.AdvanceUntilAsync(_time, () => _outbox.PendingCount == 0, TimeSpan.FromSeconds(2))).Should().BeTrue();
        (_time.GetUtcNow() - started).Should().BeGreaterThanOrEqualTo(retryAfter);
        _backend.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task RunAsync_BackendRejectsOneEventWith422_NeighboursDeliveredThatOnePoisonedAfterTheCapThenRedriven()
    {
        var events = TestEvents.Many(10);
        var bad = events[6].EventId;
        var fixedBackend = false;
        _backend.Answer = r => !Volatile.Read(ref fixedBackend) && IdsIn(r.Body).Contains(bad) ? new HttpBackend.Reply(422) : new HttpBackend.Reply(201);
        await EnqueueAsync(events);
        Start();

        (await FakeClock.WaitUntilAsync(() => StoredIds().Length == 9)).Should().BeTrue("the batch is split and the neighbours delivered at once");
        _outbox.PoisonCount.Should().Be(0, "one refusal does not prove the event is at fault");
        (await FakeClock.AdvanceUntilAsync(_time, () => _outbox.PoisonCount == 1, TimeSpan.FromSeconds(1))).Should().BeTrue();

        StoredIds().Should().BeEquivalentTo(events.Where(e => e.EventId != bad).Select(e => e.EventId)).And.OnlyHaveUniqueItems();
        _outbox.ReadPoison().Should().ContainSingle().Which.EventId.Should().Be(bad);
        _outbox.PendingCount.Should().Be(0);
        _backend.Requests.Count(r => IdsIn(r.Body) is [var only] && only == bad)
            .Should().Be(new OutboxUploaderOptions().MaxAttemptsPerEvent, "poisoned after the capped number of attempts alone");
        (await HealthAsync()).Status.Should().Be(HealthStatus.Degraded, "a poisoned event needs a look, the sink itself works");

        // The backend is fixed; the operator moves the poisoned event back and it is delivered.
        Volatile.Write(ref fixedBackend, true);
        _outbox.RedrivePoisoned("api").Should().Be(1);
        _outbox.PoisonCount.Should().Be(0);
        (await FakeClock.AdvanceUntilAsync(_time, () => _outbox.PendingCount == 0 && StoredIds().Contains(bad), TimeSpan.FromSeconds(1))).Should().BeTrue();
        StoredIds().Should().BeEquivalentTo(events.Select(e => e.EventId)).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task RunAsync_BackendRejectsEveryEvent_AllKeptPendingUnhealthyUntilFixed()
    {
        var events = TestEvents.Many(4);
        _backend.Answer = _ => new HttpBackend.Reply(422);
        await EnqueueAsync(events);
        Start();

        (await FakeClock.AdvanceUntilAsync(_time, () => _backend.Requests.Count >= 40, TimeSpan.FromSeconds(5))).Should().BeTrue();
        _outbox.PoisonCount.Should().Be(0, "when nothing is accepted, no single event is to blame");
        _outbox.PendingCount.Should().Be(4);
        var health = await HealthAsync();
        health.Status.Should().Be(HealthStatus.Unhealthy);
        health.Description.Should().Contain("422");

        _backend.Answer = _ => new HttpBackend.Reply(201);
        (await FakeClock.AdvanceUntilAsync(_time, () => _outbox.PendingCount == 0, TimeSpan.FromSeconds(5))).Should().BeTrue();
        StoredIds().Should().BeEquivalentTo(events.Select(e => e.EventId));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(TestContext.Timeout());
        _uploader.Dispose();
        _sink.Dispose();
        await _outbox.DisposeAsync();
        await _backend.DisposeAsync();
        _stop.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
