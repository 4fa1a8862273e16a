using System.Globalization;
using System.Threading.Channels;
using HgCounter.Configuration;
using HgCounter.Events;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HgCounter.Runtime.Events;

/// <summary>
/// Durable queue of count events in a SQLite file (WAL, <c>synchronous=FULL</c>). <see cref="EnqueueAsync(CountEvent, CancellationToken)"/> returns
/// only once the event is committed to disk; events written together are committed together (group commit). An event
/// leaves the outbox only after every configured sink confirmed it (or set it aside as poison). The backend is never
/// on the producer's path: a dead database only makes the outbox longer.
/// </summary>
public sealed partial class EventOutbox : IAsyncDisposable, IDisposable
{
    /// <summary>Events that may wait in memory for the writer before producers are made to wait.</summary>
    public const int ChannelCapacity = 10_000;

    /// <summary>Free bytes kept on the outbox disk; below this the outbox refuses events with <see cref="OutboxFullException"/>.</summary>
    public const long DiskReserveBytes = 64L * 1024 * 1024;

    /// <summary>How often retention and space reclaim run, and the most often a full disk is logged.</summary>
    public static readonly TimeSpan MaintenanceInterval = TimeSpan.FromMinutes(1);

    /// <summary>An existing file below this size is converted to <c>auto_vacuum=INCREMENTAL</c> at open (one VACUUM).</summary>
    public const long ConvertToIncrementalVacuumBelowBytes = 16L * 1024 * 1024;

    /// <summary>What the WAL file is cut back to after a checkpoint.</summary>
    public const long JournalSizeLimitBytes = 16L * 1024 * 1024;

    internal const int SqliteCorrupt = 11;
    internal const int SqliteNotADatabase = 26;
    internal const long AutoVacuumIncremental = 2;
    private const int MaxWriteBatch = 512;
    private const int SqliteFull = 13;

    private readonly Channel<PendingWrite> _channel;
    private readonly ILogger<EventOutbox> _logger;
    private readonly TimeProvider _time;
    private readonly Func<long> _freeDiskBytes;
    private readonly Lock _gate = new();
    private readonly OutboxRetention _retention;
    private readonly LogThrottle _diskFullLog;
    private readonly CancellationTokenSource _closing = new();
    private readonly ITimer _maintenance;
    private readonly Task _writer;
    private SqliteConnection _db;
    private bool _sinksKnown;
    private int _maintaining;
    private long _sequenceAtOpen;
    private long _storedSinceOpen;
    private int _requiredSinks;
    private long _pendingCount;
    private long _poisonCount;
    private long _rejectedCount;
    private volatile bool _rejecting;
    private int _disposed;

    /// <summary>Opens (or creates) the outbox at <see cref="EventOptions.OutboxPath"/> and starts its writer.</summary>
    /// <exception cref="OutboxException">The file cannot be opened (permissions, missing disk); the message names the path.</exception>
    public EventOutbox(EventOptions options, ILogger<EventOutbox> logger, TimeProvider timeProvider)
        : this(options, logger, timeProvider, freeDiskBytes: null)
    {
    }

    // Tests pass a probe to simulate a full disk, and may hold the background integrity check back until a task completes.
    internal EventOutbox(EventOptions options, ILogger<EventOutbox> logger, TimeProvider timeProvider, Func<long>? freeDiskBytes, Task? integrityCheckMayStart = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _logger = logger;
        _time = timeProvider;
        Path = System.IO.Path.GetFullPath(options.OutboxPath);
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OutboxException($"The event outbox directory {directory} could not be created: {ex.Message}", Path, ex);
        }

        _freeDiskBytes = freeDiskBytes ?? (() => FreeBytes(directory));
        _retention = new OutboxRetention(options);
        _diskFullLog = new LogThrottle(timeProvider, MaintenanceInterval);
        _db = OpenOrRecover();
        LogOpened(_logger, Path, _pendingCount, _poisonCount);

        // SingleReader: one writer loop owns inserts. Wait: a producer is slowed, never dropped.
        _channel = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(ChannelCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(WriteLoopAsync);
        IntegrityChecked = CheckIntegrityAsync(integrityCheckMayStart ?? Task.CompletedTask);
        _maintenance = timeProvider.CreateTimer(_ => RunMaintenance(), null, MaintenanceInterval, MaintenanceInterval);
    }

