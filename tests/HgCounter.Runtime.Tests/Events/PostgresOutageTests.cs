using HgCounter.Configuration;
using HgCounter.Runtime.Events;
using HgCounter.Runtime.Sinks;
using HgCounter.Runtime.Tests.Sinks;
using HgCounter.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace HgCounter.Runtime.Tests.Events;

/// <summary>The whole path against a real PostgreSQL that goes away while events keep coming, across a process restart.</summary>
public sealed class PostgresOutageTests : IAsyncLifetime
{
    private static readonly TimeSpan OutageLength = TimeSpan.FromSeconds(5);

    private readonly string _directory = TestPaths.NewTempDirectory("hgcounter-outage");
    private readonly List<Guid> _expected = [];
    private PostgresServer _server = null!;

    public async Task InitializeAsync() => _server = await PostgresServer.CreateAsync(TestContext.Timeout(120));

    private sealed class Agent : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _running;

        public Agent(string outboxPath, string connectionString, string table)
        {
            var options = new EventOptions { OutboxPath = outboxPath, BatchSize = 7 };
            Outbox = new EventOutbox(options, NullLogger<EventOutbox>.Instance, TimeProvider.System);
            Sink = new PostgresSink(
                new PostgreSqlSinkOptions { Type = "postgres", ConnectionString = connectionString, Table = table, Timeout = TimeSpan.FromSeconds(5) },
                NullLogger<PostgresSink>.Instance,
                TimeProvider.System);
            var retry = new OutboxUploaderOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(100), RetryMaxDelay = TimeSpan.FromSeconds(1) };
            Uploader = new OutboxUploader(Outbox, [Sink], options, retry, NullLogger<OutboxUploader>.Instance, TimeProvider.System);
            _running = Uploader.RunAsync(_stop.Token);
        }

        public EventOutbox Outbox { get; }

        public PostgresSink Sink { get; }

        public OutboxUploader Uploader { get; }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _running.WaitAsync(TestContext.Timeout());
            Uploader.Dispose();
            await Sink.DisposeAsync();
            await Outbox.DisposeAsync();
            _stop.Dispose();
        }
    }

    private async Task ProduceAsync(EventOutbox outbox, int count, int firstIndex)
    {
        for (var i = 0; i < count; i++)
        {
            var countEvent = TestEvents.New(firstIndex + i);
            await outbox.EnqueueAsync(countEvent, TestContext.Timeout());
            _expected.Add(countEvent.EventId);
            await Task.Delay(20); // a steady trickle, as from a camera
        }
    }

    [Fact]
    public async Task Uploader_PostgresDownWhileEventsArriveAndProcessRestarts_EveryEventStoredExactlyOnce()
    {
        var outboxPath = Path.Combine(_directory, "outbox.db");
        var table = PostgresTable.NewName();

        await using (var agent = new Agent(outboxPath, _server.ConnectionString, table))
        {
            await ProduceAsync(agent.Outbox, 30, 0);
            (await FakeClock.WaitUntilAsync(() => agent.Outbox.PendingCount == 0, 60)).Should().BeTrue("the database is up");

            await _server.StopAsync(TestContext.Timeout(60));
            var outageEnds = DateTime.UtcNow + OutageLength;
            var index = 30;
            while (DateTime.UtcNow < outageEnds)
            {
                await ProduceAsync(agent.Outbox, 10, index);
                index += 10;
            }

            agent.Outbox.PendingCount.Should().Be(index - 30, "events made during the outage wait in the outbox");
            agent.Uploader.Sinks[0].ConsecutiveFailures.Should().BeGreaterThan(0);
            agent.Uploader.Sinks[0].LastError.Should().Contain("'postgres'");
        }

        // A new process: a new outbox on the same file, while the database is still down.
        await using (var agent = new Agent(outboxPath, _server.ConnectionString, table))
        {
            agent.Outbox.PendingCount.Should().BeGreaterThan(0, "undelivered events survive the restart");
            await ProduceAsync(agent.Outbox, 10, 10_000);
            await _server.StartAsync(TestContext.Timeout(60));
            await ProduceAsync(agent.Outbox, 20, 20_000);

            (await FakeClock.WaitUntilAsync(() => agent.Outbox.PendingCount == 0, 90)).Should().BeTrue("the database is back");
        }

        var stored = await PostgresTable.EventIdsAsync(_server.ConnectionString, table, TestContext.Timeout());
        stored.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(_expected, "none lost, none duplicated");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
