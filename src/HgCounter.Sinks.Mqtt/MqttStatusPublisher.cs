using HgCounter.Events;
using HgCounter.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HgCounter.Sinks.Mqtt;

/// <summary>
/// Follows the agent's status snapshots and hands them to every MQTT sink: retained totals and camera states go out
/// when they change, at most once per <c>StateInterval</c> (the agent's watch gives the latest to a slow reader), and
/// the sink reconnects here too, so state and availability come back after an outage without waiting for an event.
/// </summary>
internal sealed partial class MqttStatusPublisher(ICounterAgent agent, MqttSinkRegistry registry, TimeProvider time, ILogger<MqttStatusPublisher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sinks = registry.Sinks;
        if (sinks.Count == 0)
        {
            return;
        }

        var interval = sinks.Min(s => s.StateInterval);
        try
        {
            await foreach (var snapshot in agent.WatchAsync(stoppingToken))
            {
                foreach (var sink in sinks)
                {
                    try
                    {
                        await sink.PublishStatusAsync(snapshot, stoppingToken);
                    }
                    catch (SinkDeliveryException ex)
                    {
                        // The link logs connection problems once; the next snapshot tries again.
                        LogStateNotPublished(logger, sink.Name, ex.Message);
                    }
                }

                await Task.Delay(interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sink {Sink}: state not published: {Reason}")]
    private static partial void LogStateNotPublished(ILogger logger, string sink, string reason);
}
