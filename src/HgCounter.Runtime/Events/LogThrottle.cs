namespace HgCounter.Runtime.Events;

/// <summary>
/// Lets one log line through per interval and counts the ones held back, so a failure that repeats for every event
/// (a full disk) fills neither the log nor the disk it is complaining about.
/// </summary>
internal sealed class LogThrottle(TimeProvider time, TimeSpan interval)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastLine;
    private long _heldBack;

    /// <summary>True when a line may be written now; <paramref name="heldBack"/> is how many were held back since the last one.</summary>
    public bool TryEnter(out long heldBack)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_lastLine is { } last && now - last < interval)
            {
                _heldBack++;
                heldBack = 0;
                return false;
            }

            _lastLine = now;
            heldBack = _heldBack;
            _heldBack = 0;
            return true;
        }
    }
}
