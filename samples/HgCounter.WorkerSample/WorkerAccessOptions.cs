namespace HgCounter.WorkerSample;

/// <summary>The <c>Worker</c> section: who may call the mutating endpoints.</summary>
internal sealed class WorkerAccessOptions
{
    /// <summary>When set, <c>POST /api/cameras/{name}/reconnect</c> requires header <c>X-Api-Key</c> with this value.</summary>
    public string? ApiKey { get; set; }
}
