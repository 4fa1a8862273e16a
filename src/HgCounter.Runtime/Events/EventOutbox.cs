using HgCounter.Configuration;
using HgCounter.Events;
using HgCounter.Runtime.History;
using Microsoft.Extensions.Logging;

namespace HgCounter.Runtime.Events;

/// <summary>
/// Durable queue of count events in a SQLite file (WAL, <c>synchronous=FULL</c>).
/// <see cref="EnqueueAsync(CountEvent, CancellationToken)"/> returns only once the event is committed to disk; events
/// written together are committed together (group commit). An event leaves the outbox only after every configured sink
/// confirmed it (or set it aside as poison). The backend is never on the producer's path: a dead database only makes
/// the outbox longer.
/// <para>
/// The parts: <see cref="OutboxSchema"/> and <see cref="OutboxRecovery"/> open the file (and replace a corrupt one),
/// <see cref="OutboxWriter"/> inserts, <see cref="OutboxDeliveryLedger"/> keeps what each sink handled,
/// <see cref="OutboxRetention"/> bounds the file, <see cref="DiskSpaceProbe"/> guards the disk.
/// </para>
/// </summary>
internal sealed partial class EventOutbox : IAsyncDisposable, IDisposable
{
    /// <summary>Writes that may wait in memory for the writer before producers are made to wait.</summary>
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

    private readonly ILogger<EventOutbox> _logger;
    private readonly TimeProvider _time;
    private readonly OutboxDatabase _database;
    private readonly OutboxRecovery _recovery;
    private readonly OutboxWriter _writer;
    private readonly OutboxDeliveryLedger _ledger;
    private readonly OutboxRetention _retention;
    private readonly CancellationTokenSource _closing = new();
    private readonly ITimer _maintenance;
    private readonly ITimer? _coverageFlush;
    private int _maintaining;
    private int _disposed;

    /// <summary>Opens (or creates) the outbox at <see cref="EventOptions.OutboxPath"/> and starts its writer.</summary>
    /// <exception cref="OutboxException">The file cannot be opened (permissions, missing disk); the message names the path.</exception>
    public EventOutbox(EventOptions options, ILogger<EventOutbox> logger, TimeProvider timeProvider)
        : this(options, logger, timeProvider, freeDiskBytes: null)
    {
    }

    // Tests pass a probe to simulate a full disk, and may hold the background integrity check back until a task completes.
    internal EventOutbox(EventOptions options, ILogger<EventOutbox> logger, TimeProvider timeProvider, Func<long>? freeDiskBytes, Task? integrityCheckMayStart = null, CountHistorySettings? history = null)
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

        _database = new OutboxDatabase(Path);
        _retention = new OutboxRetention(options);
        _recovery = new OutboxRecovery(_database, timeProvider, logger);
        _recovery.OpenAtStart();
        LogOpened(_logger, Path, _database.PendingCount, _database.PoisonCount);

        _ledger = new OutboxDeliveryLedger(_database, timeProvider, logger);
        if (history is not null)
        {
            History = new CountHistoryStore(_database, history.Options, history.Zone);
            _coverageFlush = timeProvider.CreateTimer(_ => FlushCoverage(), null, CountHistoryStore.CoverageFlushInterval, CountHistoryStore.CoverageFlushInterval);
        }

