using System.ComponentModel.DataAnnotations;

namespace HgCounter.WorkerSample;

/// <summary>The <c>Worker</c> section: who may read the worker's data and who may act on its cameras.</summary>
internal sealed class WorkerAccessOptions
{
    /// <summary>
    /// When set, the operator actions (<c>POST /api/cameras/{name}/reconnect</c>, <c>POST /api/cameras/{name}/test</c>)
    /// require header <c>X-Api-Key</c> (or <c>Authorization: Bearer</c>) with this value. When not set, they are accepted
    /// only while the worker listens on loopback alone, from a loopback connection that carries no forwarded headers.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// When set, the read endpoints (<c>/api/status</c>, <c>/api/events</c>, <c>/health</c>, <c>/metrics</c>) require
    /// this value (or <see cref="ApiKey"/>) in <c>X-Api-Key</c>, <c>Authorization: Bearer</c>, or the dashboard's session
    /// cookie. <c>/healthz</c> and <c>/readyz</c> stay open: they answer with a status code only.
    /// </summary>
    public string? ReadKey { get; set; }

    /// <summary>Concurrent <c>/api/events</c> streams; one more is answered 503.</summary>
    [Range(1, 10_000)]
    public int MaxEventStreams { get; set; } = 16;

    /// <summary>Least time between two reconnects of one camera (a reconnect resets its tracks); sooner is answered 429.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ReconnectInterval { get; set; } = TimeSpan.FromSeconds(10);
}
