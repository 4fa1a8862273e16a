using System.Text;
using HgCounter.Configuration;
using HgCounter.Runtime.Events;
using HgCounter.Runtime.History;
using HgCounter.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;

namespace HgCounter.Runtime.Tests.Events;

/// <summary>Start-up of a real outbox file: the full check runs after open, still finds damage, and old files gain auto_vacuum.</summary>
public sealed class OutboxIntegrityCheckTests : IDisposable
{
    private const int PageSize = 4096;
    private readonly string _directory = TestPaths.NewTempDirectory("hgcounter-integrity");

    private string OutboxPath => Path.Combine(_directory, "outbox.db");

    private EventOutbox Open(Task? integrityCheckMayStart = null) =>
        new(new EventOptions { OutboxPath = OutboxPath }, NullLogger<EventOutbox>.Instance, TimeProvider.System, freeDiskBytes: null, integrityCheckMayStart);

    // Rows written straight into the file (one transaction): a backlog of this size through EnqueueAsync takes minutes.
    private async Task CreateBacklogAsync(int rows)
    {
        await using (Open())
        {
        }

        using var db = new SqliteConnection($"Data Source={OutboxPath};Pooling=False");
        db.Open();
        using var transaction = db.BeginTransaction();
        using var insert = db.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO events (event_id, payload, enqueued_at) VALUES ($id, $payload, '2026-12-01T08:00:00.0000000+00:00')";
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var payload = insert.Parameters.Add("$payload", SqliteType.Text);
        for (var i = 0; i < rows; i++)
        {
            var countEvent = TestEvents.New(i);
            id.Value = countEvent.EventId.ToString();
            payload.Value = CountEventJson.Serialize(countEvent);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    [Fact]
    public async Task Open_LargeOutbox_OpensAndStoresWithTheFullCheckStillToRunThenPasses()
    {
        await CreateBacklogAsync(200_000);
        var mayCheck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await using var outbox = Open(mayCheck.Task);

        // Open returned and takes events although the check has not read a page: it is not on the start path.
        outbox.PendingCount.Should().Be(200_000);
        await outbox.EnqueueAsync(TestEvents.New(-1), TestContext.Timeout());
        outbox.IntegrityChecked.IsCompleted.Should().BeFalse();

        mayCheck.SetResult();
        await outbox.IntegrityChecked.WaitAsync(TestContext.Timeout(120));
        outbox.CorruptFileMovedTo.Should().BeNull("a sound file passes the check");
        outbox.PendingCount.Should().Be(200_001);
    }

    [Fact]
    public async Task IntegrityCheck_DamageOnlyAFullCheckFinds_MovedAsideAfterOpenAndEventsSinceStartKept()
    {
        await CreateBacklogAsync(20_000);
        DamageTableLeafPages();
        var mayCheck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await using var outbox = Open(mayCheck.Task);
        outbox.CorruptFileMovedTo.Should().BeNull("opening reads the schema and the indexes, not every page");
        var sinceStart = TestEvents.Many(3);
        foreach (var e in sinceStart)
        {
            await outbox.EnqueueAsync(e, TestContext.Timeout());
        }

        mayCheck.SetResult();
        await outbox.IntegrityChecked.WaitAsync(TestContext.Timeout(120));

        outbox.CorruptFileMovedTo.Should().NotBeNull().And.StartWith(OutboxPath + ".corrupt-");
        File.Exists(outbox.CorruptFileMovedTo).Should().BeTrue("the damaged file is kept for inspection");
        var kept = outbox.ReadPending("db", 0, 100);
        kept.Select(e => e.Event.EventId).Should().Equal(sinceStart.Select(e => e.EventId), "events stored since start are carried into the new outbox");
        var later = TestEvents.New(99);
        await outbox.EnqueueAsync(later, TestContext.Timeout());
        outbox.ReadPending("db", kept[^1].Sequence, 10).Should().ContainSingle("sequence numbers go on, so a sink's cursor finds new events")
            .Which.Event.EventId.Should().Be(later.EventId);
        var health = await new OutboxHealthCheck(outbox, new EventOptions()).CheckHealthAsync(new HealthCheckContext());
        health.Status.Should().Be(HealthStatus.Degraded);
        health.Description.Should().Contain("corrupt");
    }

    [Fact]
    public async Task IntegrityCheck_DamagedEventPages_CountHistoryOfEarlierDaysIsCarriedIntoTheNewOutbox()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var dayBefore = new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.FromHours(1));
        await CreateBacklogAsync(20_000);
        using (var db = new SqliteConnection($"Data Source={OutboxPath};Pooling=False"))
        {
            db.Open();
            using var history = db.CreateCommand();
            history.CommandText = """
                INSERT INTO count_buckets (size, start, camera, kind, target, direction, class, count) VALUES ('1d', $start, 'door-cam', 'crossing', 'entrance', 'In', 'person', 41);
                INSERT INTO count_coverage (size, start, camera, covered_ms) VALUES ('1d', $start, 'door-cam', 3600000);
                """;
            history.Parameters.AddWithValue("$start", dayBefore.ToUnixTimeSeconds());
            history.ExecuteNonQuery();
        }

        DamageTableLeafPages();
        var mayCheck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var outbox = new EventOutbox(
            new EventOptions { OutboxPath = OutboxPath }, NullLogger<EventOutbox>.Instance, TimeProvider.System, freeDiskBytes: null, mayCheck.Task,
            new CountHistorySettings(new CountHistoryOptions(), berlin));
        foreach (var e in TestEvents.Many(3))
        {
            await outbox.EnqueueAsync(e, TestContext.Timeout());
        }

        mayCheck.SetResult();
        await outbox.IntegrityChecked.WaitAsync(TestContext.Timeout(120));

        outbox.CorruptFileMovedTo.Should().NotBeNull();
        var days = await outbox.History!.QueryAsync("door-cam", dayBefore, dayBefore.AddDays(2), CountBucketSize.Day, TestContext.Timeout());
        var earlier = days.Where(r => r.BucketStart == dayBefore).ToList();
        earlier.Should().ContainSingle(r => r.Count > 0, "the earlier day's history survives the replaced file")
            .Which.Should().Match<CountHistoryRow>(r => r.Count == 41 && r.Target == "entrance" && r.Class == "person");
        earlier.Should().OnlyContain(r => r.CoveredSeconds == 3600, "its coverage comes along too");
        days.Where(r => r.BucketStart == dayBefore.AddDays(1)).Sum(r => r.Count).Should().Be(3, "the events counted since start are in their bucket once, not twice");
    }

