using System.Globalization;
using System.Threading.Channels;
using HgCounter.Configuration;
using HgCounter.Events;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HgCounter.Runtime.Events;

/// <summary>
/// Durable queue of count events in a SQLite file (WAL, <c>synchronous=FULL</c>). <see cref="EnqueueAsync"/> returns
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

    private const int MaxWriteBatch = 512;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteNotADatabase = 26;

    private readonly Channel<PendingWrite> _channel;
    private readonly ILogger<EventOutbox> _logger;
    private readonly TimeProvider _time;
    private readonly Func<long> _freeDiskBytes;
    private readonly Lock _gate = new();
    private readonly SqliteConnection _db;
    private readonly Task _writer;
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

    // Tests pass a probe to simulate a full disk.
    internal EventOutbox(EventOptions options, ILogger<EventOutbox> logger, TimeProvider timeProvider, Func<long>? freeDiskBytes)
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
        _db = OpenOrRecover();
        _pendingCount = Scalar("SELECT COUNT(*) FROM events");
        _poisonCount = Scalar("SELECT COUNT(*) FROM poison");
        LogOpened(_logger, Path, _pendingCount, _poisonCount);

        // SingleReader: one writer loop owns inserts. Wait: a producer is slowed, never dropped.
        _channel = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(ChannelCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Full path of the SQLite file.</summary>
    public string Path { get; }

    /// <summary>Events stored and not yet confirmed by every sink. Report it to ResourceGuard as a queue size.</summary>
    public long PendingCount => Interlocked.Read(ref _pendingCount);

    /// <summary>
    /// Events handed to <see cref="EnqueueAsync"/> and not yet committed: the only in-memory part of the outbox. Unlike
    /// <see cref="PendingCount"/> it grows only when the local disk is slow, never because a backend is down.
    /// </summary>
    public int WaitingForDiskCount => _channel.Reader.Count;

    /// <summary>Events a sink rejected permanently, kept aside in the <c>poison</c> table.</summary>
    public long PoisonCount => Interlocked.Read(ref _poisonCount);

    /// <summary>Events refused because the disk was full (each one also failed its <see cref="EnqueueAsync"/> call).</summary>
    public long RejectedCount => Interlocked.Read(ref _rejectedCount);

    /// <summary>True while the last write was refused for lack of disk space.</summary>
    public bool IsRejecting => _rejecting;

    /// <summary>Where a corrupt outbox file found at start was moved; null when none was.</summary>
    public string? CorruptFileMovedTo { get; private set; }

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
    public async ValueTask EnqueueAsync(CountEvent countEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(countEvent);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _channel.Writer.WriteAsync(new PendingWrite(countEvent, done), cancellationToken);
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
            Interlocked.Exchange(ref _pendingCount, Scalar("SELECT COUNT(*) FROM events"));
        }

        RaisePendingCountChanged();
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
        lock (_gate)
        {
            _db.Dispose();
        }
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
        try
        {
            Insert(batch);
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
                Interlocked.Add(ref _rejectedCount, batch.Count);
            }

            foreach (var item in batch)
            {
                item.Done.TrySetException(failure);
            }

            LogWriteFailed(_logger, batch.Count, Path, failure.Message);
        }
    }

    private OutboxException Closed(Exception cause) => cause switch
    {
        OutboxException own => own,
        ChannelClosedException => new OutboxException($"The event outbox {Path} is closed.", Path, cause),
        _ => new OutboxException($"The event outbox {Path} is closed: its writer failed ({cause.GetType().Name}: {cause.Message}).", Path, cause),
    };

    private void Insert(List<PendingWrite> batch)
    {
        var free = _freeDiskBytes();
        if (free < DiskReserveBytes)
        {
            throw new OutboxFullException(
                $"The event outbox {Path} refused {batch.Count} event(s): {free} bytes free on its disk, {DiskReserveBytes} must stay free.",
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
                id.Value = item.Event.EventId.ToString();
                payload.Value = CountEventJson.Serialize(item.Event);
                added += command.ExecuteNonQuery();
            }

            transaction.Commit();
            Interlocked.Add(ref _pendingCount, added);
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
            var movedTo = $"{Path}.corrupt-{_time.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}";
            foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                if (File.Exists(Path + suffix))
                {
                    File.Move(Path + suffix, movedTo + suffix, overwrite: true);
                }
            }

            CorruptFileMovedTo = movedTo;
            LogCorruptMoved(_logger, Path, movedTo, ex.Message);
            try
            {
                return Open();
            }
            catch (SqliteException again)
            {
                throw new OutboxException($"The event outbox {Path} could not be recreated: {again.Message}", Path, again);
            }
        }
        catch (SqliteException ex)
        {
            throw new OutboxException($"The event outbox {Path} could not be opened: {ex.Message}", Path, ex);
        }
    }

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
            setup.CommandText = """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                PRAGMA foreign_keys = ON;
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
            using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA quick_check";
            var verdict = check.ExecuteScalar() as string;
            if (!string.Equals(verdict, "ok", StringComparison.Ordinal))
            {
                throw new SqliteException($"quick_check reported: {verdict}", SqliteCorrupt);
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
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
            using var command = Command(sql);
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
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

    private readonly record struct PendingWrite(CountEvent Event, TaskCompletionSource Done);
}
