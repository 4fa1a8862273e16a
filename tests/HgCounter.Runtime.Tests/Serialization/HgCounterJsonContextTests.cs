using System.Text.Json;
using System.Text.Json.Nodes;
using HgCounter.Counting;
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
        keys.Should().Equal("event_id", "camera", "line", "direction", "class_id", "label", "track_id", "timestamp", "worker_id");
        JsonNode.Parse(hostJson)!["direction"]!.GetValue<string>().Should().Be("Out");
        CountEventJson.Deserialize(hostJson).Should().Be(countEvent);
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
