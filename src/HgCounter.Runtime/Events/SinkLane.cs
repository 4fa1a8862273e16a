using System.Threading.Channels;
using HgCounter.Events;

namespace HgCounter.Runtime.Events;

/// <summary>
/// One sink's delivery state inside <see cref="OutboxUploader"/>: its outbox cursor, counters, last failure, how often
/// each event was refused alone, and when a failure was last logged. Only the lane's loop writes; status reads lock.
/// </summary>
internal sealed class SinkLane(ICountEventSink sink)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, EventRefusals> _refusals = [];
    private long _delivered;
    private long _poisoned;
    private int _failures;
    private DateTimeOffset? _lastSuccess;
    private SinkFailureKind? _failureKind;
    private string? _logged;
    private DateTimeOffset _loggedAt;

    public ICountEventSink Sink { get; } = sink;

    // One pending wake-up is enough: the lane reads everything pending when it wakes.
    public Channel<bool> Signal { get; } = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Outbox sequence after which this lane reads; events at or before it are delivered or set aside.</summary>
    public long After { get; set; }

    public string? LastError { get; private set; }

    public long DeliveredCount => Interlocked.Read(ref _delivered);

    /// <summary>Records a failed attempt; returns the number of attempts failed in a row.</summary>
    public int Failed(string error, SinkFailureKind kind)
    {
        lock (_gate)
        {
            LastError = error;
            _failureKind = kind;
            return ++_failures;
        }
    }

    /// <summary>Counts one more refusal of the event at <paramref name="sequence"/>, remembering the delivered count at the first.</summary>
    public EventRefusals RecordRefusal(long sequence, long deliveredAt)
    {
        var record = _refusals.TryGetValue(sequence, out var known)
            ? known with { Attempts = known.Attempts + 1 }
            : new EventRefusals(1, deliveredAt);
        _refusals[sequence] = record;
        return record;
    }

    public void Poisoned(long sequence)
    {
        _refusals.Remove(sequence);
        Interlocked.Increment(ref _poisoned);
    }

    public void Succeeded(IReadOnlyList<OutboxEntry> entries, DateTimeOffset at)
    {
        foreach (var entry in entries)
        {
            _refusals.Remove(entry.Sequence);
        }

        lock (_gate)
        {
            Interlocked.Add(ref _delivered, entries.Count);
            _lastSuccess = at;
        }
    }

    /// <summary>Clears the failure after a round without refusals; true when there was one (the sink recovered).</summary>
    public bool Recovered()
    {
        lock (_gate)
        {
            var wasFailing = _failures > 0;
            _failures = 0;
            LastError = null;
            _failureKind = null;
            _logged = null;
            return wasFailing;
        }
    }

    /// <summary>
    /// Whether to log this failure: a new kind or cause at once, the same again only every <paramref name="interval"/>,
    /// so a backend that stays down for days writes one line per interval, not one per attempt.
    /// </summary>
    public bool ShouldLog(SinkFailureKind kind, string cause, DateTimeOffset now, TimeSpan interval)
    {
        var key = kind + ":" + cause;
        if (string.Equals(_logged, key, StringComparison.Ordinal) && now - _loggedAt < interval)
        {
            return false;
        }

        _logged = key;
        _loggedAt = now;
        return true;
    }

    public SinkDeliveryStatus Snapshot()
    {
        lock (_gate)
        {
            return new SinkDeliveryStatus(Sink.Name, DeliveredCount, Interlocked.Read(ref _poisoned), _failures, LastError, _lastSuccess, _failureKind);
        }
    }

    /// <summary>How often one event was refused alone, and how many events the sink had delivered before the first time.</summary>
    public readonly record struct EventRefusals(int Attempts, long DeliveredAtFirstRefusal);
}
