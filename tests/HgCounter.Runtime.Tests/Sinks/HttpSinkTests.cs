using System.Text.Json;
using HgCounter.Configuration;
using HgCounter.Events;
using HgCounter.Runtime.Events;
using HgCounter.Runtime.Sinks;
using HgCounter.Runtime.Tests.Events;
using HgCounter.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HgCounter.Runtime.Tests.Sinks;

public sealed class HttpSinkTests : IDisposable
{
    private const string ApiKey = "sb-secret-key-4f9a2c";
    private const string Token = "eyJhbGciOiJIUzI1NiJ9.secret-token";
    private const string SigningSecret = "whsec-7c1e0b9a44d2f58e";

    private readonly string _directory = TestPaths.NewTempDirectory("hgcounter-http");

    private static HttpSink NewSink(TestHttpEndpoint endpoint, TimeSpan? timeout = null) => NewSink(endpoint.Url, timeout);

    private static HttpSink NewSink(string url, TimeSpan? timeout = null, string? secret = null, TimeProvider? time = null)
    {
        var options = new HttpSinkOptions { Type = "http", Name = "supabase", Url = url, Timeout = timeout ?? TimeSpan.FromSeconds(10), Secret = secret };
        options.Headers["apikey"] = ApiKey;
        options.Headers["Authorization"] = "Bearer " + Token;
        return new HttpSink(options, NullLogger<HttpSink>.Instance, time ?? TimeProvider.System);
    }

