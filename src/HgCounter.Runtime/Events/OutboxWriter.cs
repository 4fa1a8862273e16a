using System.Globalization;
using System.Threading.Channels;
using HgCounter.Events;
using HgCounter.Runtime.History;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HgCounter.Runtime.Events;

/// <summary>
/// The one loop that inserts events: producers hand writes to a bounded channel, and the loop commits whatever is
/// waiting in one transaction (group commit), so a burst costs one disk sync. Refuses writes cleanly while the disk is
/// (nearly) full, and never leaves a producer waiting on a dead loop.
/// </summary>
internal sealed partial class OutboxWriter
{
    private const int MaxWriteBatch = 512;
    private const int SqliteFull = 13;

    private readonly OutboxDatabase _database;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<long> _freeDiskBytes;
    private readonly Action _stored;
    private readonly CountHistoryStore? _history;
    private readonly List<CountEvent> _added = new(64);
    private readonly LogThrottle _diskFullLog;
    private readonly Channel<PendingWrite> _channel;
    private long _rejectedCount;
    private volatile bool _rejecting;

    /// <param name="database">The outbox file.</param>
    /// <param name="time">Clock for the rows' enqueue time and the disk-full log throttle.</param>
    /// <param name="logger">The outbox's logger.</param>
    /// <param name="freeDiskBytes">Free bytes on the outbox disk (<see cref="DiskSpaceProbe"/>; tests simulate a full disk).</param>
    /// <param name="stored">Called on the loop after each batch, stored or not.</param>
    /// <param name="history">Count history whose buckets take the newly stored events in the same transaction; null for none.</param>
    public OutboxWriter(OutboxDatabase database, TimeProvider time, ILogger logger, Func<long> freeDiskBytes, Action stored, CountHistoryStore? history = null)
    {
        _history = history;
        _database = database;
        _time = time;
        _logger = logger;
        _freeDiskBytes = freeDiskBytes;
        _stored = stored;
        _diskFullLog = new LogThrottle(time, EventOutbox.MaintenanceInterval);
        // SingleReader: one writer loop owns inserts. Wait: a producer is slowed, never dropped.
        _channel = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(EventOutbox.ChannelCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        Completion = Task.Run(WriteLoopAsync);
    }

    /// <summary>Completes when the loop has ended (after <see cref="Complete"/>, or when it failed).</summary>
    public Task Completion { get; }

    /// <summary>Writes handed over and not yet committed.</summary>
    public int WaitingCount => _channel.Reader.Count;

    public long RejectedCount => Interlocked.Read(ref _rejectedCount);

    public bool IsRejecting => _rejecting;

    /// <summary>Stores <paramref name="countEvents"/> in one transaction; returns once they are committed.</summary>
    public async ValueTask WriteAsync(CountEvent[] countEvents, CancellationToken cancellationToken)
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

    /// <summary>Accepts no more writes; those already handed over are still written.</summary>
    public void Complete() => _channel.Writer.TryComplete();

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
                _stored();
            }
        }
        catch (Exception ex)
        {
            // Unexpected (a throwing logger, a bug): never leave producers waiting on a dead writer. Close the channel
            // with the error, then fail what was taken and what is still queued; later writes throw too.
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
                LogWriterFailed(_logger, _database.Path, ex);
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
                LogWriteFailed(_logger, events, _database.Path, failure.Message);
            }
            else if (_diskFullLog.TryEnter(out var heldBack))
            {
                // Every event fails the same way while the disk is full: one line a minute, with the count in between.
                LogDiskFull(_logger, events, _database.Path, heldBack, RejectedCount, failure.Message);
            }
        }
    }

    private void Insert(List<PendingWrite> batch, int events)
    {
        var free = _freeDiskBytes();
        if (free < EventOutbox.DiskReserveBytes)
        {
            throw new OutboxFullException(
                $"The event outbox {_database.Path} refused {events} event(s): {free} bytes free on its disk, {EventOutbox.DiskReserveBytes} must stay free.",
                _database.Path);
        }

        lock (_database.Gate)
        {
            using var transaction = _database.Connection.BeginTransaction();
            using var command = _database.Command("INSERT OR IGNORE INTO events (event_id, payload, enqueued_at) VALUES ($id, $payload, $at)", transaction);
            var id = command.Parameters.Add("$id", SqliteType.Text);
            var payload = command.Parameters.Add("$payload", SqliteType.Text);
            command.Parameters.AddWithValue("$at", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            var added = 0;
            _added.Clear();
            foreach (var item in batch)
            {
                foreach (var countEvent in item.Events)
                {
                    id.Value = countEvent.EventId.ToString();
                    payload.Value = CountEventJson.Serialize(countEvent);
                    if (command.ExecuteNonQuery() == 1)
                    {
                        added++;
                        _added.Add(countEvent); // an id already stored is counted once, in history as in the outbox
                    }
                }
            }

            _history?.AddInTransaction(transaction, _added);
            transaction.Commit();
            _database.AddPending(added);
            _database.StoredSinceOpen += added;
        }
    }

    private OutboxException Closed(Exception cause) => cause switch
    {
        OutboxException own => own,
        ChannelClosedException => new OutboxException($"The event outbox {_database.Path} is closed.", _database.Path, cause),
        _ => new OutboxException($"The event outbox {_database.Path} is closed: its writer failed ({cause.GetType().Name}: {cause.Message}).", _database.Path, cause),
    };

    private OutboxException Classify(Exception ex) => ex switch
    {
        OutboxException own => own,
        SqliteException { SqliteErrorCode: SqliteFull } => new OutboxFullException($"The event outbox {_database.Path} is full: {ex.Message}", _database.Path, ex),
        IOException io when io.HResult == 28 => new OutboxFullException($"The event outbox {_database.Path} is full: {ex.Message}", _database.Path, ex),
        _ => new OutboxException($"The event outbox {_database.Path} could not be written: {ex.Message}", _database.Path, ex),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} event(s) could not be stored in the outbox {Path}: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, int count, string path, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The writer of the event outbox {Path} stopped; every further event is refused with OutboxException")]
    private static partial void LogWriterFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The disk of the event outbox {Path} is full: {Count} event(s) refused, {HeldBack} more failed write(s) not logged in the last minute, {Rejected} refused in all; counting goes on ({Reason})")]
    private static partial void LogDiskFull(ILogger logger, int count, string path, long heldBack, long rejected, string reason);

    private readonly record struct PendingWrite(CountEvent[] Events, TaskCompletionSource Done);
}
