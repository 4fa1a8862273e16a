using HgCounter.Events;

namespace HgCounter.Runtime.Events;

/// <summary>
/// The latest events the outbox accepted, in memory: a fixed ring the camera loops append to and hosts read newest first.
/// Since start only; the persistent record is the outbox with its sinks and the count history.
/// </summary>
internal sealed class RecentEventRing
{
    /// <summary>Events kept; older ones are overwritten.</summary>
    public const int Capacity = 500;

    private readonly CountEvent[] _ring = new CountEvent[Capacity];
    private readonly Lock _gate = new();
    private int _next;
    private int _count;

    /// <summary>Appends the events of one frame, in order (the last is then the newest). Allocates nothing.</summary>
    public void Add(IReadOnlyList<CountEvent> events)
    {
        lock (_gate)
        {
            // Indexed, not foreach: an interface enumerator would be one allocation per frame with events.
            for (var i = 0; i < events.Count; i++)
            {
                _ring[_next] = events[i];
                _next = (_next + 1) % Capacity;
                _count = Math.Min(_count + 1, Capacity);
            }
        }
    }

    /// <summary>Up to <paramref name="limit"/> events, newest first, of one camera or (null) all.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not 1 to <see cref="Capacity"/>.</exception>
    public IReadOnlyList<CountEvent> Latest(string? camera, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, Capacity);
        lock (_gate)
        {
            var result = new List<CountEvent>(Math.Min(limit, _count));
            for (var i = 1; i <= _count && result.Count < limit; i++)
            {
                var countEvent = _ring[(_next - i + Capacity) % Capacity];
                if (camera is null || string.Equals(countEvent.Camera, camera, StringComparison.Ordinal))
                {
                    result.Add(countEvent);
                }
            }

            return result;
        }
    }
}
