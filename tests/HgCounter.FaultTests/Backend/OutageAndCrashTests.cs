using System.Diagnostics;
using HgCounter.FaultTests.Infrastructure;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Samples.Tests;
using HgCounter.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace HgCounter.FaultTests.Backend;

public class OutageAndCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Run_PostgresDownWhileCountingAndAgentSigkilled_DatabaseEndsWithExactlyTheSceneEvents()
    {
        var figures = new Figures(output, "backend outage + SIGKILL");
        await using var postgres = await PostgresServer.CreateAsync(TestContext.Timeout(120));
        var work = TestPaths.NewTempDirectory();
        var data = Path.Combine(work, "data");
        var expected = SyntheticScenes.Get("demo").ExpectedCount("door");
        var total = (int)(expected.In + expected.Out);
        var config = SampleConfig.Write(work, "agent.json", new
        {
            DataDirectory = data,
            // The demo scene in real time (60 s, played once) is the ground truth; the idle camera keeps the process up after it.
            Cameras = new object[] { LobbyCamera(), SampleConfig.IdleCamera() },
            // Every frame of the 10 fps scene is processed (no pacing skips, no CPU adaptation on a loaded CI machine), so
            // both runs see the same frames and count the same crossings with the same ids.
            ResourceGuard = new { MaxCpuPercent = 100 },
            Events = new { OutboxPath = Path.Combine(data, "outbox.db"), Sinks = new[] { new { Type = "postgres", postgres.ConnectionString, Table = "count_events" } } },
        });

        TimeSpan drained;
        await using (var first = SampleProcess.Start("HgCounter.ConsoleSample", work, "--config", config))
        {
            (await WaitForRowsAsync(postgres.ConnectionString, 1, TimeSpan.FromSeconds(90))).Should().NotBeEmpty("counting reaches the backend before the outage");
            var outage = Stopwatch.StartNew();
            await postgres.StopAsync(TestContext.Timeout(60));

            // Mid-outage, mid-scene: a power cut. The restarted agent replays the scene; its ids repeat and deduplicate.
            await Task.Delay(FaultSettings.BackendOutage / 2);
            await first.KillHardAsync();
            await using var second = SampleProcess.Start("HgCounter.ConsoleSample", work, "--config", config);
            var rest = FaultSettings.BackendOutage - outage.Elapsed;
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest);
            }

            await postgres.StartAsync(TestContext.Timeout(60));
            var back = Stopwatch.StartNew();
            await second.WaitForLineAsync(l => l.Contains("camera=lobby health=Finished", StringComparison.Ordinal), TimeSpan.FromSeconds(150));
            (await WaitForRowsAsync(postgres.ConnectionString, total, TimeSpan.FromSeconds(90))).Should().HaveCount(total);
            drained = back.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(2)); // anything late would show up now
        }

        var rows = await ReadDirectionsAsync(postgres.ConnectionString);
        figures.Record($"outage {FaultSettings.BackendOutage.TotalSeconds:0} s with one SIGKILL; {rows.Count} rows for {total} ground-truth crossings; all delivered {drained.TotalSeconds:0.0} s after PostgreSQL returned (scene replay included)");
        rows.Should().HaveCount(total, "none lost, none duplicated");
        rows.Count(d => d == "in").Should().Be((int)expected.In);
        rows.Count(d => d == "out").Should().Be((int)expected.Out);
        (await ProcessTable.WaitForNoChildrenAsync(work, TimeSpan.FromSeconds(10))).Should().BeEmpty("no agent of this test outlives it");
    }

    private static object LobbyCamera() => new
    {
        Name = "lobby",
        Url = "synthetic:demo",
        Detector = "motion",
        Realtime = true,
        TargetFps = 30,
        Lines = SyntheticScenes.Get("demo").Lines.Select(l => new { l.Name, l.Start, l.End }),
    };

    private static async Task<List<string>> WaitForRowsAsync(string connectionString, int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var rows = await TryReadDirectionsAsync(connectionString);
            if (rows.Count >= count || clock.Elapsed > timeout)
            {
                return rows;
            }

            await Task.Delay(250);
        }
    }

    private static async Task<List<string>> TryReadDirectionsAsync(string connectionString)
    {
        try
        {
            return await ReadDirectionsAsync(connectionString);
        }
        catch (Exception ex) when (ex is NpgsqlException)
        {
            return []; // no table yet, or the server is down
        }
    }

    private static async Task<List<string>> ReadDirectionsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT direction FROM count_events", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0).ToLowerInvariant());
        }

        return rows;
    }
}
