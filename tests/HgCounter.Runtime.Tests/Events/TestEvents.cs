using HgCounter.Counting;
using HgCounter.Events;

namespace HgCounter.Runtime.Tests.Events;

/// <summary>Count events as the counter makes them: unique ids, varied fields.</summary>
internal static class TestEvents
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 8, 0, 0, TimeSpan.FromHours(1));

    public static CountEvent New(int index, string camera = "door-cam") => new(
        Guid.NewGuid(),
        camera,
        index % 2 == 0 ? "entrance" : "exit",
        index % 3 == 0 ? CrossingDirection.Out : CrossingDirection.In,
        index % 5,
        index % 5 == 0 ? "person" : "bicycle",
        1000 + index,
        Start.AddMilliseconds(100 * index),
        "worker-1");

    public static CountEvent[] Many(int count, string camera = "door-cam") =>
        Enumerable.Range(0, count).Select(i => New(i, camera)).ToArray();
}