        _writer = new OutboxWriter(_database, timeProvider, logger, freeDiskBytes ?? DiskSpaceProbe.For(directory), RaisePendingCountChanged, History);
        IntegrityChecked = _recovery.CheckIntegrityAsync(integrityCheckMayStart ?? Task.CompletedTask, RaisePendingCountChanged, _closing.Token);
        _maintenance = timeProvider.CreateTimer(_ => RunMaintenance(), null, MaintenanceInterval, MaintenanceInterval);
    }

    /// <summary>The latest events written here by this process, for hosts' lists (<c>ICounterAgent.GetRecentEvents</c>); not persisted.</summary>
    internal RecentEventRing RecentEvents { get; } = new();

    /// <summary>The count history kept in this file (its buckets commit with the events); null when the outbox was opened without one.</summary>
    internal CountHistoryStore? History { get; }

    /// <summary>Full path of the SQLite file.</summary>
    public string Path { get; }

    /// <summary>Events stored and not yet confirmed by every sink. Report it to ResourceGuard as a queue size.</summary>
    public long PendingCount => _database.PendingCount;

    /// <summary>
    /// Writes (an event, or the events of one frame) handed to <c>EnqueueAsync</c> and not yet committed: the only
    /// in-memory part of the outbox. Unlike <see cref="PendingCount"/> it grows only when the local disk is slow, never
    /// because a backend is down.
    /// </summary>
    public int WaitingForDiskCount => _writer.WaitingCount;

    /// <summary>Events a sink rejected permanently, kept aside in the <c>poison</c> table.</summary>
    public long PoisonCount => _database.PoisonCount;

    /// <summary>Events refused because the disk was full (each one also failed its <c>EnqueueAsync</c> call).</summary>
    public long RejectedCount => _writer.RejectedCount;

    /// <summary>True while the last write was refused for lack of disk space.</summary>
    public bool IsRejecting => _writer.IsRejecting;

    /// <summary>Where a corrupt outbox file found at start (or by the integrity check after it) was moved; null when none was.</summary>
    public string? CorruptFileMovedTo => _recovery.CorruptFileMovedTo;

    /// <summary>
    /// The full integrity check (<c>PRAGMA quick_check</c>), started in the background once the file is open so that
    /// start-up never reads the whole file. Completes when it ran (and a corrupt file was moved aside) or was stopped.
    /// </summary>
    internal Task IntegrityChecked { get; }

    /// <summary>Raised with the new <see cref="PendingCount"/> after events were stored or removed (on the writer or uploader thread).</summary>
    public event EventHandler<long>? PendingCountChanged;

    /// <summary>
    /// Stores <paramref name="countEvent"/> durably. Returns once it is committed; waits only when
    /// <see cref="ChannelCapacity"/> writes are already waiting for the disk. An event whose id is already stored is
    /// accepted once. If <paramref name="cancellationToken"/> fires after the event was handed to the writer, the event
    /// is still stored.
    /// </summary>
    /// <exception cref="OutboxFullException">The disk is (nearly) full; the event was not stored.</exception>
    /// <exception cref="OutboxException">The file could not be written, or the outbox is closed (disposed, or its writer failed).</exception>
    public ValueTask EnqueueAsync(CountEvent countEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(countEvent);
        return _writer.WriteAsync([countEvent], cancellationToken);
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
        return countEvents.Count == 0 ? ValueTask.CompletedTask : _writer.WriteAsync([.. countEvents], cancellationToken);
    }

    /// <summary>Events set aside as poison, newest first, for status pages and operators.</summary>
    public IReadOnlyList<PoisonedEvent> ReadPoison(int max = 100) => _ledger.ReadPoison(max);

    /// <summary>
    /// Declares the sinks every event must reach. Forgets confirmations of sinks no longer configured and removes
    /// events all current sinks already confirmed. With no sinks, events stay in the outbox.
    /// </summary>
    internal void SetSinks(IReadOnlyCollection<string> sinkNames)
    {
        _ledger.SetSinks(sinkNames);
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
        var result = _ledger.ReadPending(sink, afterSequence, max, out var unreadable);
        if (unreadable > 0)
        {
            RaisePendingCountChanged();
        }

        return result;
    }

    /// <summary>Records that <paramref name="sink"/> confirmed these events; removes those every sink has confirmed.</summary>
    internal void MarkDelivered(string sink, IReadOnlyList<OutboxEntry> entries)
    {
        _ledger.MarkDelivered(sink, entries);
        RaisePendingCountChanged();
    }

    /// <summary>Sets an event <paramref name="sink"/> rejected permanently aside (poison table) and counts it as handled by that sink.</summary>
    internal void MarkPoison(string sink, OutboxEntry entry, string reason)
    {
        _ledger.MarkPoison(sink, entry, reason);
        RaisePendingCountChanged();
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
        var moved = _ledger.RedrivePoisoned(sink);
        if (moved > 0)
        {
            RaisePendingCountChanged();
        }

        return moved;
    }

    /// <summary>Stops accepting events, writes those already handed over, and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _writer.Complete();
        await _writer.Completion;
        await _maintenance.DisposeAsync();
        if (_coverageFlush is not null)
        {
            await _coverageFlush.DisposeAsync();
            FlushCoverage(); // what the cameras counted since the last flush
        }

        await _closing.CancelAsync();
        await IntegrityChecked;
        lock (_database.Gate)
        {
            _database.Connection.Dispose();
        }

        _closing.Dispose();
    }

    /// <summary>Same as <see cref="DisposeAsync"/>, blocking.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

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
            lock (_database.Gate)
            {
                if (_closing.IsCancellationRequested)
                {
                    return;
                }

                var now = _time.GetUtcNow();
                if (_ledger.SinksKnown && _ledger.RequiredSinks == 0)
                {
                    removedEvents = _retention.RemoveUndelivered(_database.Connection, now);
                    _database.AddPending(-removedEvents);
                }

                var removedBuckets = History?.RemoveExpired(_database.Connection, now) ?? 0;
                if (removedBuckets > 0)
                {
                    LogHistoryRetentionRemoved(_logger, removedBuckets, Path);
                }

                var removedPoison = _retention.RemovePoison(_database.Connection, now);
                _database.AddPoison(-removedPoison);
                if (removedEvents + removedPoison > 0)
                {
                    LogRetentionRemoved(_logger, removedEvents, removedPoison, Path);
                }
            }

            var more = true;
            for (var round = 0; more && round < 64; round++)
            {
                lock (_database.Gate)
                {
                    more = !_closing.IsCancellationRequested && OutboxRetention.ReclaimSome(_database.Connection);
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

    private void FlushCoverage()
    {
        try
        {
            History?.FlushCoverage();
        }
        catch (Exception ex)
        {
            // Kept in memory for the next flush; counting goes on.
            LogCoverageFlushFailed(_logger, Path, ex.Message);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Count history in {Path}: {Rows} bucket row(s) past their retention (HgCounter:History) removed")]
    private static partial void LogHistoryRetentionRemoved(ILogger logger, long rows, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Count history coverage could not be written to {Path}, retried at the next flush: {Reason}")]
    private static partial void LogCoverageFlushFailed(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event outbox {Path} opened: {Pending} event(s) pending, {Poison} poisoned")]
    private static partial void LogOpened(ILogger logger, string path, long pending, long poison);

    [LoggerMessage(Level = LogLevel.Error, Message = "A PendingCountChanged handler of the event outbox {Path} threw; the outbox carries on")]
    private static partial void LogSubscriberFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No event sinks are configured: events are kept locally only, in the outbox {Path}, {Limit}; older ones are removed")]
    private static partial void LogKeptLocallyOnly(ILogger logger, string path, string limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention removed {Events} undelivered event(s) and {Poison} poison row(s) from the outbox {Path}")]
    private static partial void LogRetentionRemoved(ILogger logger, long events, long poison, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox housekeeping of {Path} failed; it is tried again in a minute: {Reason}")]
    private static partial void LogMaintenanceFailed(ILogger logger, string path, string reason);
}
