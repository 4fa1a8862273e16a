namespace HgCounter.Runtime.Agent;

/// <summary>The worker's identity: configured, or the machine name (stable across restarts; a pod's name under a StatefulSet).</summary>
internal static class WorkerIdentity
{
    /// <summary>Returns <paramref name="configured"/> when set, else the machine name in lower case.</summary>
    public static string Resolve(string? configured) =>
        string.IsNullOrWhiteSpace(configured) ? Environment.MachineName.ToLowerInvariant() : configured.Trim();
}
