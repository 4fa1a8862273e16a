using HgCounter.Configuration;
using HgCounter.Events;
using HgCounter.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace HgCounter.Sinks.Mqtt.Tests;

/// <summary>The mqtt sink against a real mosquitto that speaks TLS only, with a certificate from a CA of its own.</summary>
public sealed class MqttTlsTests : IAsyncLifetime
{
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.CreateAsync(TestContext.Timeout(60), tls: true);

    [Fact]
    public async Task DeliverAsync_MqttsWithTheBrokersCa_AcknowledgedOverTls()
    {
        await using var sink = Sink(_broker.CaCertificateFile);
        var deliver = async () => await sink.DeliverAsync([OutboxWithMqtt.NewEvent(1)], TestContext.Timeout(60));
        await deliver.Should().NotThrowAsync("the broker's certificate chains to the configured CA");
    }

    [Fact]
    public async Task DeliverAsync_MqttsWithoutTrustingTheCa_TransientFailureWithoutTheSecret()
    {
        await using var sink = Sink(caFile: null);
        var deliver = async () => await sink.DeliverAsync([OutboxWithMqtt.NewEvent(1)], TestContext.Timeout(60));
        var failure = (await deliver.Should().ThrowAsync<SinkDeliveryException>()).Which;
        failure.Message.Should().Contain("mqtts://***@127.0.0.1").And.NotContain(MosquittoBroker.Password);
    }

    private MqttSink Sink(string? caFile) => new(
        new MqttSinkOptions { Server = _broker.ServerUrl, CaCertificateFile = caFile, Timeout = TimeSpan.FromSeconds(10) },
        "tls-worker",
        [],
        "HgCounter:Events:Sinks:0",
        NullLogger<MqttSink>.Instance);

    public async Task DisposeAsync() => await _broker.DisposeAsync();
}