    [Fact]
    public async Task DeliverAsync_Endpoint201_PostsJsonArrayWithConfiguredHeadersAndIgnoreDuplicates()
    {
        await using var endpoint = new TestHttpEndpoint(201);
        using var sink = NewSink(endpoint);
        var events = TestEvents.Many(3);

        await sink.DeliverAsync(events, TestContext.Timeout());

        var request = endpoint.Requests.Should().ContainSingle().Subject;
        request.Method.Should().Be("POST");
        request.Path.Should().Be("/rest/v1/count_events");
        request.Headers["apikey"].Should().Be(ApiKey);
        request.Headers["Authorization"].Should().Be("Bearer " + Token);
        request.Headers["Prefer"].Should().Contain("resolution=ignore-duplicates");
        request.Headers["Content-Type"].Should().StartWith("application/json");
        using var body = JsonDocument.Parse(request.Body);
        body.RootElement.GetArrayLength().Should().Be(3);
        var first = body.RootElement[0];
        first.GetProperty("event_id").GetGuid().Should().Be(events[0].EventId);
        first.GetProperty("camera").GetString().Should().Be(events[0].Camera);
        first.GetProperty("direction").GetString().Should().Be(events[0].Direction.ToString());
        first.GetProperty("track_id").GetInt64().Should().Be(events[0].TrackId);
        first.GetProperty("timestamp").GetDateTimeOffset().Should().Be(events[0].Timestamp);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(408)]
    [InlineData(429)]
    public async Task DeliverAsync_RetryableStatus_TransientFailure(int status)
    {
        await using var endpoint = new TestHttpEndpoint(status);
        using var sink = NewSink(endpoint);

        var act = async () => await sink.DeliverAsync(TestEvents.Many(1), TestContext.Timeout());

        var failure = (await act.Should().ThrowAsync<SinkDeliveryException>()).Which;
        failure.Kind.Should().Be(SinkFailureKind.Transient);
        failure.Message.Should().Contain(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task DeliverAsync_Endpoint400EchoingTheKey_RejectedWithKeyRedacted()
    {
        await using var endpoint = new TestHttpEndpoint(400) { ErrorBody = $"{{\"message\":\"bad row\",\"hint\":\"key {ApiKey} token {Token}\"}}" };
        using var sink = NewSink(endpoint);

        var act = async () => await sink.DeliverAsync(TestEvents.Many(1), TestContext.Timeout());

        var failure = (await act.Should().ThrowAsync<SinkDeliveryException>()).Which;
        failure.Kind.Should().Be(SinkFailureKind.Rejected);
        failure.Message.Should().Contain("400").And.Contain("bad row").And.NotContain(ApiKey).And.NotContain(Token);
    }

    [Fact]
    public async Task DeliverAsync_NothingListening_TransientFailure()
    {
        int port;
        await using (var endpoint = new TestHttpEndpoint(201))
        {
            port = endpoint.Port;
        }

        var options = new HttpSinkOptions { Type = "http", Url = $"http://127.0.0.1:{port}/x" };
        using var sink = new HttpSink(options, NullLogger<HttpSink>.Instance, TimeProvider.System);

        var act = async () => await sink.DeliverAsync(TestEvents.Many(1), TestContext.Timeout());

        (await act.Should().ThrowAsync<SinkDeliveryException>()).Which.Kind.Should().Be(SinkFailureKind.Transient);
    }

    [Fact]
    public async Task DeliverAsync_EndpointNeverAnswers_TransientFailureAfterTheTimeoutOnTheClock()
    {
        await using var hung = new SilentTcpServer();
        var time = new FakeTimeProvider();
        var options = new HttpSinkOptions { Type = "http", Url = $"http://127.0.0.1:{hung.Port}/x", Timeout = TimeSpan.FromSeconds(10) };
        using var sink = new HttpSink(options, NullLogger<HttpSink>.Instance, time);

        var delivery = sink.DeliverAsync(TestEvents.Many(1), TestContext.Timeout());
        (await FakeClock.WaitUntilAsync(() => hung.Accepted == 1)).Should().BeTrue();
        await Task.Delay(200);
        delivery.IsCompleted.Should().BeFalse("the attempt waits for its timeout");
        time.Advance(TimeSpan.FromSeconds(11));

        var failure = (await FluentActions.Awaiting(() => delivery).Should().ThrowAsync<SinkDeliveryException>()).Which;
        failure.Kind.Should().Be(SinkFailureKind.Transient);
        failure.Message.Should().Contain("no answer within");
    }

    [Fact]
    public async Task Uploader_Endpoint503Then500Then201_RetriesAndDeliversWithSecretsKeptOutOfLogs()
    {
        await using var endpoint = new TestHttpEndpoint(503, 500, 201) { ErrorBody = $"upstream down (apikey={ApiKey})" };
        var logs = new LogCapture();

        await RunUploaderAsync(endpoint, logs, TestEvents.Many(4), async (outbox, time) =>
            (await FakeClock.AdvanceUntilAsync(time, () => outbox.PendingCount == 0, TimeSpan.FromMilliseconds(500))).Should().BeTrue());

        endpoint.Requests.Should().HaveCount(3);
        endpoint.Requests.Select(r => r.Body).Distinct().Should().ContainSingle("every attempt resends the same batch");
        logs.All.Should().Contain("503").And.Contain("500").And.Contain("supabase");
        logs.All.Should().NotContain(ApiKey).And.NotContain(Token);
    }

    [Fact]
    public async Task Uploader_Endpoint400ForEveryEvent_KeptPendingAndRetriedWithFewLogLines()
    {
        await using var endpoint = new TestHttpEndpoint(400);
        var logs = new LogCapture();
        var countEvent = TestEvents.New(1);

        await RunUploaderAsync(endpoint, logs, [countEvent], async (outbox, time) =>
        {
            (await FakeClock.AdvanceUntilAsync(time, () => endpoint.Requests.Count >= 20, TimeSpan.FromSeconds(5))).Should().BeTrue();
            outbox.PendingCount.Should().Be(1, "nothing proves the event is at fault while the backend accepts nothing");
            outbox.PoisonCount.Should().Be(0);
        });

        logs.Lines.Count(l => l.Contains("OutboxUploader", StringComparison.Ordinal) && l.Contains("refused", StringComparison.Ordinal))
            .Should().BeLessThan(endpoint.Requests.Count / 2, "a failure that repeats is logged again only every FailureLogInterval, not once per attempt");
        logs.All.Should().Contain("400").And.NotContain(ApiKey);
    }

    [Fact]
    public async Task DeliverAsync_WithSecret_ReceiverVerifiesTheSignatureIndependently()
    {
        await using var receiver = new SignedWebhookReceiver(SigningSecret);
        using var sink = NewSink(receiver.Url, secret: SigningSecret);

        await sink.DeliverAsync(TestEvents.Many(3), TestContext.Timeout());

        var request = receiver.Backend.Accepted.Should().ContainSingle("the receiver accepts only a request whose signature verifies").Subject;
        request.Headers["X-HgCounter-Signature"].Should().MatchRegex("^sha256=[0-9a-f]{64}$");
        var sentAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(request.Headers["X-HgCounter-Timestamp"], System.Globalization.CultureInfo.InvariantCulture));
        sentAt.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        request.Headers.Values.Should().NotContain(v => v.Contains(SigningSecret, StringComparison.Ordinal), "the secret keys the MAC and never travels");
    }

    [Fact]
    public async Task Verify_TamperedBodyOrMovedTimestamp_Fails()
    {
        await using var receiver = new SignedWebhookReceiver(SigningSecret);
        using var sink = NewSink(receiver.Url, secret: SigningSecret);
        await sink.DeliverAsync(TestEvents.Many(2), TestContext.Timeout());
        var request = receiver.Backend.Accepted.Should().ContainSingle().Subject;
        var timestamp = request.Headers["X-HgCounter-Timestamp"];
        var signature = request.Headers["X-HgCounter-Signature"];
        var now = DateTimeOffset.UtcNow;

        receiver.Verify(timestamp, signature, request.RawBody, now).Should().BeTrue();
        var tampered = request.RawBody.ToArray();
        tampered[^2] ^= 1; // one bit of the last event
        receiver.Verify(timestamp, signature, tampered, now).Should().BeFalse("a changed body breaks the MAC");
        var moved = (long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        receiver.Verify(moved, signature, request.RawBody, now).Should().BeFalse("the timestamp is inside the MAC");
        receiver.Verify(timestamp, signature, request.RawBody, now.AddMinutes(6)).Should().BeFalse("a replay after the 5-minute tolerance is refused");
        new SignedWebhookReceiver(SigningSecret + "x").Verify(timestamp, signature, request.RawBody, now).Should().BeFalse("another secret gives another MAC");
    }

    [Fact]
    public async Task DeliverAsync_SignedTenMinutesAgo_ReceiverRefusesTheReplay()
    {
        await using var receiver = new SignedWebhookReceiver(SigningSecret);
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-10));
        using var sink = NewSink(receiver.Url, secret: SigningSecret, time: past);

        var act = async () => await sink.DeliverAsync(TestEvents.Many(1), TestContext.Timeout());

        (await act.Should().ThrowAsync<SinkDeliveryException>()).Which.Message.Should().Contain("401");
        receiver.Backend.Accepted.Should().BeEmpty();
        receiver.Backend.Requests.Should().ContainSingle().Which.Headers.Should().ContainKey("X-HgCounter-Signature");
    }

