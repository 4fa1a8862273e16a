using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HgCounter.FaultTests.Infrastructure;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Runtime.Sinks;
using HgCounter.Samples.Tests;
using HgCounter.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit.Abstractions;

namespace HgCounter.FaultTests.Backend;

/// <summary>
/// Exactly-once without a replay to hide behind: a live camera counts, PostgreSQL is slowed so deliveries are in flight,
/// and the agent is SIGKILLed five times at random points. Every restart watches an idle camera, so whatever reaches
/// PostgreSQL after the first kill can only come from the outbox. What the agent had counted when it was first killed
/// (delivered rows plus the outbox's pending rows, read from the dead process's files) must end in PostgreSQL once each.
/// </summary>
public class ExactlyOnceUnderKillsTests(ITestOutputHelper output)
{
    private const int Kills = 5;
    private const string Table = "count_events";

    [Fact]
    public async Task Run_LiveCameraAndSlowBackend_FiveSigkills_DatabaseHoldsEveryCountedEventOnce()
    {
        var figures = new Figures(output, "exactly-once under 5 SIGKILLs");
        var seed = Environment.GetEnvironmentVariable("HGCOUNTER_KILL_SEED") is { Length: > 0 } given
            ? int.Parse(given, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        var random = new Random(seed);
        output.WriteLine($"kill points from seed {seed} (HGCOUNTER_KILL_SEED reproduces them)");

        await using var postgres = await PostgresServer.CreateAsync(TestContext.Timeout(120), durable: true);
        await CreateSlowTableAsync(postgres.ConnectionString);
        var work = TestPaths.NewTempDirectory();
        var data = Path.Combine(work, "data");
        var outbox = Path.Combine(data, "outbox.db");
        // One event per INSERT, each taking longer than the scene's crossings are apart: from the first crossing on, a
        // delivery is always in flight and a backlog waits, so every kill lands inside one.
        var sink = new { Type = "postgres", postgres.ConnectionString, Table, Timeout = "00:00:30" };
        var events = new { OutboxPath = outbox, BatchSize = 1, Sinks = new[] { sink } };
        var counting = SampleConfig.Write(work, "counting.json", new { DataDirectory = data, Cameras = new[] { LiveCamera() }, Events = events });
        var idle = SampleConfig.Write(work, "idle.json", new { DataDirectory = data, Cameras = new[] { SampleConfig.IdleCamera() }, Events = events });

        Dictionary<Guid, string> counted;
        await using (var live = SampleProcess.Start("HgCounter.ConsoleSample", work, "--config", counting))
        {
            (await WaitForRowCountAsync(postgres.ConnectionString, 1, TimeSpan.FromSeconds(120))).Should().BeGreaterThan(0, "counting reaches the backend");
            var countingFor = TimeSpan.FromSeconds(5 + (random.NextDouble() * 20));
            await Task.Delay(countingFor);
            await live.KillHardAsync();
            figures.Record(string.Create(CultureInfo.InvariantCulture, $"kill 1 while counting, {countingFor.TotalSeconds:0.0} s after the first row"));
        }

        // The process is dead: its outbox file is still, and PostgreSQL only gains rows the outbox also holds.
        var inDatabase = await ReadRowsAsync(postgres.ConnectionString);
        var pending = ReadPending(outbox);
        counted = inDatabase.Concat(pending).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value);
        var total = SyntheticScenes.Get("demo").ExpectedCount("door");
        figures.Record($"{counted.Count} events counted before kill 1: {inDatabase.Count} delivered, {pending.Count} pending in the outbox");
        pending.Should().NotBeEmpty("the slowed backend keeps deliveries behind counting, so the kill strands events in the outbox");

        var killedAfter = new List<TimeSpan>();
        for (var kill = 2; kill <= Kills; kill++)
        {
            await using var restart = SampleProcess.Start("HgCounter.ConsoleSample", work, "--config", idle);
            var after = TimeSpan.FromSeconds(1 + (random.NextDouble() * 7));
            await Task.Delay(after);
            restart.HasExited.Should().BeFalse($"restart {kill - 1} keeps running until it is killed. Output:\n{restart.Output}");
            await restart.KillHardAsync();
            killedAfter.Add(after);
        }

        var drained = Stopwatch.StartNew();
        await using (var last = SampleProcess.Start("HgCounter.ConsoleSample", work, "--config", idle))
        {
            var rows = await WaitForRowCountAsync(postgres.ConnectionString, counted.Count, TimeSpan.FromSeconds(180));
            rows.Should().BeGreaterThanOrEqualTo(counted.Count, $"the last restart delivers the rest. Output:\n{last.Output}");
            var deliveredIn = drained.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(3)); // anything extra would show up now
            figures.Durations($"restarts {Kills - 1}, each SIGKILLed after", killedAfter);
            figures.Record(string.Create(CultureInfo.InvariantCulture, $"all {counted.Count} delivered {deliveredIn.TotalSeconds:0.0} s into the last start (8 s per INSERT, fsync=on)"));
        }

