using HgCounter.Configuration;
using HgCounter.Events;
using HgCounter.Runtime.Events;
using Microsoft.Data.Sqlite;

namespace HgCounter.Runtime.History;

/// <summary>
/// The count history in the outbox file: crossings go into their buckets inside the outbox's insert transaction (see
/// <see cref="CountHistorySchema"/>), coverage is gathered in memory and written every <see cref="CoverageFlushInterval"/>
/// (a hard kill loses at most that much coverage, never a count), and old buckets go at the outbox's maintenance.
/// </summary>
internal sealed class CountHistoryStore : ICountHistory
{
    /// <summary>How often gathered coverage is written.</summary>
    public static readonly TimeSpan CoverageFlushInterval = TimeSpan.FromSeconds(5);

    private readonly OutboxDatabase _database;
    private readonly CountHistoryOptions _options;
    private readonly LocalBuckets _buckets;
    private readonly Lock _coverageLock = new();
    private Dictionary<(CountBucketSize Size, long Start, string Camera), long> _coverage = [];

    public CountHistoryStore(OutboxDatabase database, CountHistoryOptions options, TimeZoneInfo zone)
    {
        _database = database;
        _options = options;
        _buckets = new LocalBuckets(zone);
    }

    public TimeZoneInfo TimeZone => _buckets.Zone;

    internal LocalBuckets Buckets => _buckets;

    /// <summary>Adds <paramref name="stored"/> (events the outbox has just inserted, not ones it already held) to their buckets. Caller holds the gate and the transaction.</summary>
    public void AddInTransaction(SqliteTransaction transaction, IReadOnlyList<CountEvent> stored)
    {
        if (stored.Count == 0)
        {
            return;
        }

        using var command = _database.Command(
            """
            INSERT INTO count_buckets (size, start, camera, kind, target, direction, class, count)
            VALUES ($size, $start, $camera, $kind, $target, $direction, $class, 1)
            ON CONFLICT (size, start, camera, kind, target, direction, class) DO UPDATE SET count = count + 1
            """,
            transaction);
        var size = command.Parameters.Add("$size", SqliteType.Text);
        var start = command.Parameters.Add("$start", SqliteType.Integer);
        var camera = command.Parameters.Add("$camera", SqliteType.Text);
        var kind = command.Parameters.Add("$kind", SqliteType.Text);
        var target = command.Parameters.Add("$target", SqliteType.Text);
        var direction = command.Parameters.Add("$direction", SqliteType.Text);
        var @class = command.Parameters.Add("$class", SqliteType.Text);
        foreach (var countEvent in stored)
        {
            camera.Value = countEvent.Camera;
            // A zone event's series is (zone, its kind, class): the kind stands where a crossing has its direction.
            var crossing = countEvent.Kind == CountEventKind.Crossing;
            kind.Value = crossing ? CountHistorySchema.CrossingKind : CountHistorySchema.ZoneKind;
            target.Value = countEvent.Line;
            direction.Value = crossing ? countEvent.Direction.ToString() : CountEventKindNames.Of(countEvent.Kind);
            @class.Value = countEvent.Label;
            foreach (var bucket in CountHistorySchema.Sizes)
            {
                size.Value = CountBucketSizeText.Format(bucket);
                start.Value = _buckets.Start(countEvent.Timestamp, bucket).ToUnixTimeSeconds();
                command.ExecuteNonQuery();
            }
        }
    }

    /// <summary>Credits [<paramref name="from"/>, <paramref name="to"/>) as time <paramref name="camera"/> was counting, split over the buckets it spans.</summary>
    public void AddCoverage(string camera, DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return;
        }

