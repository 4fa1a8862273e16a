using HgCounter.Counting;
using HgCounter.Status;

namespace HgCounter.WorkerSample;

/// <summary>
/// The latest crossings for the dashboard, newest first, in a bounded ring: each status snapshot's line totals per class
/// are compared with the previous one, and every increase is one crossing at the snapshot's time (so a crossing's time is
/// within one <c>HgCounter:StatusInterval</c> of the event's). Nothing outlives the process; the history is <c>/api/counts</c>.
/// </summary>
internal sealed class RecentCrossings
{
    public const int Capacity = 200;

    private readonly RecentCrossing[] _ring = new RecentCrossing[Capacity];
    private readonly Dictionary<(string Camera, string Line, string Label), DirectionCount> _seen = [];
    private readonly Lock _gate = new();
    private int _next;
    private int _count;

    /// <summary>Records the crossings <paramref name="status"/> adds to the totals seen so far.</summary>
    public void Observe(StatusSnapshot status)
    {
        lock (_gate)
        {
            foreach (var camera in status.Cameras)
            {
                foreach (var line in camera.Lines)
                {
                    foreach (var (label, now) in line.ByClass)
                    {
                        var key = (camera.Name, line.Line, label);
                        var before = _seen.GetValueOrDefault(key);
                        _seen[key] = now;
                        if (now.In < before.In || now.Out < before.Out)
                        {
                            continue; // totals restarted: a new baseline, not negative crossings
                        }

                        Add(now.In - before.In, new RecentCrossing(status.Timestamp, camera.Name, line.Line, "In", label));
                        Add(now.Out - before.Out, new RecentCrossing(status.Timestamp, camera.Name, line.Line, "Out", label));
                    }
                }
            }
        }
    }

    /// <summary>Up to <paramref name="limit"/> crossings, newest first, of one camera or (null) all.</summary>
    public IReadOnlyList<RecentCrossing> Latest(string? camera, int limit)
    {
        lock (_gate)
        {
            var result = new List<RecentCrossing>(Math.Min(limit, _count));
            for (var i = 1; i <= _count && result.Count < limit; i++)
            {
                var crossing = _ring[(_next - i + Capacity) % Capacity];
                if (camera is null || crossing.Camera == camera)
                {
                    result.Add(crossing);
                }
            }

            return result;
        }
    }

    private void Add(long crossings, RecentCrossing crossing)
    {
        for (var i = 0L; i < Math.Min(crossings, Capacity); i++)
        {
            _ring[_next] = crossing;
            _next = (_next + 1) % Capacity;
            _count = Math.Min(_count + 1, Capacity);
        }
    }
}
