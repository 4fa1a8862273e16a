using System.Collections.Concurrent;

namespace HgCounter.WorkerSample;

/// <summary>
/// At most one reconnect per camera per <c>Worker:ReconnectInterval</c>: a reconnect resets the camera's tracks, so a
/// caller repeating it every second would stop that camera from ever counting. Keyed by configured camera names only.
/// </summary>
internal sealed class ReconnectThrottle(TimeSpan interval, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, long> _lastGranted = new(StringComparer.Ordinal);

    /// <summary>True and the reconnect is recorded; false with how long until the next one is allowed.</summary>
    public bool TryAcquire(string camera, out TimeSpan retryAfter)
    {
        while (true)
        {
            var now = time.GetTimestamp();
            if (!_lastGranted.TryGetValue(camera, out var last))
            {
                if (_lastGranted.TryAdd(camera, now))
                {
                    retryAfter = TimeSpan.Zero;
                    return true;
                }

                continue;
            }

            var since = time.GetElapsedTime(last, now);
            if (since < interval)
            {
                retryAfter = interval - since;
                return false;
            }

            if (_lastGranted.TryUpdate(camera, now, last))
            {
                retryAfter = TimeSpan.Zero;
                return true;
            }
        }
    }
}
