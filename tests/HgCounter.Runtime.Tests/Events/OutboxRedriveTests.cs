using HgCounter.Configuration;
using HgCounter.Events;
using HgCounter.Runtime.Events;
using HgCounter.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HgCounter.Runtime.Tests.Events;

/// <summary>Re-driving poisoned events on a real outbox file while the uploader runs.</summary>
public sealed class OutboxRedriveTests : IAsyncLifetime
{
    private readonly string _directory = TestPaths.NewTempDirectory("hgcounter-redrive");
    private readonly FakeTimeProvider _time = new();
    private readonly CancellationTokenSource _stop = new();
    private EventOptions _options = null!;
    private EventOutbox _outbox = null!;
    private Task _running = Task.CompletedTask;

    public Task InitializeAsync()
    {
        _options = new EventOptions { OutboxPath = Path.Combine(_directory, "outbox.db"), BatchSize = 10 };
        _outbox = new EventOutbox(_options, NullLogger<EventOutbox>.Instance, _time);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task RedrivePoisoned_OneSinkAfterItWasFixed_DeliveredThereAndNotResentToSinksThatHadIt()
    {
        var events = TestEvents.Many(4);
        var bad = events[2].EventId;
        var file = new ScriptedSink("file");
        var api = new ScriptedSink("api");
        var db = new ScriptedSink("db") { Down = true };
        api.Rejected.Add(bad);
        foreach (var e in events)
        {
            await _outbox.EnqueueAsync(e, TestContext.Timeout());
        }

        var uploader = new OutboxUploader(_outbox, [file, api, db], _options, new OutboxUploaderOptions(), NullLogger<OutboxUploader>.Instance, _time);
        _running = uploader.RunAsync(_stop.Token);
        (await FakeClock.AdvanceUntilAsync(_time, () => _outbox.PoisonCount == 1 && file.Accepted.Count == 4, TimeSpan.FromSeconds(1))).Should().BeTrue();
        _outbox.RedrivePoisoned("db").Should().Be(0, "nothing was poisoned for that sink");

        api.Rejected.Clear(); // the backend was fixed
        _outbox.RedrivePoisoned("api").Should().Be(1);
        _outbox.PoisonCount.Should().Be(0);
        db.Down = false;

        (await FakeClock.AdvanceUntilAsync(_time, () => _outbox.PendingCount == 0, TimeSpan.FromSeconds(5))).Should().BeTrue();
        api.Accepted.Should().BeEquivalentTo(events.Select(e => e.EventId), "the re-driven event reached the sink that had poisoned it");
        file.Accepted.Should().ContainSingle(id => id == bad, "a sink that had confirmed it keeps its confirmation");
        db.Accepted.Should().BeEquivalentTo(events.Select(e => e.EventId));
        _outbox.RedrivePoisoned().Should().Be(0);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(TestContext.Timeout());
        await _outbox.DisposeAsync();
        _stop.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
