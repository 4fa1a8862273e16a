using System.Text.Json;
using System.Text.Json.Nodes;
using HgCounter.Counting;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Runtime.Serialization;
using HgCounter.Testing;

namespace HgCounter.Sinks.Mqtt.Tests;

/// <summary>The real agent counting generated scenes, publishing through the mqtt sink to a real mosquitto.</summary>
public sealed class MqttSinkAgentTests : IAsyncLifetime
{
    private readonly string _directory = TestPaths.NewTempDirectory("hgcounter-mqtt-agent");
    private readonly string _worker = "w" + Guid.NewGuid().ToString("N")[..8];
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.CreateAsync(TestContext.Timeout(60));

    [Fact]
    public async Task AddMqttSink_ScenesCountedByTheAgent_EachCountedCrossingArrivesAsOneEventAndTotalsAreRetained()
    {
        await using var subscriber = await MosquittoSubscriber.StartAsync(_broker, MqttAgentHost.Prefix + "/#", TestContext.Timeout(60));
        await using var host = await MqttAgentHost.StartAsync(_directory, _worker, _broker.ServerUrl);
        await host.WaitUntilCountedAndDeliveredAsync();

        var status = host.Agent.CurrentStatus;
        var events = subscriber.Messages
            .Where(m => m.Topic.EndsWith("/events", StringComparison.Ordinal))
            .Select(m => (m.Topic, Event: JsonSerializer.Deserialize(m.Payload, HgCounterJson.CountEvent)!))
            .ToList();
        events.Should().OnlyContain(e => e.Topic == $"{MqttAgentHost.Prefix}/{e.Event.Camera}/events");
        var unique = events.DistinctBy(e => e.Event.EventId).Select(e => e.Event).ToList();
        foreach (var scene in MqttAgentHost.Scenes)
        {
            foreach (var line in SyntheticScenes.Get(scene).Lines)
            {
                var truth = SyntheticScenes.Get(scene).ExpectedCount(line);
                var counted = status.Cameras.Single(c => c.Name == scene).Lines.Single(l => l.Line == line.Name);
                (counted.In, counted.Out).Should().Be((truth.In, truth.Out), $"the agent counts {scene} exactly");
                unique.Count(e => e.Camera == scene && e.Line == line.Name && e.Direction == CrossingDirection.In).Should().Be((int)truth.In, $"{scene}/{line.Name} in");
                unique.Count(e => e.Camera == scene && e.Line == line.Name && e.Direction == CrossingDirection.Out).Should().Be((int)truth.Out, $"{scene}/{line.Name} out");

                // The retained totals reach the counted values (published on change, so the last one wins).
                await subscriber.WaitForAsync(m => Last(m, $"{MqttAgentHost.Prefix}/{scene}/{line.Name}/in") == truth.In.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    && Last(m, $"{MqttAgentHost.Prefix}/{scene}/{line.Name}/out") == truth.Out.ToString(System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(30), TestContext.Timeout(60));
            }

            await subscriber.WaitForAsync(m => Last(m, $"{MqttAgentHost.Prefix}/{scene}/state") == "finished", TimeSpan.FromSeconds(30), TestContext.Timeout(60));
        }

        unique.Should().HaveCount(4, "two scenes with two crossings each").And.OnlyContain(e => e.WorkerId == _worker);
        Last(subscriber.Messages, $"{MqttAgentHost.Prefix}/{_worker}/availability").Should().Be("online");
    }

    [Fact]
    public async Task Discovery_TwoStarts_RetainedConfigsParseAsHomeAssistantExpectsWithTheSameUniqueIds()
    {
        IReadOnlyList<MqttMessage> first, second;
        await using (var host = await MqttAgentHost.StartAsync(_directory, _worker, _broker.ServerUrl))
        {
            await host.WaitUntilCountedAndDeliveredAsync();
            first = await RetainedDiscoveryAsync();
        }

        // A new subscriber after a restart still finds the worker's retained configs, published again (and unchanged).
        await using (var host = await MqttAgentHost.StartAsync(Path.Combine(_directory, "second"), _worker, _broker.ServerUrl))
        {
            await host.WaitUntilCountedAndDeliveredAsync();
            second = await RetainedDiscoveryAsync();
        }

        var configs = first.Select(m => (m.Topic, Json: JsonNode.Parse(m.Payload)!.AsObject())).ToList();
        // One worker connectivity sensor, one per camera, and In and Out per line (each scene has the line "door").
        configs.Should().HaveCount(1 + 2 + (2 * 2));
        await using var state = await MosquittoSubscriber.StartAsync(_broker, MqttAgentHost.Prefix + "/#", TestContext.Timeout(60));
        var retained = await state.WaitForAsync(m => m.Count(x => x.Retained) >= 1 + (2 * 3), TimeSpan.FromSeconds(30), TestContext.Timeout(60));
        foreach (var (topic, json) in configs)
        {
            var component = topic.Split('/')[1];
            component.Should().BeOneOf("sensor", "binary_sensor");
            topic.Should().MatchRegex($"^homeassistant/{component}/hgcounter_{_worker}/[a-z0-9_]+/config$");
            foreach (var key in (string[])["name", "unique_id", "state_topic", "availability_topic", "payload_available", "payload_not_available", "device"])
            {
                json.ContainsKey(key).Should().BeTrue($"{topic} has {key}");
            }

            json["availability_topic"]!.GetValue<string>().Should().Be($"{MqttAgentHost.Prefix}/{_worker}/availability");
            var stateTopic = json["state_topic"]!.GetValue<string>();
            retained.Should().Contain(m => m.Topic == stateTopic && m.Retained, $"{topic} reads a topic the sink publishes (retained)");
            var device = json["device"]!.AsObject();
            device["identifiers"]!.AsArray().Should().NotBeEmpty();
            device["name"]!.GetValue<string>().Should().NotBeNullOrEmpty();
            if (component == "sensor")
            {
                json["state_class"]!.GetValue<string>().Should().Be("total_increasing");
                device["via_device"]!.GetValue<string>().Should().Be($"hgcounter_{_worker}", "cameras group under their worker");
            }
        }

        UniqueIds(second).Should().BeEquivalentTo(UniqueIds(first), "unique ids depend on names only, not on the run");
        second.Select(m => m.Topic).Should().BeEquivalentTo(first.Select(m => m.Topic));
    }

    [Fact]
    public async Task Discovery_Disabled_NoConfigsPublished()
    {
        await using var host = await MqttAgentHost.StartAsync(_directory, _worker, _broker.ServerUrl, o => o.DiscoveryEnabled = false);
        await host.WaitUntilCountedAndDeliveredAsync();
        await using var discovery = await MosquittoSubscriber.StartAsync(_broker, "homeassistant/#", TestContext.Timeout(60));
        await using var state = await MosquittoSubscriber.StartAsync(_broker, MqttAgentHost.Prefix + "/#", TestContext.Timeout(60));
        await state.WaitForAsync(m => m.Any(x => x.Retained && x.Topic.EndsWith("/availability", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), TestContext.Timeout(60));
        discovery.Messages.Where(m => !m.Topic.StartsWith("probe/", StringComparison.Ordinal)).Should().BeEmpty();
    }

    [Fact]
    public async Task StatusPublisher_BrokerRestartsEmpty_AvailabilityTotalsAndStateRepublished()
    {
        await using var host = await MqttAgentHost.StartAsync(_directory, _worker, _broker.ServerUrl);
        await host.WaitUntilCountedAndDeliveredAsync();

        // Not persistent: the restarted broker has forgotten every retained message.
        await _broker.StopAsync(TestContext.Timeout(30));
        await _broker.StartAsync(TestContext.Timeout(30));

        bool Republished(IReadOnlyList<MqttMessage> m) =>
            Last(m, $"{MqttAgentHost.Prefix}/{_worker}/availability") == "online"
            && Last(m, $"{MqttAgentHost.Prefix}/cross-both-ways/door/in") == "1"
            && Last(m, $"{MqttAgentHost.Prefix}/cross-both-ways/door/out") == "1"
            && Last(m, $"{MqttAgentHost.Prefix}/side-by-side/state") == "finished"
            && m.Count(x => x.Topic.StartsWith("homeassistant/", StringComparison.Ordinal)) == 7;

        // Live first (the sink reconnects on its own, no event needed), then as a newcomer sees it: retained.
        await using (var live = await MosquittoSubscriber.StartAsync(_broker, "#", TestContext.Timeout(60)))
        {
            await live.WaitForAsync(Republished, TimeSpan.FromSeconds(60), TestContext.Timeout(90));
        }

        await using var newcomer = await MosquittoSubscriber.StartAsync(_broker, "#", TestContext.Timeout(60));
        var retained = await newcomer.WaitForAsync(Republished, TimeSpan.FromSeconds(30), TestContext.Timeout(60));
        retained.Where(m => !m.Topic.StartsWith("probe/", StringComparison.Ordinal)).Should().OnlyContain(m => m.Retained);
    }

    [Fact]
    public async Task Host_StoppedCleanly_AvailabilityRetainedAsOffline()
    {
        var availability = $"{MqttAgentHost.Prefix}/{_worker}/availability";
        await using (var host = await MqttAgentHost.StartAsync(_directory, _worker, _broker.ServerUrl))
        {
            await host.WaitUntilCountedAndDeliveredAsync();
        }

        await using var newcomer = await MosquittoSubscriber.StartAsync(_broker, availability, TestContext.Timeout(60));
        (await newcomer.WaitForAsync(m => m.Any(x => x.Topic == availability), TimeSpan.FromSeconds(30), TestContext.Timeout(60)))
            .Single(x => x.Topic == availability).Should().Be(new MqttMessage(availability, "offline", Retained: true));
    }

    private async Task<IReadOnlyList<MqttMessage>> RetainedDiscoveryAsync()
    {
        await using var subscriber = await MosquittoSubscriber.StartAsync(_broker, "homeassistant/#", TestContext.Timeout(60));
        var messages = await subscriber.WaitForAsync(m => m.Count(x => x.Topic.StartsWith("homeassistant/", StringComparison.Ordinal)) >= 7, TimeSpan.FromSeconds(30), TestContext.Timeout(60));
        var configs = messages.Where(m => m.Topic.StartsWith("homeassistant/", StringComparison.Ordinal)).ToList();
        configs.Should().OnlyContain(m => m.Retained, "discovery configs are retained so Home Assistant finds them after its own restart");
        return configs;
    }

    private static IEnumerable<string> UniqueIds(IEnumerable<MqttMessage> configs) =>
        configs.Select(m => JsonNode.Parse(m.Payload)!["unique_id"]!.GetValue<string>());

    private static string? Last(IReadOnlyList<MqttMessage> messages, string topic) => messages.LastOrDefault(m => m.Topic == topic)?.Payload;

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
