using System.Threading.Channels;
using HgCounter.Configuration;
using HgCounter.Events;
using HgCounter.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using HgCounter.Reliability.Backoff;

namespace HgCounter.Runtime.Events;

/// <summary>
/// Drains the <see cref="EventOutbox"/> into every sink. Each sink has its own loop, so a sink that is down delays
/// only itself: its batch is retried with jittered exponential backoff (forever, capped at
/// <see cref="OutboxUploaderOptions.RetryMaxDelay"/>) while the others keep delivering. An event is removed from the
/// outbox once every sink confirmed it. A batch a sink rejects permanently is split until the rejected events are
/// isolated; those are set aside in the outbox's poison table and never retried.
/// </summary>
public sealed partial class OutboxUploader : BackgroundService
{
    private readonly EventOutbox _outbox;
    private readonly ILogger<OutboxUploader> _logger;
    private readonly TimeProvider _time;
    private readonly int _batchSize;
    private readonly TimeSpan _pollInterval;
    private readonly SinkLane[] _lanes;
    private readonly ReconnectBackoff _backoff;

    /// <summary>Creates the uploader. Sink names must be unique (they key the per-sink confirmations in the outbox).</summary>
    public OutboxUploader(
        EventOutbox outbox,
        IEnumerable<ICountEventSink> sinks,
        EventOptions eventOptions,
        OutboxUploaderOptions uploaderOptions,
        ILogger<OutboxUploader> logger,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(sinks);
        ArgumentNullException.ThrowIfNull(eventOptions);
        ArgumentNullException.ThrowIfNull(uploaderOptions);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _outbox = outbox;
        _logger = logger;
        _time = timeProvider;
        _batchSize = eventOptions.BatchSize;
        _pollInterval = uploaderOptions.PollInterval;
        _lanes = sinks.Select(s => new SinkLane(s)).ToArray();
        var duplicate = _lanes.GroupBy(l => l.Sink.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two event sinks are named '{duplicate.Key}'; give each sink a unique Name.", nameof(sinks));
        }

        // The camera reconnect schedule, reused: exponential from RetryBaseDelay, capped, ±25 % jitter.
        _backoff = new ReconnectBackoff(new WatchdogOptions
        {
            InitialBackoff = uploaderOptions.RetryBaseDelay,
            MaxBackoff = uploaderOptions.RetryMaxDelay,
            UseJitter = true,
        });
        _outbox.PendingCountChanged += OnPendingCountChanged;
    }

    /// <summary>Current delivery state of every sink.</summary>
    public IReadOnlyList<SinkDeliveryStatus> Sinks => _lanes.Select(l => l.Snapshot()).ToArray();

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled, then returns normally.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _outbox.SetSinks(_lanes.Select(l => l.Sink.Name).ToArray());
        if (_lanes.Length == 0)
        {
            return; // the outbox warns that events are kept locally only, and how long
        }

        await Task.WhenAll(_lanes.Select(lane => Task.Run(() => RunLaneAsync(lane, cancellationToken), CancellationToken.None)));
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => RunAsync(stoppingToken);

