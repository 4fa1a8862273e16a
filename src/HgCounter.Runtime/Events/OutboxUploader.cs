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
/// <see cref="OutboxUploaderOptions.RetryMaxDelay"/>, or as long as the backend's <c>Retry-After</c> asks) while the
/// others keep delivering. An event is removed from the outbox once every sink confirmed it. A configuration failure
/// (credentials, URL, schema) keeps every event pending and is retried. A batch the sink rejects is split until the
/// rejected events are isolated; one is set aside in the poison table only after the sink refused it alone
/// <see cref="OutboxUploaderOptions.MaxAttemptsPerEvent"/> times while accepting other events.
/// </summary>
internal sealed partial class OutboxUploader : BackgroundService
{
    private readonly EventOutbox _outbox;
    private readonly ILogger<OutboxUploader> _logger;
    private readonly TimeProvider _time;
    private readonly int _batchSize;
    private readonly OutboxUploaderOptions _options;
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
        _options = uploaderOptions;
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

    /// <summary>The retry and wake-up timing this uploader runs with (<c>HgCounter:Events:Delivery</c>).</summary>
    internal OutboxUploaderOptions Options => _options;

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
        var outboxFailures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await DeliverRoundAsync(lane, cancellationToken);
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
                lane.Failed(reason, SinkFailureKind.Transient);
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

    // One read of the outbox and one delivery of it (split as needed); waits when there is nothing to do or on failure.
    private async Task DeliverRoundAsync(SinkLane lane, CancellationToken cancellationToken)
    {
        var batch = _outbox.ReadPending(lane.Sink.Name, lane.After, _batchSize);
        if (batch.Count == 0)
        {
            await WaitForWorkAsync(lane, cancellationToken);
            return;
        }

        var deliveredBefore = lane.DeliveredCount;
        List<Refusal> refused;
        try
        {
            refused = await SendAsync(lane, batch, cancellationToken);
        }
        catch (SinkDeliveryException ex)
        {
            // Down, busy or misconfigured: nothing is the events' fault. The cursor stays, so the same events (less any
            // a split already delivered) are sent again after the wait.
            await WaitAfterFailureAsync(lane, Describe(ex), ex.Kind, ex.RetryAfter, cancellationToken);
            return;
        }

        if (refused.Count == 0)
        {
            lane.After = batch[^1].Sequence;
            if (lane.Recovered())
            {
                LogRecovered(_logger, lane.Sink.Name);
            }

            return;
        }

        var kept = new List<(Refusal Refusal, SinkLane.EventRefusals Record)>();
        foreach (var refusal in refused)
        {
            // Proof that the event itself is at fault: the sink accepted other events after first refusing this one,
            // and still refuses it alone. A backend that refuses everything (or was fixed mid-round) never proves it.
            var record = lane.RecordRefusal(refusal.Entry.Sequence, refusal.DeliveredAt);
            if (record.Attempts >= _options.MaxAttemptsPerEvent && deliveredBefore > record.DeliveredAtFirstRefusal)
            {
                _outbox.MarkPoison(lane.Sink.Name, refusal.Entry, refusal.Reason);
                lane.Poisoned(refusal.Entry.Sequence);
                LogPoison(_logger, refusal.Entry.Event.EventId, lane.Sink.Name, record.Attempts, refusal.Reason);
            }
            else
            {
                kept.Add((refusal, record));
            }
        }

        // Read again from the first event still waiting (the delivered ones are not read again).
        lane.After = kept.Count > 0 ? kept[0].Refusal.Entry.Sequence - 1 : batch[^1].Sequence;
        if (kept.Count == 0)
        {
            if (lane.Recovered())
            {
                LogRecovered(_logger, lane.Sink.Name);
            }

            return;
        }

        var (first, firstRecord) = kept[0];
        if (kept.Count == batch.Count && lane.DeliveredCount <= firstRecord.DeliveredAtFirstRefusal)
        {
            // Nothing accepted since these were first refused: a schema or constraint the backend changed, not one bad
            // event. Keep everything pending and say so as loudly as a configuration error.
            await WaitAfterFailureAsync(
                lane,
                $"every event sent ({batch.Count} in this batch) is refused, so the backend refuses all data (schema or constraint?); they stay pending: {first.Reason}",
                SinkFailureKind.Configuration,
                retryAfter: null,
                cancellationToken,
                first.Reason);
        }
        else
        {
            await WaitAfterFailureAsync(
                lane,
                $"event {first.Entry.Event.EventId} refused alone (attempt {firstRecord.Attempts}; set aside after {_options.MaxAttemptsPerEvent} while other events are accepted): {first.Reason}",
                SinkFailureKind.Rejected,
                retryAfter: null,
                cancellationToken,
                first.Reason);
        }
    }