        var final = await ReadRowsAsync(postgres.ConnectionString);
        final.Keys.Should().BeEquivalentTo(counted.Keys, "every counted event arrives, and nothing the agent did not count");
        final.Should().Equal(counted, "each with the direction it was counted in");
        counted.Count.Should().BeLessThanOrEqualTo((int)((total.In + total.Out) * 2), "a live camera in under a minute and a half sees at most two loops of the scene");
        ReadPending(outbox).Should().BeEmpty("nothing is stranded in the outbox");
        CountPoisoned(outbox).Should().Be(0, "a slow backend is not a reason to poison");
        (await ProcessTable.WaitForNoChildrenAsync(work, TimeSpan.FromSeconds(10))).Should().BeEmpty("no agent of this test outlives it");
    }

    // The demo scene looping is a live camera: in real time, it skips what it falls behind on, like a network stream.
    private static object LiveCamera() => new
    {
        Name = "lobby",
        Url = "synthetic:demo",
        Detector = "motion",
        Realtime = true,
        Loop = true,
        Lines = SyntheticScenes.Get("demo").Lines.Select(l => new { l.Name, l.Start, l.End }),
    };

    // The sink's own schema (it finds the table and leaves it), plus a trigger that makes every INSERT take 8 s.
    private static async Task CreateSlowTableAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            {PostgresSink.CreateTableSql(Table)};
            CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(8); RETURN NULL; END $$;
            CREATE TRIGGER slow_insert BEFORE INSERT ON {Table} FOR EACH STATEMENT EXECUTE FUNCTION slow_insert();
            """, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<int> WaitForRowCountAsync(string connectionString, int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var rows = 0;
        while (clock.Elapsed < timeout)
        {
            rows = (await ReadRowsAsync(connectionString)).Count;
            if (rows >= count)
            {
                return rows;
            }

            await Task.Delay(250);
        }

        return rows;
    }

    private static async Task<Dictionary<Guid, string>> ReadRowsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT event_id, direction FROM {Table}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<Guid, string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetGuid(0), reader.GetString(1).ToLowerInvariant());
        }

        return rows;
    }

    // Events the outbox still has to deliver, read from the file as the agent left it (the wire JSON, snake_case).
    private static Dictionary<Guid, string> ReadPending(string outboxPath)
    {
        using var connection = OpenReadOnly(outboxPath);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM events";
        using var reader = command.ExecuteReader();
        var pending = new Dictionary<Guid, string>();
        while (reader.Read())
        {
            using var payload = JsonDocument.Parse(reader.GetString(0));
            pending.Add(payload.RootElement.GetProperty("event_id").GetGuid(), payload.RootElement.GetProperty("direction").GetString()!.ToLowerInvariant());
        }

        return pending;
    }

    private static long CountPoisoned(string outboxPath)
    {
        using var connection = OpenReadOnly(outboxPath);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM poison";
        return (long)command.ExecuteScalar()!;
    }

    // Read-write so SQLite may replay the dead process's WAL into its view; nothing is written.
    private static SqliteConnection OpenReadOnly(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
