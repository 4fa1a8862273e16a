using HgCounter.Health;
using HgCounter.Reliability.Metrics;
using Microsoft.Extensions.Logging;

namespace HgCounter.Reliability.Watchdog;

/// <summary>Makes a camera transition known: the state metric, one log line, and the watchdog's events. Called outside the lock.</summary>
internal sealed partial class WatchdogNotifier(ILogger logger, HgCounterMetrics? metrics)
{
    public void RecordRegistered(string camera) => metrics?.RecordCameraState(camera, CameraHealth.Starting);

    public void RecordReconnect(string camera) => metrics?.RecordReconnect(camera);

    /// <summary>Publishes <paramref name="change"/> to the handlers of <paramref name="watchdog"/>'s events.</summary>
    public void Publish(
        CameraTransition? change,
        RtspWatchdog watchdog,
        EventHandler<CameraStateChangedEventArgs>? offline,
        EventHandler<CameraStateChangedEventArgs>? online,
        EventHandler<CameraStateChangedEventArgs>? stateChanged)
    {
        if (change is not { } c)
        {
            return;
        }

        var args = new CameraStateChangedEventArgs(c.Camera, c.Previous, c.Reason) { Cause = c.Cause };
        metrics?.RecordCameraState(c.Camera.Name, c.Camera.Health);
        if (c.AnnounceOffline)
        {
            LogOffline(logger, c.Camera.Name, c.Reason, c.Cause ?? CameraFailureReason.Unknown, c.Camera.NextAttemptAt);
            Notify(offline, watchdog, args);
        }
        else if (c.Camera.Health == CameraHealth.Healthy && c.Previous is CameraHealth.Starting or CameraHealth.Offline or CameraHealth.Reconnecting)
        {
            LogOnline(logger, c.Camera.Name, c.Reason);
            Notify(online, watchdog, args);
        }
        else
        {
            LogStateChanged(logger, c.Camera.Name, c.Previous, c.Camera.Health, c.Reason);
        }

        Notify(stateChanged, watchdog, args);
    }

    // Subscribers are user code: one that throws must not kill the stall timer's thread or a camera loop.
    private void Notify(EventHandler<CameraStateChangedEventArgs>? handlers, RtspWatchdog sender, CameraStateChangedEventArgs args)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                ((EventHandler<CameraStateChangedEventArgs>)handler)(sender, args);
            }
#pragma warning disable CA1031 // Isolating subscriber faults is the point.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogSubscriberFailed(logger, args.Camera.Name, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {Camera} offline: {Reason} ({Cause}); next attempt at {NextAttemptAt}")]
    private static partial void LogOffline(ILogger logger, string camera, string reason, CameraFailureReason cause, DateTimeOffset? nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {Camera} online: {Reason}")]
    private static partial void LogOnline(ILogger logger, string camera, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Camera {Camera}: {Previous} -> {Current} ({Reason})")]
    private static partial void LogStateChanged(ILogger logger, string camera, CameraHealth previous, CameraHealth current, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Camera {Camera}: a state-change subscriber threw; the watchdog carries on.")]
    private static partial void LogSubscriberFailed(ILogger logger, string camera, Exception exception);
}