        lock (_coverageLock)
        {
            foreach (var size in CountHistorySchema.Sizes)
            {
                var at = from;
                while (at < to)
                {
                    var start = _buckets.Start(at, size);
                    var end = _buckets.End(start, size);
                    var until = end < to ? end : to;
                    var key = (size, start.ToUnixTimeSeconds(), camera);
                    _coverage[key] = _coverage.GetValueOrDefault(key) + (long)(until - at).TotalMilliseconds;
                    at = until;
                }
            }
        }
    }

    /// <summary>Credits <paramref name="milliseconds"/> of counting time, all inside the 15-minute bucket that starts at <paramref name="quarterStart"/>, to it and to the hour and day holding it.</summary>
    public void AddCoverage(string camera, DateTimeOffset quarterStart, long milliseconds)
    {
        lock (_coverageLock)
        {
            foreach (var size in CountHistorySchema.Sizes)
            {
                var key = (size, _buckets.Start(quarterStart, size).ToUnixTimeSeconds(), camera);
                _coverage[key] = _coverage.GetValueOrDefault(key) + milliseconds;
            }
        }
    }

    /// <summary>Writes the coverage gathered since the last flush, in one transaction.</summary>
    public void FlushCoverage()
    {
        Dictionary<(CountBucketSize Size, long Start, string Camera), long> pending;
        lock (_coverageLock)
        {
            if (_coverage.Count == 0)
            {
                return;
            }

            pending = _coverage;
            _coverage = [];
        }

        try
        {
            lock (_database.Gate)
            {
                using var transaction = _database.Connection.BeginTransaction();
                using var command = _database.Command(
                    """
                    INSERT INTO count_coverage (size, start, camera, covered_ms) VALUES ($size, $start, $camera, $ms)
                    ON CONFLICT (size, start, camera) DO UPDATE SET covered_ms = covered_ms + excluded.covered_ms
                    """,
                    transaction);
                var size = command.Parameters.Add("$size", SqliteType.Text);
                var start = command.Parameters.Add("$start", SqliteType.Integer);
                var camera = command.Parameters.Add("$camera", SqliteType.Text);
                var ms = command.Parameters.Add("$ms", SqliteType.Integer);
                foreach (var ((bucket, bucketStart, name), value) in pending)
                {
                    size.Value = CountBucketSizeText.Format(bucket);
                    start.Value = bucketStart;
                    camera.Value = name;
                    ms.Value = value;
                    command.ExecuteNonQuery();
                }

                transaction.Commit();
            }
        }
        catch
        {
            // Not written (disk full, file replaced): kept for the next flush rather than lost.
            lock (_coverageLock)
            {
                foreach (var (key, value) in pending)
                {
                    _coverage[key] = _coverage.GetValueOrDefault(key) + value;
                }
            }

            throw;
        }
    }

    /// <summary>Removes buckets past their retention; returns how many rows. Caller holds the gate.</summary>
    public long RemoveExpired(SqliteConnection db, DateTimeOffset now)
    {
        long removed = 0;
        foreach (var (size, keep) in new (CountBucketSize, TimeSpan?)[] { (CountBucketSize.QuarterHour, _options.RetainQuarterHours), (CountBucketSize.Hour, _options.RetainHours), (CountBucketSize.Day, _options.RetainDays) })
        {
            if (keep is not { } age)
            {
                continue;
            }

            foreach (var table in new[] { "count_buckets", "count_coverage" })
            {
                using var command = db.CreateCommand();
                command.CommandText = $"DELETE FROM {table} WHERE size = $size AND start < $cutoff";
                command.Parameters.AddWithValue("$size", CountBucketSizeText.Format(size));
                command.Parameters.AddWithValue("$cutoff", (now - age).ToUnixTimeSeconds());
                removed += command.ExecuteNonQuery();
            }
        }

        return removed;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CountHistoryRow>> QueryAsync(string? camera, DateTimeOffset from, DateTimeOffset to, CountBucketSize bucket, CancellationToken cancellationToken = default) =>
        Task.Run(
            () =>
            {
                FlushCoverage(); // the current bucket's coverage so far
                return CountHistoryQuery.Read(_database.Path, _buckets, camera, from, to, bucket);
            },
            cancellationToken);
}
