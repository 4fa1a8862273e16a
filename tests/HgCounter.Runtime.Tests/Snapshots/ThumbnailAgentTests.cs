using System.Text.Json;
using HgCounter.Configuration;
using HgCounter.Health;
using HgCounter.Runtime.Tests.Agent;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Testing;
using OpenCvSharp;

namespace HgCounter.Runtime.Tests.Snapshots;

/// <summary>Crossing thumbnails from a running agent: a generated scene through the real decoder, detector, tracker and outbox.</summary>
public class ThumbnailAgentTests
{
    [Fact]
    public async Task Run_ThumbnailsOn_EveryCrossingEventHasSnapshotWhoseJpegExistsAtMostWidth()
    {
        var data = TestPaths.NewTempDirectory();
        var jsonl = Path.Combine(data, "events.jsonl");
        var expected = SyntheticScenes.Get("cross-both-ways").ExpectedCount("door");
        await using var host = await AgentHost.StartAsync(data, o =>
        {
            o.Cameras.Add(AgentHost.SceneCamera("lobby", "cross-both-ways"));
            o.Events.Sinks.Add(new JsonlSinkOptions { Type = "jsonl", Path = jsonl });
            o.Events.Snapshots.Enabled = true;
            o.Events.Snapshots.Width = 48;
        });

        await host.Agent.Completion.WaitAsync(TestContext.Timeout(60));
        await host.WaitForAsync(s => s.PendingEvents == 0 && AgentHost.Health(s, "lobby") == CameraHealth.Finished);
        await host.StopAsync(); // writes what is still queued

        var events = File.ReadAllLines(jsonl).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        events.Should().HaveCount((int)(expected.In + expected.Out)).And.NotBeEmpty();
        var directory = Path.Combine(data, "snapshots");
        foreach (var e in events)
        {
            var id = e.GetProperty("snapshot_id").GetString();
            id.Should().Be(e.GetProperty("event_id").GetString());
            using var jpeg = Cv2.ImRead(Path.Combine(directory, id + ".jpg"), ImreadModes.Color);
            jpeg.Empty().Should().BeFalse($"{id}.jpg exists and decodes as JPEG");
            jpeg.Width.Should().BeInRange(2, 48);
        }

        Directory.GetFiles(directory).Should().HaveCount(events.Count, "one thumbnail per event, no temp files left");
    }

    [Fact]
    public async Task Run_ThumbnailsOff_NoSnapshotIdAndNoFolder()
    {
        var data = TestPaths.NewTempDirectory();
        var jsonl = Path.Combine(data, "events.jsonl");
        await using var host = await AgentHost.StartAsync(data, o =>
        {
            o.Cameras.Add(AgentHost.SceneCamera("lobby", "cross-both-ways"));
            o.Events.Sinks.Add(new JsonlSinkOptions { Type = "jsonl", Path = jsonl });
        });

        await host.Agent.Completion.WaitAsync(TestContext.Timeout(60));
        await host.WaitForAsync(s => s.PendingEvents == 0 && AgentHost.Health(s, "lobby") == CameraHealth.Finished);

        var lines = File.ReadAllLines(jsonl);
        lines.Should().NotBeEmpty();
        lines.Should().OnlyContain(l => !l.Contains("snapshot_id", StringComparison.Ordinal), "the wire is unchanged while thumbnails are off");
        Directory.Exists(Path.Combine(data, "snapshots")).Should().BeFalse();
        host.Agent.Thumbnails.Should().BeNull();
    }

    [Fact]
    public async Task Run_QueueFullAndWriterBlocked_DropsThumbnailsAndCountsEveryCrossing()
    {
        var data = TestPaths.NewTempDirectory();
        var jsonl = Path.Combine(data, "events.jsonl");
        var expected = SyntheticScenes.Get("crowd-30").ExpectedCount("door");
        // Realtime: the scene plays at its frame rate, so the writer can be blocked before the first crossing.
        var camera = AgentHost.SceneCamera("lobby", "crowd-30");
        camera.Realtime = true;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await AgentHost.StartAsync(data, o =>
        {
            o.Cameras.Add(camera);
            o.Events.Sinks.Add(new JsonlSinkOptions { Type = "jsonl", Path = jsonl });
            o.Events.Snapshots.Enabled = true;
            o.Events.Snapshots.QueueCapacity = 1;
        });
        await WaitForWriterAsync(host);
        host.Agent.Thumbnails!.BeforeWrite = token => release.Task.WaitAsync(token);

        await host.Agent.Completion.WaitAsync(TestContext.Timeout(120));
        var status = await host.WaitForAsync(s => s.PendingEvents == 0 && AgentHost.Health(s, "lobby") == CameraHealth.Finished);
        release.SetResult();

        var door = status.Cameras.Single().Lines.Single(l => l.Line == "door");
        (door.In, door.Out).Should().Be((expected.In, expected.Out), "a blocked writer never slows or loses counting");
        var events = File.ReadAllLines(jsonl).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        events.Should().HaveCount((int)(expected.In + expected.Out));
        var withThumbnail = events.Count(e => e.TryGetProperty("snapshot_id", out _));
        (expected.In + expected.Out).Should().BeGreaterThan(2, "the scene has more crossings than the writer holds plus its queue");
        withThumbnail.Should().BeLessThanOrEqualTo(2, "one crop held by the writer, one in the queue");
        host.Agent.Thumbnails.Dropped.Should().Be(events.Count - withThumbnail, "every missing thumbnail is a counted drop");
    }

    private static async Task WaitForWriterAsync(AgentHost host)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (host.Agent.Thumbnails is null)
        {
            DateTime.UtcNow.Should().BeBefore(deadline);
            await Task.Delay(10);
        }
    }
}
