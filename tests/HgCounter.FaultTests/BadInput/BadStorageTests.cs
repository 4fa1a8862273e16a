using System.Diagnostics;
using HgCounter.Configuration;
using HgCounter.FaultTests.Infrastructure;
using HgCounter.Health;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Runtime.Events;
using HgCounter.Runtime.Tests.Agent;
using HgCounter.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using HgCounter.Runtime.Tests.Events;
using Xunit.Abstractions;

namespace HgCounter.FaultTests.BadInput;

/// <summary>Bad storage under the data directory: a corrupt outbox at start, a full disk, a read-only file system.</summary>
public class BadStorageTests(ITestOutputHelper output)
{
    private static async Task<HealthReportEntry> OutboxHealthAsync(AgentHost host)
    {
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Timeout());
        return report.Entries["hgcounter-" + OutboxHealthCheck.Name];
    }

    [Fact]
    public async Task Start_CorruptOutboxFile_MovedAsideCountingAndDeliveryGoOnHealthSaysWhy()
    {
        var data = TestPaths.NewTempDirectory();
        var outbox = Path.Combine(data, "outbox.db");
        File.WriteAllText(outbox, "this is not a SQLite database, it is what a torn write or a bad disk leaves behind");
        var jsonl = Path.Combine(data, "events.jsonl");

        await using var host = await AgentHost.StartAsync(data, o =>
        {
            FaultOptions.Apply(o);
            o.Cameras.Add(AgentHost.SceneCamera("lobby", "cross-both-ways"));
            o.Events.Sinks.Add(new JsonlSinkOptions { Type = "jsonl", Path = jsonl });
        });
        var status = await host.WaitForAsync(s => AgentHost.Health(s, "lobby") == CameraHealth.Finished && s.PendingEvents == 0);

        var expected = SyntheticScenes.Get("cross-both-ways").ExpectedCount("door");
        var door = status.Cameras.Single().Lines.Single();
        (door.In, door.Out).Should().Be((expected.In, expected.Out));
        File.ReadAllLines(jsonl).Should().HaveCount((int)(expected.In + expected.Out), "events counted after the recovery are delivered");
        Directory.GetFiles(data, "outbox.db.corrupt-*").Should().ContainSingle("the corrupt file is kept for inspection, not deleted");
        var health = await OutboxHealthAsync(host);
        health.Status.Should().Be(HealthStatus.Degraded);
        health.Description.Should().Contain("corrupt");
    }

    [Fact]
    public async Task Run_DataDirectoryOnAFullDisk_CountingGoesOnOutboxUnhealthyNamingTheDisk()
    {
        var mountPoint = TestPaths.NewTempDirectory("hgcounter-full");
        await using var disk = await TmpfsMount.MountAsync(mountPoint, "size=1m");
        var clock = Stopwatch.StartNew();

        await using var host = await AgentHost.StartAsync(mountPoint, o =>
        {
            FaultOptions.Apply(o);
            o.Cameras.Add(AgentHost.SceneCamera("lobby", "cross-both-ways"));
        });
        var status = await host.WaitForAsync(s => AgentHost.Health(s, "lobby") == CameraHealth.Finished);

        var expected = SyntheticScenes.Get("cross-both-ways").ExpectedCount("door");
        var door = status.Cameras.Single().Lines.Single();
        (door.In, door.Out).Should().Be((expected.In, expected.Out), "a full disk must not stop counting");
        host.Agent.LoopsAlive.Should().BeTrue();
        var health = await OutboxHealthAsync(host);
        health.Status.Should().Be(HealthStatus.Unhealthy);
        health.Description.Should().Contain("disk is full").And.Contain(mountPoint);
        new Figures(output, "full disk").Record($"counting went on; outbox Unhealthy \"disk is full\" reported {clock.Elapsed.TotalSeconds:0.0} s after start");
    }

    [Fact]
    public async Task Run_FullDiskManyCrossings_DiskFullLoggedOnceAMinuteNotPerEventCountingGoesOn()
    {
        var mountPoint = TestPaths.NewTempDirectory("hgcounter-full-burst");
        await using var disk = await TmpfsMount.MountAsync(mountPoint, "size=1m");
        var log = new LogCapture();
        var cameras = new[] { "lobby", "garage", "yard", "dock", "hall" };
        var clock = Stopwatch.StartNew();

        await using var host = await AgentHost.StartAsync(
            mountPoint,
            o =>
            {
                FaultOptions.Apply(o);
                foreach (var camera in cameras)
                {
                    o.Cameras.Add(AgentHost.SceneCamera(camera, "cross-both-ways"));
                }
            },
            build: (builder, _) => builder.Logging.AddProvider(log.Provider()));
        var status = await host.WaitForAsync(s => cameras.All(c => AgentHost.Health(s, c) == CameraHealth.Finished));
        var minutes = clock.Elapsed.TotalMinutes;

        var expected = SyntheticScenes.Get("cross-both-ways").ExpectedCount("door");
        status.Cameras.Should().AllSatisfy(c => (c.Lines.Single().In, c.Lines.Single().Out).Should().Be((expected.In, expected.Out), "a full disk must not stop counting"));
        var refused = host.Services.GetRequiredService<EventOutbox>().RejectedCount;
        refused.Should().Be(cameras.Length * (expected.In + expected.Out), "every crossing was refused by the full disk");
        var diskFullLines = log.Lines.Count(l => l.Contains("is full", StringComparison.Ordinal));
        diskFullLines.Should().BeInRange(1, 1 + (int)minutes, "one line a minute, not one per event");
        log.Lines.Should().NotContain(l => l.Contains("could not be written to the outbox", StringComparison.Ordinal), "no line per refused event");
        new Figures(output, "full disk, burst").Record($"{refused} events refused in {clock.Elapsed.TotalSeconds:0.0} s: {diskFullLines} disk-full log line(s)");
    }

    [Fact]
    public async Task Start_ReadOnlyDataDirectory_FailsWithTypedErrorNamingTheOutboxPath()
    {
        var mountPoint = TestPaths.NewTempDirectory("hgcounter-ro");
        await using var disk = await TmpfsMount.MountAsync(mountPoint, "size=1m,ro");

        var start = () => AgentHost.StartAsync(mountPoint, o =>
        {
            FaultOptions.Apply(o);
            o.Cameras.Add(AgentHost.SceneCamera("lobby", "cross-both-ways"));
        });

        var error = (await start.Should().ThrowAsync<OutboxException>()).Which;
        error.Message.Should().Contain(Path.Combine(mountPoint, "outbox.db"));
    }
}
