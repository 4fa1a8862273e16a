using HgCounter.Health;
using HgCounter.Reliability.Watchdog;
using HgCounter.Status;

namespace HgCounter.Runtime.Agent;

/// <summary>Written as JSON to the data directory when the agent stops: what an operator reads after the fact.</summary>
/// <param name="StoppedAt">When the agent stopped.</param>
/// <param name="WorkerId">Worker identity.</param>
/// <param name="Cameras">The watchdog's summary at stop.</param>
/// <param name="Status">The last status snapshot (counts, resources).</param>
/// <param name="Health">A last run of every health check.</param>
public sealed record FinalHealthReport(DateTimeOffset StoppedAt, string WorkerId, WatchdogSummary Cameras, StatusSnapshot Status, HealthSnapshot? Health);