    [Fact]
    public async Task Open_SmallFileMadeWithoutAutoVacuum_ConvertedAndKeepsItsEvents()
    {
        using (var db = new SqliteConnection($"Data Source={OutboxPath};Pooling=False"))
        {
            db.Open();
            using var create = db.CreateCommand();
            create.CommandText = """
                CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, payload TEXT NOT NULL, enqueued_at TEXT NOT NULL);
                INSERT INTO events (event_id, payload, enqueued_at) VALUES ('x', '{}', '2026-12-01T08:00:00.0000000+00:00');
                """;
            create.ExecuteNonQuery();
            db.ReadInt64("PRAGMA auto_vacuum").Should().Be(0);
        }

        await using var outbox = Open();

        outbox.PendingCount.Should().Be(1);
        using var reader = new SqliteConnection($"Data Source={OutboxPath};Pooling=False");
        reader.Open();
        reader.ReadInt64("PRAGMA auto_vacuum").Should().Be(EventOutbox.AutoVacuumIncremental);
    }

    // Breaks the page type of table leaves in the middle of the file: the rows' own pages, which only a full check reads.
    private void DamageTableLeafPages()
    {
        var bytes = File.ReadAllBytes(OutboxPath);
        var marker = Encoding.UTF8.GetBytes("\"camera\":");
        var pages = bytes.Length / PageSize;
        var damaged = 0;
        for (var page = pages / 3; page < pages && damaged < 3; page++)
        {
            var span = bytes.AsSpan(page * PageSize, PageSize);
            if (span[0] == 0x0D && span.IndexOf(marker) >= 0)
            {
                span[0] = 0x07;
                damaged++;
            }
        }

        damaged.Should().Be(3, "the test must damage table pages");
        File.WriteAllBytes(OutboxPath, bytes);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
