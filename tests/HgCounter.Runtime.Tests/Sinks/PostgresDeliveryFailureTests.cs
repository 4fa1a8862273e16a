using HgCounter.Configuration;
using HgCounter.Events;
using HgCounter.Runtime.Events;
using HgCounter.Runtime.Sinks;
using HgCounter.Runtime.Tests.Events;
using HgCounter.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace HgCounter.Runtime.Tests.Sinks;

/// <summary>
/// The uploader and the PostgreSQL sink against a real PostgreSQL whose schema is wrong for a while: a missing column,
/// a check constraint every row violates. The events wait, health says so, nothing is poisoned, and the fix delivers them.
/// </summary>
public sealed class PostgresDeliveryFailureTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private readonly string _directory = TestPaths.NewTempDirectory("hgcounter-pg-delivery");
    private readonly FakeTimeProvider _time = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly string _table = PostgresTable.NewName();
    private EventOptions _options = null!;
    private EventOutbox _outbox = null!;
    private PostgresSink _sink = null!;
    private OutboxUploader _uploader = null!;
    private Task _running = Task.CompletedTask;

    public Task InitializeAsync()
    {
        _options = new EventOptions { OutboxPath = Path.Combine(_directory, "outbox.db"), BatchSize = 10 };
        _outbox = new EventOutbox(_options, NullLogger<EventOutbox>.Instance, _time);
        _sink = new PostgresSink(
            new PostgreSqlSinkOptions { Type = "postgres", Name = "db", ConnectionString = postgres.Server.ConnectionString, Table = _table, Timeout = TimeSpan.FromHours(10) },
            NullLogger<PostgresSink>.Instance,
            _time);
        _uploader = new OutboxUploader(_outbox, [_sink], _options, new OutboxUploaderOptions(), NullLogger<OutboxUploader>.Instance, _time);
        return Task.CompletedTask;
    }

    private async Task SqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(postgres.Server.ConnectionString);
        await connection.OpenAsync(TestContext.Timeout());
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Timeout());
    }

    private async Task StartWithAsync(IEnumerable<CountEvent> events)
    {
        foreach (var e in events)
        {
            await _outbox.EnqueueAsync(e, TestContext.Timeout());
        }

        _running = _uploader.RunAsync(_stop.Token);
    }

    private async Task ShouldStayPendingAndUnhealthyAsync(int pending, string sqlState)
    {
        (await FakeClock.AdvanceUntilAsync(_time, () => _uploader.Sinks[0].ConsecutiveFailures >= 4, TimeSpan.FromSeconds(5))).Should().BeTrue();
        _outbox.PendingCount.Should().Be(pending);
        _outbox.PoisonCount.Should().Be(0, "a schema problem is the backend's state, not the events' fault");
        var health = await new OutboxHealthCheck(_outbox, _options, _uploader).CheckHealthAsync(new HealthCheckContext());
        health.Status.Should().Be(HealthStatus.Unhealthy);
        health.Description.Should().Contain(sqlState).And.NotContain(PostgresServer.UserName + ";");
    }

    [Fact]
    public async Task RunAsync_TableLacksAColumn_EventsPendingUnhealthyThenDeliveredOnceFixed()
    {
        await SqlAsync($"""
            CREATE TABLE {_table} (event_id uuid PRIMARY KEY, camera text NOT NULL, line text NOT NULL, direction text NOT NULL,
                class_id integer NOT NULL, label text NOT NULL, track_id bigint NOT NULL, "timestamp" timestamptz NOT NULL)
            """);
        var events = TestEvents.Many(5);
        await StartWithAsync(events);

        await ShouldStayPendingAndUnhealthyAsync(5, "42703");

        await SqlAsync($"ALTER TABLE {_table} ADD COLUMN worker_id text");
        (await FakeClock.AdvanceUntilAsync(_time, () => _outbox.PendingCount == 0, TimeSpan.FromSeconds(5))).Should().BeTrue();
        (await PostgresTable.EventIdsAsync(postgres.Server.ConnectionString, _table, TestContext.Timeout()))
            .Should().BeEquivalentTo(events.Select(e => e.EventId));
        _outbox.PoisonCount.Should().Be(0);
    }

    [Fact]
    public async Task RunAsync_CheckConstraintEveryRowViolates_EventsPendingUnhealthyThenDeliveredOnceDropped()
    {
        await using (var setup = new PostgresSink(
            new PostgreSqlSinkOptions { Type = "postgres", ConnectionString = postgres.Server.ConnectionString, Table = _table },
            NullLogger<PostgresSink>.Instance,
            TimeProvider.System))
        {
            await setup.DeliverAsync(TestEvents.Many(1), TestContext.Timeout()); // the table as the sink makes it
        }

        await SqlAsync($"ALTER TABLE {_table} ADD CONSTRAINT only_lobby CHECK (camera = 'lobby') NOT VALID");
        var events = TestEvents.Many(6);
        await StartWithAsync(events);

        await ShouldStayPendingAndUnhealthyAsync(6, "23514");

        await SqlAsync($"ALTER TABLE {_table} DROP CONSTRAINT only_lobby");
        (await FakeClock.AdvanceUntilAsync(_time, () => _outbox.PendingCount == 0, TimeSpan.FromSeconds(5))).Should().BeTrue();
        (await PostgresTable.EventIdsAsync(postgres.Server.ConnectionString, _table, TestContext.Timeout()))
            .Should().Contain(events.Select(e => e.EventId)).And.HaveCount(7);
        _outbox.PoisonCount.Should().Be(0);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(TestContext.Timeout());
        _uploader.Dispose();
        await _sink.DisposeAsync();
        await _outbox.DisposeAsync();
        _stop.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
