using System.Text.Json;
using HgCounter.Configuration;
using HgCounter.Events;
using HgCounter.Runtime.Events;
using HgCounter.Runtime.Serialization;
using HgCounter.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HgCounter.Sinks.Mqtt.Tests;

/// <summary>The outbox delivering through the mqtt sink while the real broker goes away or refuses the login.</summary>
public sealed class MqttDeliveryTests : IAsyncLifetime
{
    private static readonly TimeSpan OutageLength = TimeSpan.FromSeconds(15);

    private readonly string _directory = TestPaths.NewTempDirectory("hgcounter-mqtt-delivery");
    private readonly List<Guid> _expected = [];
    private MosquittoBroker _broker = null!;

    // Persistent: the subscriber's session and its queued QoS 1 messages survive the broker's restart, as in production.
    public async Task InitializeAsync() => _broker = await MosquittoBroker.CreateAsync(TestContext.Timeout(60), persistent: true);

    [Fact]
    public async Task Uploader_BrokerStoppedFor15sWhileEventsArrive_EveryEventArrivesAfterwards()
    {
        await using var subscriber = await MosquittoSubscriber.StartAsync(_broker, MqttAgentHost.Prefix + "/+/events", TestContext.Timeout(60));
        await using var delivery = new OutboxWithMqtt(Path.Combine(_directory, "outbox.db"), _broker.ServerUrl);
        await ProduceAsync(delivery.Outbox, 30, 0);
        (await OutboxWithMqtt.WaitUntilAsync(() => delivery.Outbox.PendingCount == 0, 60)).Should().BeTrue("the broker is up");

        await _broker.StopAsync(TestContext.Timeout(30));
        var outageEnds = DateTime.UtcNow + OutageLength;
        var index = 30;
        while (DateTime.UtcNow < outageEnds)
        {
            await ProduceAsync(delivery.Outbox, 10, index);
            index += 10;
        }

        delivery.Outbox.PendingCount.Should().Be(index - 30, "events made during the outage wait in the outbox");
        delivery.Uploader.Sinks[0].ConsecutiveFailures.Should().BeGreaterThan(0);
        delivery.Uploader.Sinks[0].LastError.Should().Contain("'mqtt'").And.NotContain(MosquittoBroker.Password);

        await _broker.StartAsync(TestContext.Timeout(30));
        await ProduceAsync(delivery.Outbox, 20, 10_000);
        (await OutboxWithMqtt.WaitUntilAsync(() => delivery.Outbox.PendingCount == 0, 90)).Should().BeTrue("the broker is back");

        var received = await subscriber.WaitForAsync(m => EventIds(m).Distinct().Count() >= _expected.Count, TimeSpan.FromSeconds(60), TestContext.Timeout(90));
        EventIds(received).Distinct().Should().BeEquivalentTo(_expected, "none lost (at-least-once: a resend is de-duplicated on event_id)");
    }

    [Fact]
    public async Task Sink_WrongPassword_TypedConfigurationErrorNamingTheKeyWithoutTheSecretAndEventsStayQueued()
    {
        const string wrong = "Wr0ng-Pa55word-77";
        var logs = new ListLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        await using var delivery = new OutboxWithMqtt(Path.Combine(_directory, "outbox.db"), _broker.Url(wrong), loggers.CreateLogger<MqttSink>());

        var direct = async () => await delivery.Sink.DeliverAsync([OutboxWithMqtt.NewEvent(0)], TestContext.Timeout());
        var failure = (await direct.Should().ThrowAsync<SinkDeliveryException>()).Which;
        failure.Kind.Should().Be(SinkFailureKind.Configuration, "no retry fixes a password; the sink reports it until someone does");
        failure.Message.Should().Contain("user name or password").And.Contain("HgCounter:Events:Sinks:0:Server").And.Contain($"127.0.0.1:{_broker.Port}")
            .And.NotContain(wrong).And.NotContain(MosquittoBroker.Password);

        await ProduceAsync(delivery.Outbox, 5, 0);
        (await OutboxWithMqtt.WaitUntilAsync(() => delivery.Uploader.Sinks[0].ConsecutiveFailures >= 2, 60)).Should().BeTrue();
        delivery.Outbox.PendingCount.Should().Be(5, "refused events stay in the outbox");
        delivery.Uploader.Sinks[0].LastError.Should().Contain("user name or password").And.NotContain(wrong);
        logs.Text.Should().Contain("user name or password").And.NotContain(wrong);
    }

    [Fact]
    public async Task AddMqttSink_ServerNotAnMqttUrl_StartFailsNamingTheKeyWithCredentialsRedacted()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddHgCounter(o =>
        {
            o.DataDirectory = _directory;
            o.Events.OutboxPath = Path.Combine(_directory, "outbox.db");
            o.Cameras.Add(MqttAgentHost.SceneCamera("side-by-side"));
            o.Events.Sinks.Add(new MqttSinkOptions { Server = "http://admin:TopSecret9@broker.example:1883" });
        }).AddMqttSink();
        using var host = builder.Build();

        var start = async () => await host.StartAsync(TestContext.Timeout(60));
        var failure = (await start.Should().ThrowAsync<OptionsValidationException>()).Which;
        failure.Message.Should().Contain("HgCounter:Events:Sinks:0:Server").And.Contain("mqtt://").And.NotContain("TopSecret9");
    }

    [Fact]
    public async Task AddHgCounter_MqttSinkWithoutAddMqttSink_StartFailsNamingThePackageAndTheCall()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddHgCounter(o =>
        {
            o.DataDirectory = _directory;
            o.Events.OutboxPath = Path.Combine(_directory, "outbox.db");
            o.Cameras.Add(MqttAgentHost.SceneCamera("side-by-side"));
            o.Events.Sinks.Add(new MqttSinkOptions { Server = _broker.ServerUrl });
        });
        using var host = builder.Build();

        var start = async () => await host.StartAsync(TestContext.Timeout(60));
        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message
            .Should().Contain("HgCounter:Events:Sinks:0:Type").And.Contain("HgCounter.Sinks.Mqtt").And.Contain(".AddMqttSink()");
    }

    private async Task ProduceAsync(EventOutbox outbox, int count, int firstIndex)
    {
        for (var i = 0; i < count; i++)
        {
            var countEvent = OutboxWithMqtt.NewEvent(firstIndex + i);
            await outbox.EnqueueAsync(countEvent, TestContext.Timeout());
            _expected.Add(countEvent.EventId);
            await Task.Delay(20); // a steady trickle, as from a camera
        }
    }

    private static IEnumerable<Guid> EventIds(IEnumerable<MqttMessage> messages) =>
        messages.Where(m => m.Topic.EndsWith("/events", StringComparison.Ordinal))
            .Select(m => JsonSerializer.Deserialize(m.Payload, HgCounterJson.CountEvent)!.EventId);

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