    // Delivers entries; when the sink rejects the data, splits in halves until each rejected event is alone, so its
    // neighbours are still delivered. Returns the events refused alone; other failures are thrown.
    private async Task<List<Refusal>> SendAsync(SinkLane lane, IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken)
    {
        var events = new CountEvent[entries.Count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = entries[i].Event;
        }

        try
        {
            await lane.Sink.DeliverAsync(events, cancellationToken);
        }
        catch (SinkDeliveryException ex) when (ex.Kind == SinkFailureKind.Rejected)
        {
            if (entries.Count == 1)
            {
                return [new Refusal(entries[0], Describe(ex), lane.DeliveredCount)];
            }

            var half = entries.Count / 2;
            var refused = await SendAsync(lane, entries.Take(half).ToArray(), cancellationToken);
            refused.AddRange(await SendAsync(lane, entries.Skip(half).ToArray(), cancellationToken));
            return refused;
        }
        catch (Exception ex) when (ex is not SinkDeliveryException and not OperationCanceledException || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // A custom sink's own exception: an outage until it says otherwise.
            throw new SinkDeliveryException(Describe(ex), SinkFailureKind.Transient, ex);
        }

        _outbox.MarkDelivered(lane.Sink.Name, entries);
        lane.Succeeded(entries, _time.GetUtcNow());
        return [];
    }

    // cause: the sink's own words, which stay the same from attempt to attempt (reason may add counts); it keys the log rate limit.
    private async Task WaitAfterFailureAsync(SinkLane lane, string reason, SinkFailureKind kind, TimeSpan? retryAfter, CancellationToken cancellationToken, string? cause = null)
    {
        var attempt = lane.Failed(reason, kind);
        var delay = retryAfter is { } asked
            ? TimeSpan.FromTicks(Math.Clamp(asked.Ticks, _options.RetryBaseDelay.Ticks, _options.RetryAfterMax.Ticks))
            : _backoff.GetDelay(attempt - 1);
        if (lane.ShouldLog(kind, cause ?? reason, _time.GetUtcNow(), _options.FailureLogInterval))
        {
            if (kind == SinkFailureKind.Configuration)
            {
                LogConfigurationFailure(_logger, lane.Sink.Name, attempt, delay, reason);
            }
            else
            {
                LogRetry(_logger, lane.Sink.Name, attempt, kind, delay, reason);
            }
        }

        await Task.Delay(delay, _time, cancellationToken);
    }

    private async Task WaitForWorkAsync(SinkLane lane, CancellationToken cancellationToken)
    {
        using var poll = new CancellationTokenSource(_options.PollInterval, _time);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sink {Sink} failed (attempt {Attempt}, {Kind}); retrying in {Delay}: {Reason}")]
    private static partial void LogRetry(ILogger logger, string sink, int attempt, SinkFailureKind kind, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sink {Sink} cannot deliver until its configuration or backend is fixed (attempt {Attempt}); events stay pending and are retried in {Delay}: {Reason}")]
    private static partial void LogConfigurationFailure(ILogger logger, string sink, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sink {Sink} delivers again")]
    private static partial void LogRecovered(ILogger logger, string sink);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sink {Sink} refused event {EventId} alone {Attempts} times while accepting others; it was set aside in the outbox poison table: {Reason}")]
    private static partial void LogPoison(ILogger logger, Guid eventId, string sink, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sink {Sink}: the delivery loop failed (outbox read or update, or an unexpected error); trying again in {Delay}: {Reason}")]
    private static partial void LogLaneFailed(ILogger logger, string sink, TimeSpan delay, string reason);

    // An event the sink refused on its own, with the sink's (redacted) reason and the lane's delivered count at that moment.
    private readonly record struct Refusal(OutboxEntry Entry, string Reason, long DeliveredAt);
}