    [Fact]
    public async Task DeliverAsync_NoSecret_NoSignatureHeaders()
    {
        await using var endpoint = new TestHttpEndpoint(201);
        using var sink = NewSink(endpoint);

        await sink.DeliverAsync(TestEvents.Many(1), TestContext.Timeout());

        var request = endpoint.Requests.Should().ContainSingle().Subject;
        request.Headers.Should().NotContainKey("X-HgCounter-Signature").And.NotContainKey("X-HgCounter-Timestamp");
    }

    [Fact]
    public async Task Uploader_ReceiverEchoingTheSecret_SecretNeverInLogsOrHealth()
    {
        await using var receiver = new SignedWebhookReceiver(SigningSecret);
        receiver.Backend.ErrorBody = $"signature mismatch, expected key {SigningSecret}";
        var answers = 0;
        receiver.Backend.Answer = _ => new HttpBackend.Reply(Interlocked.Increment(ref answers) <= 2 ? 401 : 204);
        var logs = new LogCapture();

        await RunUploaderAsync(receiver.Url, logs, TestEvents.Many(2), async (outbox, time, uploader) =>
        {
            (await FakeClock.AdvanceUntilAsync(time, () => receiver.Backend.Requests.Count >= 2, TimeSpan.FromMilliseconds(500))).Should().BeTrue();
            var health = await new OutboxHealthCheck(outbox, new EventOptions(), uploader).CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext());
            health.Description.Should().Contain("401").And.NotContain(SigningSecret);
            (await FakeClock.AdvanceUntilAsync(time, () => outbox.PendingCount == 0, TimeSpan.FromMilliseconds(500))).Should().BeTrue();
        }, SigningSecret);

        receiver.Backend.Accepted.Should().ContainSingle();
        logs.All.Should().Contain("401").And.Contain("signature mismatch").And.NotContain(SigningSecret);
    }

    // Outbox + uploader + this sink on a fake clock; the scenario runs while the uploader does.
    private Task RunUploaderAsync(TestHttpEndpoint endpoint, LogCapture logs, IEnumerable<CountEvent> events, Func<EventOutbox, FakeTimeProvider, Task> scenario) =>
        RunUploaderAsync(endpoint.Url, logs, events, (outbox, time, _) => scenario(outbox, time));

    private async Task RunUploaderAsync(string url, LogCapture logs, IEnumerable<CountEvent> events, Func<EventOutbox, FakeTimeProvider, OutboxUploader, Task> scenario, string? secret = null)
    {
        var time = new FakeTimeProvider();
        var options = new EventOptions { OutboxPath = Path.Combine(_directory, "outbox.db") };
        await using var outbox = new EventOutbox(options, logs.For<EventOutbox>(), time);
        using var sink = NewSink(url, secret: secret); // the real clock: a request in flight is never timed out by a clock step
        using var uploader = new OutboxUploader(outbox, [sink], options, new OutboxUploaderOptions(), logs.For<OutboxUploader>(), time);
        foreach (var e in events)
        {
            await outbox.EnqueueAsync(e, TestContext.Timeout());
        }

        using var stop = new CancellationTokenSource();
        var running = uploader.RunAsync(stop.Token);
        try
        {
            await scenario(outbox, time, uploader);
        }
        finally
        {
            await stop.CancelAsync();
            await running.WaitAsync(TestContext.Timeout());
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
