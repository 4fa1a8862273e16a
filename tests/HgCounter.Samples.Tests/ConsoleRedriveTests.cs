using HgCounter.Configuration;
using HgCounter.Runtime.Events;
using HgCounter.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace HgCounter.Samples.Tests;

public class ConsoleRedriveTests
{
    [Fact]
    public async Task RedrivePoisoned_OutboxWithAPoisonedEvent_MovesItBackPrintsTheCountAndExits()
    {
        var work = TestPaths.NewTempDirectory();
        var options = new EventOptions { OutboxPath = Path.Combine(work, "data", "outbox.db") };
        await using (new EventOutbox(options, NullLogger<EventOutbox>.Instance, TimeProvider.System))
        {
            // creates the file and its tables
        }

        var id = Guid.NewGuid();
        await using (var db = new SqliteConnection($"Data Source={options.OutboxPath};Pooling=False"))
        {
            await db.OpenAsync();
            await using var insert = db.CreateCommand();
            insert.CommandText = "INSERT INTO poison (event_id, sink, payload, reason, at) VALUES ($id, 'api', '{}', 'HTTP 401', '2026-12-03T08:00:00.0000000+00:00')";
            insert.Parameters.AddWithValue("$id", id.ToString());
            await insert.ExecuteNonQueryAsync();
        }

        await using var tool = SampleProcess.Start("HgCounter.ConsoleSample", work, "--redrive-poisoned", $"--HgCounter:Events:OutboxPath={options.OutboxPath}");
        (await tool.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().Be(0, tool.Output);

        tool.Output.Should().Contain("1 poisoned event(s) moved back to pending");
        await using var reopened = new EventOutbox(options, NullLogger<EventOutbox>.Instance, TimeProvider.System);
        reopened.PoisonCount.Should().Be(0);
        reopened.PendingCount.Should().Be(1, "the event waits for the sinks again");
    }
}