    /// <summary>Full path of the SQLite file.</summary>
    public string Path { get; }

    /// <summary>Events stored and not yet confirmed by every sink. Report it to ResourceGuard as a queue size.</summary>
    public long PendingCount => Interlocked.Read(ref _pendingCount);

    /// <summary>
    /// Events handed to <see cref="EnqueueAsync(CountEvent, CancellationToken)"/> and not yet committed: the only in-memory part of the outbox. Unlike
    /// <see cref="PendingCount"/> it grows only when the local disk is slow, never because a backend is down.
    /// </summary>
    public int WaitingForDiskCount => _channel.Reader.Count;

    /// <summary>Events a sink rejected permanently, kept aside in the <c>poison</c> table.</summary>
    public long PoisonCount => Interlocked.Read(ref _poisonCount);

    /// <summary>Events refused because the disk was full (each one also failed its <see cref="EnqueueAsync(CountEvent, CancellationToken)"/> call).</summary>
    public long RejectedCount => Interlocked.Read(ref _rejectedCount);

    /// <summary>True while the last write was refused for lack of disk space.</summary>
    public bool IsRejecting => _rejecting;

    /// <summary>Where a corrupt outbox file found at start (or by the integrity check after it) was moved; null when none was.</summary>
    public string? CorruptFileMovedTo { get; private set; }

    /// <summary>
    /// The full integrity check (<c>PRAGMA quick_check</c>), started in the background once the file is open so that
    /// start-up never reads the whole file. Completes when it ran (and a corrupt file was moved aside) or was stopped.
    /// </summary>
    internal Task IntegrityChecked { get; }

    /// <summary>Raised with the new <see cref="PendingCount"/> after events were stored or removed (on the writer or uploader thread).</summary>
    public event EventHandler<long>? PendingCountChanged;

    /// <summary>
    /// Stores <paramref name="countEvent"/> durably. Returns once it is committed; waits only when
    /// <see cref="ChannelCapacity"/> events are already waiting for the disk. An event whose id is already stored is
    /// accepted once. If <paramref name="cancellationToken"/> fires after the event was handed to the writer, the event
    /// is still stored.
    /// </summary>
    /// <exception cref="OutboxFullException">The disk is (nearly) full; the event was not stored.</exception>
    /// <exception cref="OutboxException">The file could not be written, or the outbox is closed (disposed, or its writer failed).</exception>
    public ValueTask EnqueueAsync(CountEvent countEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(countEvent);
        return WriteAsync([countEvent], cancellationToken);
    }

    /// <summary>
    /// Stores <paramref name="countEvents"/> (the crossings of one frame) durably, in one transaction: all of them or
    /// none. Otherwise as <see cref="EnqueueAsync(CountEvent, CancellationToken)"/>.
    /// </summary>
    /// <exception cref="OutboxFullException">The disk is (nearly) full; no event was stored.</exception>
    /// <exception cref="OutboxException">The file could not be written, or the outbox is closed (disposed, or its writer failed).</exception>
    public ValueTask EnqueueAsync(IReadOnlyList<CountEvent> countEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(countEvents);
        foreach (var countEvent in countEvents)
        {
            ArgumentNullException.ThrowIfNull(countEvent, nameof(countEvents));
        }

        // A copy: the writer reads the events after a cancelled caller may already reuse its list.
        return countEvents.Count == 0 ? ValueTask.CompletedTask : WriteAsync([.. countEvents], cancellationToken);
    }

    private async ValueTask WriteAsync(CountEvent[] countEvents, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _channel.Writer.WriteAsync(new PendingWrite(countEvents, done), cancellationToken);
        }
        catch (ChannelClosedException ex)
        {
            // Disposed, or the writer died (then the channel holds its error): a typed failure, never a hang.
            throw Closed(ex.InnerException ?? ex);
        }