    private async Task RunLaneAsync(SinkLane lane, CancellationToken cancellationToken)
    {
        long after = 0;
        var outboxFailures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var batch = _outbox.ReadPending(lane.Sink.Name, after, _batchSize);
                if (batch.Count == 0)
                {
                    await WaitForWorkAsync(lane, cancellationToken);
                    continue;
                }

                await DeliverAsync(lane, batch, cancellationToken);
                after = batch[^1].Sequence;
                outboxFailures = 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Shutdown: undelivered events stay in the outbox for the next start.
                return;
            }
            catch (Exception ex)
            {
                // Anything else (a disk error in the outbox, a bug, a throwing logger) must not end this sink's deliveries
                // until a restart. The cursor did not move, so the batch is read and sent again (harmless: sinks are
                // idempotent); keep the lane alive, say so in its status and try again later.
                var delay = _backoff.GetDelay(outboxFailures++);
                var reason = Describe(ex);
                lane.Failed(reason);
                LogLaneFailed(_logger, lane.Sink.Name, delay, reason);
                try
                {
                    await Task.Delay(delay, _time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task DeliverAsync(SinkLane lane, IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken)
    {
        var events = new CountEvent[entries.Count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = entries[i].Event;
        }

        try
        {
            await DeliverWithRetryAsync(lane, events, cancellationToken);
        }
        catch (SinkDeliveryException ex) when (ex.IsPermanent)
        {
            if (entries.Count > 1)
            {
                // Split to find the events the backend rejects; the rest of the batch is still delivered.
                var half = entries.Count / 2;
                await DeliverAsync(lane, entries.Take(half).ToArray(), cancellationToken);
                await DeliverAsync(lane, entries.Skip(half).ToArray(), cancellationToken);
                return;
            }

            var reason = Describe(ex);
            _outbox.MarkPoison(lane.Sink.Name, entries[0], reason);
            lane.Poisoned();
            LogPoison(_logger, entries[0].Event.EventId, lane.Sink.Name, reason);
            return;
        }

        _outbox.MarkDelivered(lane.Sink.Name, entries);
        lane.Succeeded(entries.Count, _time.GetUtcNow());
    }

    // Retries while the sink is down: forever, since the events are safe on disk; only a permanent rejection ends it.
    private async Task DeliverWithRetryAsync(SinkLane lane, CountEvent[] events, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await lane.Sink.DeliverAsync(events, cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is not SinkDeliveryException { IsPermanent: true } && !cancellationToken.IsCancellationRequested)
            {
                var delay = _backoff.GetDelay(attempt);
                lane.Failed(Describe(ex));
                LogRetry(_logger, lane.Sink.Name, attempt + 1, delay, lane.LastError!);
                await Task.Delay(delay, _time, cancellationToken);
            }
        }
    }

    private async Task WaitForWorkAsync(SinkLane lane, CancellationToken cancellationToken)
    {
        using var poll = new CancellationTokenSource(_pollInterval, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, poll.Token);
        try
        {
            await lane.Signal.Reader.WaitToReadAsync(linked.Token);
            lane.Signal.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Poll interval elapsed: look again.
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _outbox.PendingCountChanged -= OnPendingCountChanged;
        base.Dispose();
    }

    private void OnPendingCountChanged(object? sender, long pending)
    {
        foreach (var lane in _lanes)
        {
            lane.Signal.Writer.TryWrite(true);
        }
    }

    // Sink messages are meant to be secret-free already; redact again because a backend may echo anything back.
    private static string Describe(Exception ex) => ex is SinkDeliveryException
        ? Redactor.Redact(ex.Message) ?? string.Empty
        : $"{ex.GetType().Name}: {Redactor.Redact(ex.Message)}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sink {Sink} failed (attempt {Attempt}); retrying in {Delay}: {Reason}")]
    private static partial void LogRetry(ILogger logger, string sink, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sink {Sink} rejected event {EventId} permanently; it was set aside in the outbox poison table: {Reason}")]
    private static partial void LogPoison(ILogger logger, Guid eventId, string sink, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sink {Sink}: the delivery loop failed (outbox read or update, or an unexpected error); trying again in {Delay}: {Reason}")]
    private static partial void LogLaneFailed(ILogger logger, string sink, TimeSpan delay, string reason);

    private sealed class SinkLane(ICountEventSink sink)
    {
        private readonly Lock _gate = new();
        private long _delivered;
        private long _poisoned;
        private int _failures;
        private DateTimeOffset? _lastSuccess;

        public ICountEventSink Sink { get; } = sink;

        // One pending wake-up is enough: the lane reads everything pending when it wakes.
        public Channel<bool> Signal { get; } = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

        public string? LastError { get; private set; }

        public void Failed(string error)
        {
            lock (_gate)
            {
                _failures++;
                LastError = error;
            }
        }

        public void Poisoned() => Interlocked.Increment(ref _poisoned);

        public void Succeeded(int count, DateTimeOffset at)
        {
            lock (_gate)
            {
                _delivered += count;
                _failures = 0;
                LastError = null;
                _lastSuccess = at;
            }
        }

        public SinkDeliveryStatus Snapshot()
        {
            lock (_gate)
            {
                return new SinkDeliveryStatus(Sink.Name, _delivered, Interlocked.Read(ref _poisoned), _failures, LastError, _lastSuccess);
            }
        }
    }
}
