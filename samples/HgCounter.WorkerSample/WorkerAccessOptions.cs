namespace HgCounter.WorkerSample;

/// <summary>The <c>Worker</c> section: who may call the mutating endpoints.</summary>
internal sealed class WorkerAccessOptions
{
    /// <summary>
    /// When set, the operator actions (<c>POST /api/cameras/{name}/reconnect</c>, <c>GET /api/cameras/{name}/test</c>) require
    /// header <c>X-Api-Key</c> with this value; when not set, they are accepted only from this machine.
    /// </summary>
    public string? ApiKey { get; set; }
}
