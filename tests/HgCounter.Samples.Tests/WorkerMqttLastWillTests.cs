using HgCounter.Testing;

namespace HgCounter.Samples.Tests;

/// <summary>The worker sample with an mqtt sink on a real mosquitto: a killed worker shows as offline through its last will.</summary>
public sealed class WorkerMqttLastWillTests : IAsyncLifetime
{
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.CreateAsync(TestContext.Timeout(60));

    [Fact]
    public async Task Worker_SigKilled_BrokerPublishesTheLastWillOfflineOnTheAvailabilityTopic()
    {
        var work = TestPaths.NewTempDirectory();
        const string worker = "will-worker";
        const string availability = "hgcounter/" + worker + "/availability";
        await using var subscriber = await MosquittoSubscriber.StartAsync(_broker, availability, TestContext.Timeout(60));
        await using var process = SampleProcess.Start(
            "HgCounter.WorkerSample",
            work,
            [
                .. WorkerProcess.BaseArguments(work, "127.0.0.1", FreePort.Next()),
                .. WorkerProcess.DeadCamera("cam"),
                "--HgCounter:WorkerId=" + worker,
                "--HgCounter:Events:Sinks:0:Type=mqtt",
                "--HgCounter:Events:Sinks:0:Server=" + _broker.ServerUrl,
            ]);

        await subscriber.WaitForAsync(m => m.LastOrDefault(x => x.Topic == availability)?.Payload == "online", TimeSpan.FromSeconds(120), TestContext.Timeout(150));
        process.Output.Should().NotContain(MosquittoBroker.Password);

        await process.KillHardAsync();

        var messages = await subscriber.WaitForAsync(m => m.LastOrDefault(x => x.Topic == availability)?.Payload == "offline", TimeSpan.FromSeconds(60), TestContext.Timeout(90));
        messages.Last(x => x.Topic == availability).Payload.Should().Be("offline", "no shutdown code ran: the broker sent the will");
        await using var newcomer = await MosquittoSubscriber.StartAsync(_broker, availability, TestContext.Timeout(60));
        (await newcomer.WaitForAsync(m => m.Any(x => x.Topic == availability), TimeSpan.FromSeconds(30), TestContext.Timeout(60)))
            .Single(x => x.Topic == availability).Should().Be(new MqttMessage(availability, "offline", Retained: true), "the will is retained, so Home Assistant started later sees it too");
    }

    public async Task DisposeAsync() => await _broker.DisposeAsync();
}
