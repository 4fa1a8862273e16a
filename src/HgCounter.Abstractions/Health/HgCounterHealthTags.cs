namespace HgCounter.Health;

/// <summary>Tags on the health checks <c>AddHgCounter()</c> registers, for hosts that map probes by tag.</summary>
public static class HgCounterHealthTags
{
    /// <summary>On every HgCounter check.</summary>
    public const string All = "hgcounter";

    /// <summary>Liveness: the process should be restarted when these fail (agent loop alive, memory).</summary>
    public const string Live = "live";

    /// <summary>Readiness: the worker counts and delivers (cameras, disk, outbox, sinks).</summary>
    public const string Ready = "ready";
}
