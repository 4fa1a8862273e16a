using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace HgCounter.Configuration;

/// <summary>Durable event delivery: the outbox and the sinks.</summary>
public sealed class EventOptions
{
    /// <summary>SQLite outbox file; relative paths are under the data directory's parent (the working directory).</summary>
    [Required]
    public string OutboxPath { get; set; } = "data/outbox.db";

    /// <summary>Outbox length at which health turns Degraded (events keep being accepted).</summary>
    [Range(1, int.MaxValue)]
    public int BacklogLimit { get; set; } = 100_000;

    /// <summary>Events a sink receives per batch.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>With no sinks configured: how long and how much of the counted events the outbox keeps.</summary>
    [ValidateObjectMembers]
    public UndeliveredRetentionOptions RetainUndelivered { get; set; } = new();

    /// <summary>Bounds of the poison table.</summary>
    [ValidateObjectMembers]
    public PoisonRetentionOptions RetainPoison { get; set; } = new();

    /// <summary>Crossing thumbnails: a small JPEG per event, named by its <c>snapshot_id</c>.</summary>
    [ValidateObjectMembers]
    public ThumbnailOptions Snapshots { get; set; } = new();

    /// <summary>Where events go. Empty: events stay in the outbox (counted, not delivered), up to <see cref="RetainUndelivered"/>.</summary>
#pragma warning disable SYSLIB1213 // Sink entries are validated one by one by SinkRules (each sink type checks its own settings).
    public IList<SinkOptions> Sinks { get; } = [];
#pragma warning restore SYSLIB1213
}
