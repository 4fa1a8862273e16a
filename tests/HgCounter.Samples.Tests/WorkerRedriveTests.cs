using System.Net;
using System.Text.Json;
using HgCounter.Configuration;
using HgCounter.Counting;
using HgCounter.Events;
using HgCounter.Runtime.Events;
using HgCounter.Runtime.Serialization;
using HgCounter.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace HgCounter.Samples.Tests;

public class WorkerRedriveTests
{
    [Fact]
    public async Task RedriveEndpoint_EventPoisonedForTheFileSink_MovesItBackAndTheRunningWorkerDeliversIt()
    {
        var work = TestPaths.NewTempDirectory();
        var options = new EventOptions { OutboxPath = Path.Combine(work, "outbox.db") };
        var eventsFile = Path.Combine(work, "events.jsonl");
        var poisoned = new CountEvent(Guid.NewGuid(), "cam", "door", CrossingDirection.In, 0, "person", 7, DateTimeOffset.UtcNow, "worker-1");
        await SeedPoisonAsync(options, poisoned, sink: "jsonl");

        await using var worker = await WorkerProcess.StartAsync(
            "127.0.0.1",
            new Dictionary<string, string>(),
            [.. WorkerProcess.DeadCamera("cam"),
             "--HgCounter:Events:OutboxPath=" + options.OutboxPath,
             "--HgCounter:Events:Sinks:0:Type=jsonl", "--HgCounter:Events:Sinks:0:Path=" + eventsFile]);

        // Another sink's name moves nothing: the operator re-drives only what they fixed.
        using (var other = await worker.SendAsync(HttpMethod.Post, "/api/events/redrive?sink=warehouse"))
        {
            other.StatusCode.Should().Be(HttpStatusCode.OK);
            JsonDocument.Parse(await other.Content.ReadAsStringAsync()).RootElement.GetProperty("moved").GetInt32().Should().Be(0);
        }

        File.Exists(eventsFile).Should().BeFalse("a poisoned event is not delivered until it is re-driven");

        using var redrive = await worker.SendAsync(HttpMethod.Post, "/api/events/redrive?sink=jsonl");
        redrive.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonDocument.Parse(await redrive.Content.ReadAsStringAsync()).RootElement.GetProperty("moved").GetInt32().Should().Be(1);

        // The running worker's uploader picks it up without a restart, and writes it once.
        var delivered = await PollFileAsync(eventsFile, poisoned.EventId.ToString(), TimeSpan.FromSeconds(60));
        delivered.Count(l => l.Contains(poisoned.EventId.ToString(), StringComparison.Ordinal)).Should().Be(1);
        JsonSerializer.Deserialize(delivered.Single(l => l.Contains(poisoned.EventId.ToString(), StringComparison.Ordinal)), HgCounterJson.CountEvent).Should().Be(poisoned);
    }

    private static async Task SeedPoisonAsync(EventOptions options, CountEvent countEvent, string sink)
    {
        await using (new EventOutbox(options, NullLogger<EventOutbox>.Instance, TimeProvider.System))
        {
            // creates the file and its tables
        }

        await using var db = new SqliteConnection($"Data Source={options.OutboxPath};Pooling=False");
        await db.OpenAsync();
        await using var insert = db.CreateCommand();
        insert.CommandText = "INSERT INTO poison (event_id, sink, payload, reason, at) VALUES ($id, $sink, $payload, 'HTTP 422', $at)";
        insert.Parameters.AddWithValue("$id", countEvent.EventId.ToString());
        insert.Parameters.AddWithValue("$sink", sink);
        insert.Parameters.AddWithValue("$payload", JsonSerializer.Serialize(countEvent, HgCounterJson.CountEvent));
        insert.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        await insert.ExecuteNonQueryAsync();
    }

    private static async Task<string[]> PollFileAsync(string path, string needle, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            if (File.Exists(path) && await File.ReadAllLinesAsync(path, cts.Token) is var lines && lines.Any(l => l.Contains(needle, StringComparison.Ordinal)))
            {
                return lines;
            }

            await Task.Delay(200, cts.Token);
        }
    }
}
