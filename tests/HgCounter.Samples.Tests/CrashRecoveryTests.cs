using HgCounter.Rtsp.Synthetic;
using HgCounter.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace HgCounter.Samples.Tests;

public class CrashRecoveryTests
{
    [Fact]
    public async Task Sigkill_WhileBackendDown_EveryCountedEventReachesPostgresExactlyOnceAfterRestart()
    {
        await using var postgres = await PostgresServer.CreateAsync(TestContext.Timeout(120));
        var work = TestPaths.NewTempDirectory();
        var data = Path.Combine(work, "data");
        var expected = SyntheticScenes.Get("cross-both-ways").ExpectedCount("door");
        var total = (int)(expected.In + expected.Out);
        object Section(params object[] cameras) => new
        {
            DataDirectory = data,
            Cameras = cameras,
            Events = new { OutboxPath = Path.Combine(data, "outbox.db"), Sinks = new[] { new { Type = "postgres", ConnectionString = postgres.ConnectionString, Table = "count_events" } } },
        };

        // Run 1: the backend is down; the agent counts a recording, then dies without any shutdown code.
        await postgres.StopAsync(TestContext.Timeout(60));
        var first = SampleConfig.Write(work, "run1.json", Section(SampleConfig.SceneCamera("lobby", "cross-both-ways"), SampleConfig.IdleCamera()));
        await using (var agent = SampleProcess.Start("HgCounter.ConsoleSample", work, "--config", first))
        {
            await agent.WaitForLineAsync(l => l.Contains("camera=lobby health=Finished", StringComparison.Ordinal), TimeSpan.FromSeconds(120));
            await agent.KillHardAsync();
        }

        var pending = PendingEventIds(Path.Combine(data, "outbox.db"));
        pending.Should().HaveCount(total, "every counted crossing was in the durable outbox before the kill");

        // Run 2: the backend is back; the restarted agent (now counting nothing new) delivers the outbox.
        await postgres.StartAsync(TestContext.Timeout(60));
        var second = SampleConfig.Write(work, "run2.json", Section(SampleConfig.IdleCamera()));
        await using (var agent = SampleProcess.Start("HgCounter.ConsoleSample", work, "--config", second))
        {
            var delivered = await WaitForRowsAsync(postgres.ConnectionString, total, TimeSpan.FromSeconds(90));
            delivered.Should().BeEquivalentTo(pending, "exactly the events counted before the kill, none lost, none duplicated");
        }

        (await WaitForRowsAsync(postgres.ConnectionString, total, TimeSpan.FromSeconds(1))).Should().HaveCount(total);
    }

    private static List<string> PendingEventIds(string outbox)
    {
        using var connection = new SqliteConnection($"Data Source={outbox};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT event_id FROM events";
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(Guid.Parse(reader.GetString(0)).ToString());
        }

        return ids;
    }

    private static async Task<List<string>> WaitForRowsAsync(string connectionString, int expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var ids = new List<string>();
        while (true)
        {
            ids.Clear();
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT event_id FROM count_events", connection);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    ids.Add(reader.GetGuid(0).ToString());
                }
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                // The sink has not created its table yet.
            }

            if (ids.Count >= expected || DateTime.UtcNow > deadline)
            {
                return [.. ids];
            }

            await Task.Delay(250);
        }
    }
}
