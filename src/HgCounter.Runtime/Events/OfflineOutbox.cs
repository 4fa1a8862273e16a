using HgCounter.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace HgCounter.Runtime.Events;

/// <summary>Operator actions on the outbox file while no agent runs (a running agent offers the same on <see cref="ICounterAgent"/>).</summary>
public static class OfflineOutbox
{
    /// <summary>
    /// Moves events set aside as poison back to pending, for every sink or only <paramref name="sinkName"/>; the next
    /// start of the agent delivers them. Opens the outbox at <see cref="EventOptions.OutboxPath"/> (created if missing).
    /// </summary>
    /// <returns>How many events were moved, and the full path of the outbox file.</returns>
    public static async Task<(int Moved, string Path)> RedrivePoisonedAsync(EventOptions options, string? sinkName = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var outbox = new EventOutbox(options, NullLogger<EventOutbox>.Instance, timeProvider ?? TimeProvider.System);
        return (outbox.RedrivePoisoned(sinkName), outbox.Path);
    }
}
