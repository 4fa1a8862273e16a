using HgCounter.Counting;
using HgCounter.Events;
using HgCounter.Runtime.Events;

namespace HgCounter.Runtime.Tests.Events;

/// <summary>The optional <c>snapshot_id</c> key: absent when unset, so payloads stored before it existed read back unchanged.</summary>
public class CountEventSnapshotIdTests
{
    private const string StoredBeforeSnapshotId =
        """{"event_id":"6f1c2b0e-4d1a-5b7e-9c3f-2a8e0d4b6c11","camera":"lobby","line":"door","direction":"In","class_id":0,"label":"person","track_id":7,"timestamp":"2026-11-28T08:00:01.5+00:00","worker_id":"w1"}""";

    [Fact]
    public void Deserialize_PayloadStoredBeforeSnapshotId_ReadsAsACrossingAndWritesBackWithoutTheKey()
    {
        var countEvent = CountEventJson.Deserialize(StoredBeforeSnapshotId);

        countEvent.SnapshotId.Should().BeNull();
        countEvent.Kind.Should().Be(CountEventKind.Crossing, "an event stored before kinds existed is a crossing");
        countEvent.Direction.Should().Be(CrossingDirection.In);
        CountEventJson.Serialize(countEvent).Should().Be(StoredBeforeSnapshotId[..^1] + ""","kind":"crossing"}""",
            "with thumbnails off the wire gains only the kind, no snapshot_id");
    }

    [Fact]
    public void Serialize_WithSnapshotId_AddsTheKeyAndRoundTrips()
    {
        var countEvent = CountEventJson.Deserialize(StoredBeforeSnapshotId) with { SnapshotId = "6f1c2b0e-4d1a-5b7e-9c3f-2a8e0d4b6c11" };

        var json = CountEventJson.Serialize(countEvent);

        json.Should().EndWith(""","kind":"crossing","snapshot_id":"6f1c2b0e-4d1a-5b7e-9c3f-2a8e0d4b6c11"}""");
        CountEventJson.Deserialize(json).Should().Be(countEvent);
    }
}
