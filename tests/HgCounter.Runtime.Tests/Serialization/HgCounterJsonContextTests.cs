using System.Text.Json;
using System.Text.Json.Nodes;
using HgCounter.Counting;
using HgCounter.Events;
using HgCounter.Health;
using HgCounter.Runtime.Events;
using HgCounter.Runtime.Serialization;
using HgCounter.Runtime.Tests.Events;
using HgCounter.Status;

namespace HgCounter.Runtime.Tests.Serialization;

public sealed class HgCounterJsonContextTests
{
    [Fact]
    public void CountEvent_ThroughTheHostContract_HasTheSinksWireShape()
    {
        var countEvent = TestEvents.New(3);

        var hostJson = JsonSerializer.Serialize(countEvent, HgCounterJsonContext.Default.CountEvent);
        var sinkJson = CountEventJson.Serialize(countEvent);

        hostJson.Should().Be(sinkJson, "a host serving events and a sink receiving them must see one shape (docs/events.md)");
        var keys = JsonNode.Parse(hostJson)!.AsObject().Select(p => p.Key);
        keys.Should().Equal("event_id", "camera", "line", "direction", "class_id", "label", "track_id", "timestamp", "worker_id", "kind");
        JsonNode.Parse(hostJson)!["direction"]!.GetValue<string>().Should().Be("Out");
        JsonNode.Parse(hostJson)!["kind"]!.GetValue<string>().Should().Be("crossing");
        CountEventJson.Deserialize(hostJson).Should().Be(countEvent);
    }

    [Fact]
    public void CountEvent_ZoneExit_CarriesKindZoneAndDwellAndRoundTrips()
    {
        var exit = TestEvents.New(3) with { Line = "queue", Kind = CountEventKind.ZoneExit, Zone = "queue", DwellSeconds = 12.5 };

        var json = CountEventJson.Serialize(exit);

        var node = JsonNode.Parse(json)!.AsObject();
        node.Select(p => p.Key).Should().Equal("event_id", "camera", "line", "direction", "class_id", "label", "track_id", "timestamp", "worker_id", "kind", "zone", "dwell_seconds");
        node["kind"]!.GetValue<string>().Should().Be("zone-exit");
        node["zone"]!.GetValue<string>().Should().Be("queue");
        node["dwell_seconds"]!.GetValue<double>().Should().Be(12.5);
        CountEventJson.Deserialize(json).Should().Be(exit);
    }

    [Fact]
    public void CountEvent_StoredBeforeZones_ReadsAsCrossing()
    {
        // An outbox row written before events had a kind.
        const string Old = """{"event_id":"8d3c1f0e-54a4-5b2e-9a61-0c1f2e3d4b5a","camera":"door-cam","line":"entrance","direction":"In","class_id":0,"label":"person","track_id":7,"timestamp":"2026-11-28T08:00:00+01:00","worker_id":"worker-1"}""";

        var countEvent = CountEventJson.Deserialize(Old);

        countEvent.Kind.Should().Be(CountEventKind.Crossing);
        countEvent.Zone.Should().BeNull();
        countEvent.DwellSeconds.Should().BeNull();
    }

    [Fact]
    public void StatusSnapshot_ThroughTheHostContract_IsCamelCaseWithEnumNamesAndRoundTrips()
    {
        var health = new CameraHealthInfo("door-cam", CameraHealth.Reconnecting, 2, null, "connection refused", 1, null, "rtsp://cam.local/stream");
        var status = new StatusSnapshot(
            new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero),
            "worker-1",
            [new CameraStatus("door-cam", health, 9.5, 120, 3, 1, [new LineCount("entrance", 4, 2, new Dictionary<string, DirectionCount>())])],
            Resources: null,
            Health: null,
            PendingEvents: 6);

        var json = JsonSerializer.Serialize(status, HgCounterJsonContext.Default.StatusSnapshot);
        var camera = JsonNode.Parse(json)!["cameras"]![0]!;

        camera["name"]!.GetValue<string>().Should().Be("door-cam");
        camera["health"]!["health"]!.GetValue<string>().Should().Be("Reconnecting", "dashboards show the state by name");
        camera["lines"]![0]!["in"]!.GetValue<long>().Should().Be(4);
        JsonSerializer.Deserialize(json, HgCounterJsonContext.Default.StatusSnapshot)!.Cameras[0].Should().BeEquivalentTo(status.Cameras[0]);
    }
}
