using HgCounter.Configuration;
using HgCounter.Counting;
using HgCounter.Events;
using HgCounter.Runtime.Sinks;
using HgCounter.Runtime.Tests.Events;
using HgCounter.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace HgCounter.Runtime.Tests.Sinks;

public sealed class PostgresSinkTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private PostgresSink NewSink(string table, string? connectionString = null, ILogger<PostgresSink>? logger = null) => new(
        new PostgreSqlSinkOptions { Type = "postgres", ConnectionString = connectionString ?? postgres.Server.ConnectionString, Table = table, Timeout = TimeSpan.FromSeconds(10) },
        logger ?? NullLogger<PostgresSink>.Instance,
        TimeProvider.System);

    // A role as a hosted database hands out: it may log in and use schema public, but not create anything in it.
    private async Task<string> RestrictedRoleAsync(string table, bool mayInsert)
    {
        var role = "counter_" + Guid.NewGuid().ToString("N")[..8];
        await using var setup = NewSink(table);
        await setup.DeliverAsync(TestEvents.Many(1), TestContext.Timeout()); // creates the table as the owner
        await using var connection = new NpgsqlConnection(postgres.Server.ConnectionString);
        await connection.OpenAsync(TestContext.Timeout());
        var grants = $"""
            CREATE ROLE {role} LOGIN PASSWORD '{RolePassword}';
            REVOKE CREATE ON SCHEMA public FROM PUBLIC;
            GRANT USAGE ON SCHEMA public TO {role};
            {(mayInsert ? $"GRANT INSERT ON {table} TO {role};" : string.Empty)}
            """;
        await using var command = new NpgsqlCommand(grants, connection);
        await command.ExecuteNonQueryAsync(TestContext.Timeout());
        return $"Host=127.0.0.1;Port={postgres.Server.Port};Username={role};Password={RolePassword};Database=postgres;Pooling=false;Timeout=5";
    }

    private const string RolePassword = "r0le-Secret-pw";

    [Fact]
    public async Task DeliverAsync_NoTableYet_CreatesItAndStoresEveryField()
    {
        var table = PostgresTable.NewName();
        await using var sink = NewSink(table);
        var countEvent = new CountEvent(Guid.NewGuid(), "gate-2", "north", CrossingDirection.Out, 1, "bicycle", 4242,
            new DateTimeOffset(2026, 11, 28, 9, 30, 15, 250, TimeSpan.FromHours(2)), "worker-7");

        await sink.DeliverAsync([countEvent], TestContext.Timeout());

        await using var connection = new NpgsqlConnection(postgres.Server.ConnectionString);
        await connection.OpenAsync(TestContext.Timeout());
        await using var command = new NpgsqlCommand(
            $"SELECT event_id, camera, line, direction, class_id, label, track_id, \"timestamp\", worker_id FROM {table}", connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Timeout());
        (await reader.ReadAsync()).Should().BeTrue();
        var stored = new CountEvent(
            reader.GetGuid(0), reader.GetString(1), reader.GetString(2), Enum.Parse<CrossingDirection>(reader.GetString(3)),
            reader.GetInt32(4), reader.GetString(5), reader.GetInt64(6), reader.GetFieldValue<DateTimeOffset>(7), reader.GetString(8));
        stored.Should().Be(countEvent with { Timestamp = countEvent.Timestamp.ToUniversalTime() });
        stored.Timestamp.Should().Be(countEvent.Timestamp, "the same instant");
        (await reader.ReadAsync()).Should().BeFalse();
    }

    [Fact]
    public async Task DeliverAsync_ZoneEventsAndCrossing_StoresKindZoneAndDwell()
    {
        var table = PostgresTable.NewName();
        await using var sink = NewSink(table);
        var crossing = TestEvents.New(1);
        var exit = TestEvents.New(2) with { Line = "queue", Kind = CountEventKind.ZoneExit, Zone = "queue", DwellSeconds = 41.5 };

        await sink.DeliverAsync([crossing, exit], TestContext.Timeout());

        (await KindsAsync(table)).Should().BeEquivalentTo([(crossing.EventId, "crossing", (string?)null, (double?)null), (exit.EventId, "zone-exit", "queue", 41.5)]);
    }

    [Fact]
    public async Task DeliverAsync_TableFromBeforeZones_AddsTheColumnsAndKeepsOldRowsAsCrossings()
    {
        var table = PostgresTable.NewName();
        var old = TestEvents.New(1);
        await using (var connection = new NpgsqlConnection(postgres.Server.ConnectionString))
        {
            await connection.OpenAsync(TestContext.Timeout());
            // The table as the sink created it before zones existed, with one crossing in it.
            await using var create = new NpgsqlCommand($"""
                CREATE TABLE {table} (event_id uuid PRIMARY KEY, camera text NOT NULL, line text NOT NULL, direction text NOT NULL,
                    class_id integer NOT NULL, label text NOT NULL, track_id bigint NOT NULL, "timestamp" timestamptz NOT NULL,
                    worker_id text NOT NULL, received_at timestamptz NOT NULL DEFAULT now());
                INSERT INTO {table} (event_id, camera, line, direction, class_id, label, track_id, "timestamp", worker_id)
                VALUES ('{old.EventId}', 'door-cam', 'exit', 'In', 1, 'bicycle', 1001, now(), 'worker-1');
                """, connection);
            await create.ExecuteNonQueryAsync(TestContext.Timeout());
        }

        await using var sink = NewSink(table);
        var enter = TestEvents.New(2) with { Line = "queue", Kind = CountEventKind.ZoneEnter, Zone = "queue" };
        await sink.DeliverAsync([enter], TestContext.Timeout());

        (await KindsAsync(table)).Should().BeEquivalentTo([(old.EventId, "crossing", (string?)null, (double?)null), (enter.EventId, "zone-enter", "queue", (double?)null)]);
    }

    private async Task<List<(Guid Id, string Kind, string? Zone, double? Dwell)>> KindsAsync(string table)
    {
        await using var connection = new NpgsqlConnection(postgres.Server.ConnectionString);
        await connection.OpenAsync(TestContext.Timeout());
        await using var command = new NpgsqlCommand($"SELECT event_id, kind, zone, dwell_seconds FROM {table}", connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Timeout());
        var rows = new List<(Guid, string, string?, double?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetDouble(3)));
        }

        return rows;
    }

    [Fact]
    public async Task DeliverAsync_BatchResent_NoDuplicates()
    {
        var table = PostgresTable.NewName();
        await using var sink = NewSink(table);
        var first = TestEvents.Many(50);
        var second = TestEvents.Many(20);

        await sink.DeliverAsync(first, TestContext.Timeout());
        await sink.DeliverAsync(first, TestContext.Timeout());
        await sink.DeliverAsync([.. first.TakeLast(10), .. second], TestContext.Timeout());

        var ids = await PostgresTable.EventIdsAsync(postgres.Server.ConnectionString, table, TestContext.Timeout());
        ids.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(first.Concat(second).Select(e => e.EventId));
    }

    [Fact]
    public async Task DeliverAsync_TwoSinkInstancesOneTable_BothCreateAndInsertWithoutError()
    {
        var table = PostgresTable.NewName();
        await using var a = NewSink(table);
        await using var b = NewSink(table);
        var events = TestEvents.Many(10);

        await Task.WhenAll(a.DeliverAsync(events[..5], TestContext.Timeout()), b.DeliverAsync(events[5..], TestContext.Timeout()));

        (await PostgresTable.EventIdsAsync(postgres.Server.ConnectionString, table, TestContext.Timeout()))
            .Should().BeEquivalentTo(events.Select(e => e.EventId));
    }

    [Fact]
    public async Task DeliverAsync_ServerUnreachable_TransientFailureWithoutPassword()
    {
        const string password = "Tr0ub4dor&3-secret";
        await using var sink = NewSink(PostgresTable.NewName(), $"Host=127.0.0.1;Port=1;Username=counter;Password={password};Timeout=3");

        var act = async () => await sink.DeliverAsync(TestEvents.Many(1), TestContext.Timeout());

        var failure = (await act.Should().ThrowAsync<SinkDeliveryException>()).Which;
        failure.Kind.Should().Be(SinkFailureKind.Transient, "the server may come back");
        failure.Message.Should().Contain("'postgres'").And.NotContain(password);
    }

    [Fact]
    public async Task DeliverAsync_ServerAcceptsButNeverAnswers_TransientFailureWithinTheTimeout()
    {
        await using var hung = new SilentTcpServer();
        await using var sink = new PostgresSink(
            new PostgreSqlSinkOptions { Type = "postgres", ConnectionString = $"Host=127.0.0.1;Port={hung.Port};Username=counter;Password=x-secret-pw", Timeout = TimeSpan.FromSeconds(2) },
            NullLogger<PostgresSink>.Instance,
            TimeProvider.System);

        var act = async () => await sink.DeliverAsync(TestEvents.Many(1), TestContext.Timeout(60));

        var failure = (await act.Should().ThrowAsync<SinkDeliveryException>()).Which;
        failure.Kind.Should().Be(SinkFailureKind.Transient, "a hung server may recover");
        failure.Message.Should().NotContain("x-secret-pw");
    }

    [Fact]
    public async Task DeliverAsync_InsertOnlyRoleAndTableExists_Delivers()
    {
        var table = PostgresTable.NewName();
        await using var sink = NewSink(table, await RestrictedRoleAsync(table, mayInsert: true));
        var events = TestEvents.Many(5);

        await sink.DeliverAsync(events, TestContext.Timeout());

        (await PostgresTable.EventIdsAsync(postgres.Server.ConnectionString, table, TestContext.Timeout()))
            .Should().Contain(events.Select(e => e.EventId), "an INSERT-only role (hosted databases) must be enough");
    }

    [Fact]
    public async Task DeliverAsync_RoleMayNotInsert_TransientConfigurationErrorWithSqlStateLoggedAsError()
    {
        var table = PostgresTable.NewName();
        var log = new LogCapture();
        await using var sink = NewSink(table, await RestrictedRoleAsync(table, mayInsert: false), log.For<PostgresSink>());

        var act = async () => await sink.DeliverAsync(TestEvents.Many(1), TestContext.Timeout());

        var failure = (await act.Should().ThrowAsync<SinkDeliveryException>()).Which;
        failure.Kind.Should().Be(SinkFailureKind.Configuration, "a missing grant is the operator's to fix, not a bad event to poison");
        failure.Message.Should().Contain("42501").And.Contain("configuration").And.NotContain(RolePassword);
        log.Lines.Should().Contain(l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("42501"));
        log.All.Should().NotContain(RolePassword);
    }

    [Fact]
    public async Task DeliverAsync_MissingDatabase_TransientConfigurationErrorWithSqlState()
    {
        await using var sink = NewSink(PostgresTable.NewName(),
            $"Host=127.0.0.1;Port={postgres.Server.Port};Username={PostgresServer.UserName};Password={RolePassword};Database=no_such_db;Pooling=false");

        var act = async () => await sink.DeliverAsync(TestEvents.Many(1), TestContext.Timeout());

        var failure = (await act.Should().ThrowAsync<SinkDeliveryException>()).Which;
        failure.Kind.Should().Be(SinkFailureKind.Configuration);
        failure.Message.Should().Contain("3D000").And.Contain("configuration").And.NotContain(RolePassword);
    }

    [Fact]
    public void Constructor_MalformedConnectionString_ErrorDoesNotQuoteIt()
    {
        var act = () => NewSink("t", "Host=db;Password=hunter22-secret;Bogus Key=1");

        act.Should().Throw<ArgumentException>().Which.Message.Should().NotContain("hunter22");
    }
}
