using System.Globalization;
using HgCounter.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HgCounter.Runtime.Events;

/// <summary>
/// Health of the event outbox: Unhealthy while it refuses events for lack of disk space; Degraded when the backlog
/// reached <see cref="EventOptions.BacklogLimit"/> (events are still accepted), when events were poisoned, or when a
/// corrupt outbox was moved aside at start; Healthy otherwise.
/// </summary>
public sealed class OutboxHealthCheck : IHealthCheck
{
    private readonly EventOutbox _outbox;
    private readonly int _backlogLimit;

    /// <summary>Creates the check.</summary>
    public OutboxHealthCheck(EventOutbox outbox, EventOptions options)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(options);
        _outbox = outbox;
        _backlogLimit = options.BacklogLimit;
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

        HealthCheckResult result;
        if (_outbox.IsRejecting)
        {
            result = HealthCheckResult.Unhealthy($"Outbox {_outbox.Path} refuses new events: its disk is full ({_outbox.RejectedCount} refused); {summary}.", data: data);
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
}
