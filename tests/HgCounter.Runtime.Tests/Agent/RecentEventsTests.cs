using System.Text.Json;
using HgCounter.Configuration;
using HgCounter.Events;
using HgCounter.Health;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Testing;

namespace HgCounter.Runtime.Tests.Agent;

/// <summary>
/// <see cref="ICounterAgent.GetRecentEvents"/> on a real agent counting generated scenes: the events it lists are the
/// ones the sink received, crossings and zone events alike.
/// </summary>
public sealed class RecentEventsTests
{
    [Fact]
    public async Task GetRecentEvents_ScenesCounted_ExactlyTheSinksEventsNewestFirstPerCamera()
    {
        var crossingScene = SyntheticScenes.Get("cross-both-ways");
        var truth = crossingScene.ExpectedCount("door");
        var data = TestPaths.NewTempDirectory();
        var jsonl = Path.Combine(data, "events.jsonl");
        await using var host = await AgentHost.StartAsync(data, o =>
        {
            o.Cameras.Add(AgentHost.SceneCamera("lobby", "cross-both-ways"));
            o.Cameras.Add(AgentHost.SceneCamera("queue-cam", "zone-visits"));
            o.Events.Sinks.Add(new JsonlSinkOptions { Type = "jsonl", Path = jsonl });
        });

        await host.Agent.Completion.WaitAsync(TestContext.Timeout(120));
        await host.WaitForAsync(s => s.PendingEvents == 0 && AgentHost.Health(s, "lobby") == CameraHealth.Finished && AgentHost.Health(s, "queue-cam") == CameraHealth.Finished);

        var delivered = File.ReadAllLines(jsonl).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (Id: e.GetProperty("event_id").GetGuid(), Camera: e.GetProperty("camera").GetString(), Kind: e.GetProperty("kind").GetString())).ToList();
        delivered.Should().Contain(e => e.Kind != "crossing", "the zone scene makes zone events");

        var recent = host.Agent.GetRecentEvents(null, 500);
        recent.Select(e => e.EventId).Should().BeEquivalentTo(delivered.Select(e => e.Id), "every event the sink received, none other");

        var lobby = host.Agent.GetRecentEvents("lobby", 500);
        lobby.Should().OnlyContain(e => e.Camera == "lobby" && e.Kind == CountEventKind.Crossing && e.Line == "door");
        lobby.Count(e => e.Direction == Counting.CrossingDirection.In).Should().Be((int)truth.In);
        lobby.Count(e => e.Direction == Counting.CrossingDirection.Out).Should().Be((int)truth.Out);
        var queue = host.Agent.GetRecentEvents("queue-cam", 500);
        queue.Should().OnlyContain(e => e.Camera == "queue-cam");
        queue.Select(e => e.EventId).Should().BeEquivalentTo(delivered.Where(e => e.Camera == "queue-cam").Select(e => e.Id));
        foreach (var camera in new[] { lobby, queue })
        {
            camera.Select(e => e.Timestamp).Should().BeInDescendingOrder("newest first, by the event's own time");
        }

        host.Agent.GetRecentEvents("queue-cam", 1).Should().Equal(queue[0]);
        host.Agent.GetRecentEvents("no-such-camera", 10).Should().BeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(501)]
    public void Latest_LimitOutOfRange_ThrowsNamingLimit(int outOfRange)
    {
        var ring = new Runtime.Events.RecentEventRing();

        var act = () => ring.Latest(null, outOfRange);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("limit");
    }

    [Fact]
    public void Latest_MoreEventsThanTheRingHolds_TheNewestKeptNewestFirst()
    {
        var ring = new Runtime.Events.RecentEventRing();
        var start = DateTimeOffset.UnixEpoch;
        var events = Enumerable.Range(0, 700)
            .Select(i => new CountEvent(Guid.NewGuid(), i % 2 == 0 ? "a" : "b", "door", Counting.CrossingDirection.In, 0, "person", i, start.AddSeconds(i), "w"))
            .ToList();
        foreach (var frame in events.Chunk(3))
        {
            ring.Add(frame);
        }

        ring.Latest(null, 500).Should().Equal(events.Skip(200).Reverse(), "the last 500, newest first");
        ring.Latest("b", 500).Should().Equal(events.Skip(200).Where(e => e.Camera == "b").Reverse());
    }
}