        await done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Events set aside as poison, newest first, for status pages and operators.</summary>
    public IReadOnlyList<PoisonedEvent> ReadPoison(int max = 100)
    {
        lock (_gate)
        {
            using var command = Command("SELECT event_id, sink, reason, at FROM poison ORDER BY id DESC LIMIT $max");
            command.Parameters.AddWithValue("$max", max);
            using var reader = command.ExecuteReader();
            var result = new List<PoisonedEvent>();
            while (reader.Read())
            {
                // An unreadable row keeps whatever id text it had; Guid.Empty if even that is not a GUID.
                result.Add(new PoisonedEvent(
                    Guid.TryParse(reader.GetString(0), out var id) ? id : Guid.Empty,
                    reader.GetString(1),
                    reader.GetString(2),
                    DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture)));
            }

            return result;
        }
    }

    /// <summary>
    /// Declares the sinks every event must reach. Forgets confirmations of sinks no longer configured and removes
    /// events all current sinks already confirmed. With no sinks, events stay in the outbox.
    /// </summary>
    internal void SetSinks(IReadOnlyCollection<string> sinkNames)
    {
        lock (_gate)
        {
            using var transaction = _db.BeginTransaction();
            if (sinkNames.Count > 0)
            {
                var names = sinkNames.Select((_, i) => "$s" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
                using var forget = Command($"DELETE FROM deliveries WHERE sink NOT IN ({string.Join(", ", names)})", transaction);
                var index = 0;
                foreach (var name in sinkNames)
                {
                    forget.Parameters.AddWithValue(names[index++], name);
                }

                forget.ExecuteNonQuery();
                using var prune = Command("DELETE FROM events WHERE (SELECT COUNT(*) FROM deliveries d WHERE d.seq = events.seq) >= $required", transaction);
                prune.Parameters.AddWithValue("$required", sinkNames.Count);
                prune.ExecuteNonQuery();
            }

            transaction.Commit();
            _requiredSinks = sinkNames.Count;
            _sinksKnown = true;
            Interlocked.Exchange(ref _pendingCount, Scalar("SELECT COUNT(*) FROM events"));
        }

        if (sinkNames.Count == 0)
        {
            LogKeptLocallyOnly(_logger, Path, _retention.UndeliveredLimit);
        }

        RaisePendingCountChanged();
        // Off the caller's thread: the uploader calls this on the host's start path.
        _ = Task.Run(RunMaintenance);
    }

    /// <summary>
    /// Up to <paramref name="max"/> events after <paramref name="afterSequence"/> that <paramref name="sink"/> has not
    /// handled, oldest first. A row whose payload cannot be read (written by another version, damaged) is set aside as
    /// poison for this sink instead, so it never blocks the rows behind it.
    /// </summary>
    internal IReadOnlyList<OutboxEntry> ReadPending(string sink, long afterSequence, int max)
    {
        var result = new List<OutboxEntry>();
        var unreadable = 0;
        lock (_gate)
        {
            while (result.Count == 0)
            {
                using var command = Command("""
                    SELECT seq, event_id, payload FROM events e
                    WHERE seq > $after AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.seq = e.seq AND d.sink = $sink)
                    ORDER BY seq LIMIT $max
                    """);
                command.Parameters.AddWithValue("$after", afterSequence);
                command.Parameters.AddWithValue("$sink", sink);
                command.Parameters.AddWithValue("$max", max);
                var bad = new List<(long Sequence, string EventId, string Payload, string Reason)>();
                var rows = 0;
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        rows++;
                        afterSequence = reader.GetInt64(0);
                        var payload = reader.GetString(2);
                        try
                        {
                            result.Add(new OutboxEntry(afterSequence, CountEventJson.Deserialize(payload), payload));
                        }
                        catch (Exception ex)
                        {
                            // Deserialize is pure: whatever it throws is about this row alone.
                            bad.Add((afterSequence, reader.GetString(1), payload, $"unreadable payload ({ex.GetType().Name}: {ex.Message})"));
                        }
                    }
                }

                foreach (var row in bad)
                {
                    Poison(sink, row.Sequence, row.EventId, row.Payload, row.Reason);
                    LogUnreadable(_logger, row.EventId, Path, sink, row.Reason);
                }

                unreadable += bad.Count;
                if (rows < max)
                {
                    break;
                }
            }
        }

        if (unreadable > 0)
        {
            RaisePendingCountChanged();
        }

        return result;
    }

    /// <summary>Records that <paramref name="sink"/> confirmed these events; removes those every sink has confirmed.</summary>
    internal void MarkDelivered(string sink, IReadOnlyList<OutboxEntry> entries)
    {
        lock (_gate)
        {
            using var transaction = _db.BeginTransaction();
            var removed = 0;
            foreach (var entry in entries)
            {
                removed += RecordHandled(transaction, sink, entry.Sequence);
            }

            transaction.Commit();
            Interlocked.Add(ref _pendingCount, -removed);
        }

        RaisePendingCountChanged();
    }

    /// <summary>Sets an event <paramref name="sink"/> rejected permanently aside (poison table) and counts it as handled by that sink.</summary>
    internal void MarkPoison(string sink, OutboxEntry entry, string reason)
    {
        lock (_gate)
        {
            Poison(sink, entry.Sequence, entry.Event.EventId.ToString(), entry.Payload, reason);
        }

        RaisePendingCountChanged();
    }

    // Caller holds _gate.
    private void Poison(string sink, long sequence, string eventId, string payload, string reason)
    {
        using var transaction = _db.BeginTransaction();
        using var insert = Command("""
            INSERT OR IGNORE INTO poison (event_id, sink, payload, reason, at) VALUES ($id, $sink, $payload, $reason, $at)
            """, transaction);
        insert.Parameters.AddWithValue("$id", eventId);
        insert.Parameters.AddWithValue("$sink", sink);
        insert.Parameters.AddWithValue("$payload", payload);
        insert.Parameters.AddWithValue("$reason", reason);
        insert.Parameters.AddWithValue("$at", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        var added = insert.ExecuteNonQuery();
        var removed = RecordHandled(transaction, sink, sequence);
        transaction.Commit();
        Interlocked.Add(ref _poisonCount, added);
        Interlocked.Add(ref _pendingCount, -removed);
    }

    /// <summary>
    /// Moves events set aside as poison back to pending, for every sink or only for <paramref name="sink"/>, e.g. after
    /// the backend was fixed. Each comes back as a new row at the end of the queue, still confirmed by the sinks that
    /// had confirmed it; an event every sink had handled is pending for all of them again (sinks ignore ids they hold).
    /// A running uploader picks them up at once.
    /// </summary>
    /// <returns>How many poison entries (one per event and sink) were moved back.</returns>
    public int RedrivePoisoned(string? sink = null)
    {
        int moved;
        long added = 0;
        lock (_gate)
        {
            using var transaction = _db.BeginTransaction();
            var rows = new List<(long Id, string EventId, string Sink, string Payload)>();
            using (var select = Command("SELECT id, event_id, sink, payload FROM poison WHERE $sink IS NULL OR sink = $sink ORDER BY id", transaction))
            {
                select.Parameters.AddWithValue("$sink", (object?)sink ?? DBNull.Value);
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
                }
            }

            foreach (var group in rows.GroupBy(r => r.EventId, StringComparer.Ordinal))
            {
                added += Requeue(transaction, group.Key, group.First().Payload, group.Select(r => r.Sink).ToHashSet(StringComparer.Ordinal));
            }

            foreach (var row in rows)
            {
                using var delete = Command("DELETE FROM poison WHERE id = $id", transaction);
                delete.Parameters.AddWithValue("$id", row.Id);
                delete.ExecuteNonQuery();
            }

            transaction.Commit();
            moved = rows.Count;
            Interlocked.Add(ref _poisonCount, -moved);
            Interlocked.Add(ref _pendingCount, added);
        }

        if (moved > 0)
        {
            LogRedriven(_logger, moved, sink ?? "every sink", Path);
            RaisePendingCountChanged();
        }

        return moved;
    }

    // Caller holds _gate. Puts the event at the end of the queue (a new seq, so a running lane's cursor reaches it),
    // keeping the confirmations of sinks other than those it is re-driven for. Returns 1 when the row was new.
    private int Requeue(SqliteTransaction transaction, string eventId, string payload, HashSet<string> redriveFor)
    {
        long? oldSequence = null;
        var confirmedBy = new List<string>();
        using (var find = Command("SELECT seq FROM events WHERE event_id = $id", transaction))
        {
            find.Parameters.AddWithValue("$id", eventId);
            if (find.ExecuteScalar() is long seq)
            {
                oldSequence = seq;
            }
        }

        if (oldSequence is { } old)
        {
            using (var sinks = Command("SELECT sink FROM deliveries WHERE seq = $seq", transaction))
            {
                sinks.Parameters.AddWithValue("$seq", old);
                using var reader = sinks.ExecuteReader();
                while (reader.Read())
                {
                    confirmedBy.Add(reader.GetString(0));
                }
            }

            using var remove = Command("DELETE FROM events WHERE seq = $seq", transaction); // cascades to deliveries
            remove.Parameters.AddWithValue("$seq", old);
            remove.ExecuteNonQuery();
        }

        using var insert = Command("INSERT INTO events (event_id, payload, enqueued_at) VALUES ($id, $payload, $at) RETURNING seq", transaction);
        insert.Parameters.AddWithValue("$id", eventId);
        insert.Parameters.AddWithValue("$payload", payload);
        insert.Parameters.AddWithValue("$at", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        var sequence = Convert.ToInt64(insert.ExecuteScalar(), CultureInfo.InvariantCulture);
        foreach (var confirmed in confirmedBy.Where(s => !redriveFor.Contains(s)))
        {
            using var mark = Command("INSERT INTO deliveries (seq, sink) VALUES ($seq, $sink)", transaction);
            mark.Parameters.AddWithValue("$seq", sequence);
            mark.Parameters.AddWithValue("$sink", confirmed);
            mark.ExecuteNonQuery();
        }

        return oldSequence is null ? 1 : 0;
    }

    /// <summary>Stops accepting events, writes those already handed over, and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _channel.Writer.TryComplete();
        await _writer;
        await _maintenance.DisposeAsync();
        await _closing.CancelAsync();
        await IntegrityChecked;
        lock (_gate)
        {
            _db.Dispose();
        }

        _closing.Dispose();
    }

    /// <summary>Same as <see cref="DisposeAsync"/>, blocking.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(MaxWriteBatch);
        try
        {
            while (await _channel.Reader.WaitToReadAsync())
            {
                while (batch.Count < MaxWriteBatch && _channel.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                WriteBatch(batch);
                batch.Clear();
                RaisePendingCountChanged();
            }
        }
        catch (Exception ex)
        {
            // Unexpected (a throwing logger, a bug): never leave producers waiting on a dead writer. Close the channel
            // with the error, then fail what was taken and what is still queued; later EnqueueAsync calls throw too.
            var failure = Closed(ex);
            _channel.Writer.TryComplete(failure);
            while (_channel.Reader.TryRead(out var queued))
            {
                batch.Add(queued);
            }

            foreach (var item in batch)
            {
                item.Done.TrySetException(failure);
            }

            try
            {
                LogWriterFailed(_logger, Path, ex);
            }
            catch (Exception)
            {
                // The logger itself may be what failed; the producers already have the error.
            }
        }
    }

    private void WriteBatch(List<PendingWrite> batch)
    {
        var events = 0;
        foreach (var item in batch)
        {
            events += item.Events.Length;
        }

        try
        {
            Insert(batch, events);
            _rejecting = false;
            foreach (var item in batch)
            {
                item.Done.TrySetResult();
            }
        }
        catch (Exception ex)
        {
            var failure = Classify(ex);
            if (failure is OutboxFullException)
            {
                _rejecting = true;
                Interlocked.Add(ref _rejectedCount, events);
            }

            foreach (var item in batch)
            {
                item.Done.TrySetException(failure);
            }

            if (failure is not OutboxFullException)
            {
                LogWriteFailed(_logger, events, Path, failure.Message);
            }
            else if (_diskFullLog.TryEnter(out var heldBack))
            {
                // Every event fails the same way while the disk is full: one line a minute, with the count in between.
                LogDiskFull(_logger, events, Path, heldBack, RejectedCount, failure.Message);
            }
        }
    }

    private OutboxException Closed(Exception cause) => cause switch
    {
        OutboxException own => own,
        ChannelClosedException => new OutboxException($"The event outbox {Path} is closed.", Path, cause),
        _ => new OutboxException($"The event outbox {Path} is closed: its writer failed ({cause.GetType().Name}: {cause.Message}).", Path, cause),
    };

    private void Insert(List<PendingWrite> batch, int events)
    {
        var free = _freeDiskBytes();
        if (free < DiskReserveBytes)
        {
            throw new OutboxFullException(
                $"The event outbox {Path} refused {events} event(s): {free} bytes free on its disk, {DiskReserveBytes} must stay free.",
                Path);
        }

        lock (_gate)
        {
            using var transaction = _db.BeginTransaction();
            using var command = Command("INSERT OR IGNORE INTO events (event_id, payload, enqueued_at) VALUES ($id, $payload, $at)", transaction);
            var id = command.Parameters.Add("$id", SqliteType.Text);
            var payload = command.Parameters.Add("$payload", SqliteType.Text);
            command.Parameters.AddWithValue("$at", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            var added = 0;
            foreach (var item in batch)
            {
                foreach (var countEvent in item.Events)
                {
                    id.Value = countEvent.EventId.ToString();
                    payload.Value = CountEventJson.Serialize(countEvent);
                    added += command.ExecuteNonQuery();
                }
            }

            transaction.Commit();
            Interlocked.Add(ref _pendingCount, added);
            _storedSinceOpen += added;
        }
    }

    private OutboxException Classify(Exception ex) => ex switch
    {
        OutboxException own => own,
        SqliteException { SqliteErrorCode: SqliteFull } => new OutboxFullException($"The event outbox {Path} is full: {ex.Message}", Path, ex),
        IOException io when io.HResult == 28 => new OutboxFullException($"The event outbox {Path} is full: {ex.Message}", Path, ex),
        _ => new OutboxException($"The event outbox {Path} could not be written: {ex.Message}", Path, ex),
    };

    private int RecordHandled(SqliteTransaction transaction, string sink, long sequence)
    {
        using var mark = Command("INSERT OR IGNORE INTO deliveries (seq, sink) VALUES ($seq, $sink)", transaction);
        mark.Parameters.AddWithValue("$seq", sequence);
        mark.Parameters.AddWithValue("$sink", sink);
        mark.ExecuteNonQuery();
        using var remove = Command("DELETE FROM events WHERE seq = $seq AND (SELECT COUNT(*) FROM deliveries WHERE seq = $seq) >= $required", transaction);
        remove.Parameters.AddWithValue("$seq", sequence);
        remove.Parameters.AddWithValue("$required", Math.Max(_requiredSinks, 1));
        return remove.ExecuteNonQuery();
    }

    private SqliteConnection OpenOrRecover()
    {
        try
        {
            return Open();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            // Unattended: keep counting with a fresh outbox, and keep the damaged file for a person to inspect.
            MoveCorruptFileAside(ex.Message);
            return OpenNew();
        }
        catch (SqliteException ex)
        {
            throw new OutboxException($"The event outbox {Path} could not be opened: {ex.Message}", Path, ex);
        }
    }

    private SqliteConnection OpenNew()
    {
        try
        {
            return Open();
        }
        catch (SqliteException again)
        {
            throw new OutboxException($"The event outbox {Path} could not be recreated: {again.Message}", Path, again);
        }
    }

    private string MoveCorruptFileAside(string reason)
    {
        var movedTo = $"{Path}.corrupt-{_time.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}";
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            if (File.Exists(Path + suffix))
            {
                File.Move(Path + suffix, movedTo + suffix, overwrite: true);
            }
        }

        CorruptFileMovedTo = movedTo;
        LogCorruptMoved(_logger, Path, movedTo, reason);
        return movedTo;
    }

    // Reads only what start-up needs (schema, counts from the indexes); the full check runs after, in the background.
    private SqliteConnection Open()
    {
        // No pooling: moving a corrupt file aside needs it really closed, and there is one long-lived connection anyway.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            using var setup = connection.CreateCommand();
            // auto_vacuum first: on a new file it only takes effect before the first table exists.
            setup.CommandText = $"""
                PRAGMA auto_vacuum = INCREMENTAL;
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                PRAGMA foreign_keys = ON;
                PRAGMA journal_size_limit = {JournalSizeLimitBytes};
                CREATE TABLE IF NOT EXISTS events (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    event_id TEXT NOT NULL UNIQUE,
                    payload TEXT NOT NULL,
                    enqueued_at TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS deliveries (
                    seq INTEGER NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
                    sink TEXT NOT NULL,
                    PRIMARY KEY (seq, sink)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS poison (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    event_id TEXT NOT NULL,
                    sink TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    at TEXT NOT NULL,
                    UNIQUE (event_id, sink));
                """;
            setup.ExecuteNonQuery();
            ConvertToIncrementalVacuum(connection);
            _pendingCount = connection.ReadInt64("SELECT COUNT(*) FROM events");
            _poisonCount = connection.ReadInt64("SELECT COUNT(*) FROM poison");
            _sequenceAtOpen = connection.ReadInt64("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)");
            _storedSinceOpen = 0;
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // A file made before auto_vacuum was set needs one VACUUM to switch; done only while that is quick (a small file).
    // A larger one keeps reusing its free pages and is converted at the first start that finds it small.
    private void ConvertToIncrementalVacuum(SqliteConnection connection)
    {
        if (connection.ReadInt64("PRAGMA auto_vacuum") == AutoVacuumIncremental)
        {
            return;
        }

        var size = connection.ReadInt64("PRAGMA page_count") * connection.ReadInt64("PRAGMA page_size");
        if (size >= ConvertToIncrementalVacuumBelowBytes)
        {
            LogVacuumConversionDeferred(_logger, Path, size);
            return;
        }

        using var vacuum = connection.CreateCommand();
        vacuum.CommandText = "PRAGMA auto_vacuum = INCREMENTAL; VACUUM;";
        vacuum.ExecuteNonQuery();
    }

    private async Task CheckIntegrityAsync(Task mayStart)
    {
        try
        {
            await mayStart.WaitAsync(_closing.Token);
            var problem = await Task.Run(() => OutboxIntegrityCheck.Run(Path, _closing.Token), _closing.Token);
            if (problem is not null)
            {
                ReplaceCorruptFile(problem);
            }
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            // Closing: the next start checks again.
        }
        catch (Exception ex)
        {
            LogIntegrityCheckFailed(_logger, Path, ex.Message);
        }
    }

    // Found after start: handled as at start (moved aside, a new outbox), and events stored since start are carried
    // over as far as they can be read, with their sequence numbers, so every sink's cursor still finds them.
    private void ReplaceCorruptFile(string problem)
    {
        lock (_gate)
        {
            if (_closing.IsCancellationRequested)
            {
                return;
            }

            var lastSequence = _sequenceAtOpen + _storedSinceOpen;
            var sequenceAtOpen = _sequenceAtOpen;
            _db.Dispose();
            var movedTo = MoveCorruptFileAside(problem);
            _db = OpenNew();
            using var seed = Command("INSERT INTO sqlite_sequence (name, seq) VALUES ('events', $seq)");
            seed.Parameters.AddWithValue("$seq", lastSequence);
            seed.ExecuteNonQuery();
            var carried = CarryOver(movedTo, sequenceAtOpen);
            LogCarriedOver(_logger, carried, lastSequence - sequenceAtOpen, movedTo);
            _sequenceAtOpen = lastSequence;
            Interlocked.Exchange(ref _pendingCount, _db.ReadInt64("SELECT COUNT(*) FROM events"));
            Interlocked.Exchange(ref _poisonCount, 0);
        }

        RaisePendingCountChanged();
    }

    // Caller holds _gate. Best effort: a damaged page in the range copies nothing, and the moved file still has it all.
    private long CarryOver(string movedTo, long afterSequence)
    {
        try
        {
            using var attach = Command("ATTACH DATABASE $file AS damaged");
            attach.Parameters.AddWithValue("$file", movedTo);
            attach.ExecuteNonQuery();
            try
            {
                using var copy = Command("""
                    INSERT OR IGNORE INTO events (seq, event_id, payload, enqueued_at)
                    SELECT seq, event_id, payload, enqueued_at FROM damaged.events WHERE seq > $after ORDER BY seq
                    """);
                copy.Parameters.AddWithValue("$after", afterSequence);
                return copy.ExecuteNonQuery();
            }
            finally
            {
                using var detach = Command("DETACH DATABASE damaged");
                detach.ExecuteNonQuery();
            }
        }
        catch (SqliteException ex)
        {
            LogCarryOverFailed(_logger, movedTo, ex.Message);
            return 0;
        }
    }

    // On the timer (and once the sinks are known): retention, then space back to the file system, a chunk at a time
    // with the lock let go in between so the writer is never held up long.
    internal void RunMaintenance()
    {
        if (Interlocked.Exchange(ref _maintaining, 1) != 0)
        {
            return;
        }

        try
        {
            long removedEvents = 0;
            lock (_gate)
            {
                if (_closing.IsCancellationRequested)
                {
                    return;
                }

                var now = _time.GetUtcNow();
                if (_sinksKnown && _requiredSinks == 0)
                {
                    removedEvents = _retention.RemoveUndelivered(_db, now);
                    Interlocked.Add(ref _pendingCount, -removedEvents);
                }

                var removedPoison = _retention.RemovePoison(_db, now);
                Interlocked.Add(ref _poisonCount, -removedPoison);
                if (removedEvents + removedPoison > 0)
                {
                    LogRetentionRemoved(_logger, removedEvents, removedPoison, Path);
                }
            }

            var more = true;
            for (var round = 0; more && round < 64; round++)
            {
                lock (_gate)
                {
                    more = !_closing.IsCancellationRequested && OutboxRetention.ReclaimSome(_db);
                }
            }

            if (removedEvents > 0)
            {
                RaisePendingCountChanged();
            }
        }
        catch (Exception ex)
        {
            // Housekeeping only: the outbox works on, and the next round tries again.
            LogMaintenanceFailed(_logger, Path, ex.Message);
        }
        finally
        {
            Volatile.Write(ref _maintaining, 0);
        }
    }

    private SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = _db.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private long Scalar(string sql)
    {
        lock (_gate)
        {
            return _db.ReadInt64(sql);
        }
    }

    // If the file system cannot say (unusual mounts), SQLite's own disk-full error is the remaining guard.
    private static long FreeBytes(string directory)
    {
        try
        {
            return new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return long.MaxValue;
        }
    }

    // Each subscriber on its own: one that throws must not stop the writer or the uploader, nor starve the others.
    private void RaisePendingCountChanged()
    {
        if (PendingCountChanged is not { } handlers)
        {
            return;
        }

        var pending = PendingCount;
        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                ((EventHandler<long>)handler)(this, pending);
            }
            catch (Exception ex)
            {
                LogSubscriberFailed(_logger, Path, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} poisoned event(s) for {Sink} moved back to pending in the outbox {Path}")]
    private static partial void LogRedriven(ILogger logger, int count, string sink, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event outbox {Path} opened: {Pending} event(s) pending, {Poison} poisoned")]
    private static partial void LogOpened(ILogger logger, string path, long pending, long poison);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event outbox {Path} was corrupt and was moved to {MovedTo}; a new outbox was created ({Reason})")]
    private static partial void LogCorruptMoved(ILogger logger, string path, string movedTo, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} event(s) could not be stored in the outbox {Path}: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, int count, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {EventId} in the outbox {Path} cannot be read; it was set aside in the poison table for sink {Sink}: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string eventId, string path, string sink, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A PendingCountChanged handler of the event outbox {Path} threw; the outbox carries on")]
    private static partial void LogSubscriberFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The writer of the event outbox {Path} stopped; every further event is refused with OutboxException")]
    private static partial void LogWriterFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The disk of the event outbox {Path} is full: {Count} event(s) refused, {HeldBack} more failed write(s) not logged in the last minute, {Rejected} refused in all; counting goes on ({Reason})")]
    private static partial void LogDiskFull(ILogger logger, int count, string path, long heldBack, long rejected, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No event sinks are configured: events are kept locally only, in the outbox {Path}, {Limit}; older ones are removed")]
    private static partial void LogKeptLocallyOnly(ILogger logger, string path, string limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention removed {Events} undelivered event(s) and {Poison} poison row(s) from the outbox {Path}")]
    private static partial void LogRetentionRemoved(ILogger logger, long events, long poison, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox housekeeping of {Path} failed; it is tried again in a minute: {Reason}")]
    private static partial void LogMaintenanceFailed(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The outbox {Path} predates auto_vacuum and is {Bytes} bytes: it is converted at a start that finds it smaller than 16 MiB; until then free pages are reused, not given back")]
    private static partial void LogVacuumConversionDeferred(ILogger logger, string path, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The integrity check of the outbox {Path} could not run: {Reason}")]
    private static partial void LogIntegrityCheckFailed(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Carried} of {Stored} event(s) stored since start were carried over from the corrupt outbox {MovedTo}; the rest are only in that file")]
    private static partial void LogCarriedOver(ILogger logger, long carried, long stored, string movedTo);

    [LoggerMessage(Level = LogLevel.Error, Message = "Events stored since start could not be read back from the corrupt outbox {MovedTo}: {Reason}")]
    private static partial void LogCarryOverFailed(ILogger logger, string movedTo, string reason);

    private readonly record struct PendingWrite(CountEvent[] Events, TaskCompletionSource Done);
}
