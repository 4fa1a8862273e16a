using System.Diagnostics.Metrics;

namespace HgCounter.Benchmarks.Capacity;

/// <summary>
/// Mean time of one inference over a window, where the agent publishes it: the scheduler's
/// <c>hgcounter.inference.duration</c> histogram (ms or s; not the queue wait nor the cost measured at load, which also
/// mention inference). A build that publishes none gives <c>null</c>, and the run says so instead of printing a figure.
/// </summary>
public sealed class InferenceTimeListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private double _milliseconds;
    private long _count;

    public InferenceTimeListener()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "HgCounter" && instrument.Name == "hgcounter.inference.duration"
                && instrument.Unit is "ms" or "s")
            {
                listener.EnableMeasurementEvents(instrument, instrument.Unit == "s" ? 1000.0 : 1.0);
                Instrument = instrument.Name;
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, _, scale) => Add(value * (double)scale!));
        _listener.SetMeasurementEventCallback<float>((_, value, _, scale) => Add(value * (double)scale!));
        _listener.SetMeasurementEventCallback<long>((_, value, _, scale) => Add(value * (double)scale!));
        _listener.Start();
    }

    /// <summary>The instrument listened to, or <c>null</c> when the agent publishes none.</summary>
    public string? Instrument { get; private set; }

    /// <summary>Mean milliseconds per inference since the last call, or <c>null</c> when nothing was recorded.</summary>
    public double? TakeMean()
    {
        lock (_lock)
        {
            var mean = _count > 0 ? _milliseconds / _count : (double?)null;
            (_milliseconds, _count) = (0, 0);
            return mean;
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Add(double milliseconds)
    {
        lock (_lock)
        {
            _milliseconds += milliseconds;
            _count++;
        }
    }
}
