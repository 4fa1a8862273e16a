using System.Globalization;
using HgCounter.Configuration;
using HgCounter.Events;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HgCounter.Runtime.Events;

/// <summary>
/// Health of the event outbox and its sinks: Unhealthy while it refuses events for lack of disk space, or while a sink
/// cannot deliver until a person fixes it (credentials, URL, redirect, schema: <see cref="SinkFailureKind.Configuration"/>);
/// Degraded when the backlog reached <see cref="EventOptions.BacklogLimit"/> (events are still accepted), while a sink
/// is down or refuses an event, when events were poisoned, or when a corrupt outbox was moved aside at start; Healthy otherwise.
/// </summary>
internal sealed class OutboxHealthCheck : IHealthCheck
{
    private readonly EventOutbox _outbox;
    private readonly int _backlogLimit;
    private readonly OutboxUploader? _uploader;

    /// <summary>Creates the check of the outbox alone.</summary>
    public OutboxHealthCheck(EventOutbox outbox, EventOptions options)
        : this(outbox, options, uploader: null)
    {
    }

    /// <summary>Creates the check of the outbox and of the sinks <paramref name="uploader"/> delivers to.</summary>
    public OutboxHealthCheck(EventOutbox outbox, EventOptions options, OutboxUploader? uploader)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(options);
        _outbox = outbox;
        _backlogLimit = options.BacklogLimit;
        _uploader = uploader;
    }

    /// <summary>Registration name.</summary>
    public const string Name = "outbox";

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pending = _outbox.PendingCount;
        var poison = _outbox.PoisonCount;
        var data = new Dictionary<string, object>
        {
            ["pending"] = pending,
            ["backlogLimit"] = _backlogLimit,
            ["poison"] = poison,
            ["rejected"] = _outbox.RejectedCount,
        };
        var summary = string.Create(CultureInfo.InvariantCulture, $"{pending} event(s) pending of a backlog limit of {_backlogLimit}, {poison} poisoned");

        var failing = _uploader?.Sinks.Where(s => s.LastFailureKind is not null).ToArray() ?? [];
        var broken = failing.Where(s => s.LastFailureKind == SinkFailureKind.Configuration).ToArray();
        foreach (var sink in failing)
        {
            data["sink." + sink.Name] = sink.LastError ?? string.Empty; // already redacted by the uploader
        }

        HealthCheckResult result;
        if (_outbox.IsRejecting)
        {
            result = HealthCheckResult.Unhealthy($"Outbox {_outbox.Path} refuses new events: its disk is full ({_outbox.RejectedCount} refused); {summary}.", data: data);
        }
        else if (broken.Length > 0)
        {
            result = HealthCheckResult.Unhealthy($"{Describe(broken)}; events stay pending until it is fixed; {summary}.", data: data);
        }
        else if (failing.Length > 0)
        {
            result = HealthCheckResult.Degraded($"{Describe(failing)}; events stay pending and are retried; {summary}.", data: data);
        }
        else if (pending >= _backlogLimit)
        {
            result = HealthCheckResult.Degraded($"Outbox backlog limit reached: {summary}; events are still stored while the disk has room.", data: data);
        }
        else if (poison > 0)
        {
            result = HealthCheckResult.Degraded($"A sink rejected events; they are kept in the poison table of {_outbox.Path}: {summary}.", data: data);
        }
        else if (_outbox.CorruptFileMovedTo is { } movedTo)
        {
            result = HealthCheckResult.Degraded($"The outbox was corrupt at start and was moved to {movedTo}; {summary}.", data: data);
        }
        else
        {
            result = HealthCheckResult.Healthy($"{summary}.", data);
        }

        return Task.FromResult(result);
    }

    private static string Describe(IEnumerable<SinkDeliveryStatus> sinks) =>
        string.Join("; ", sinks.Select(s => string.Create(CultureInfo.InvariantCulture, $"sink {s.Name} failing ({s.LastFailureKind}, {s.ConsecutiveFailures} attempt(s)): {s.LastError}")));
}
