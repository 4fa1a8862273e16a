using System.Diagnostics.Metrics;
using HgCounter.Reliability.Metrics;

namespace HgCounter.Runtime.Tests.Capacity;

/// <summary>
/// Listens to the <c>hgcounter.detector.*</c> instruments and the <c>hgcounter.inference.duration</c> histogram of every
/// <c>HgCounter</c> meter in the process.
/// </summary>
internal sealed class DetectorMetrics : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<Measurement> _measurements = [];

    public DetectorMetrics()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == HgCounterMetrics.MeterName
                && (instrument.Name.StartsWith("hgcounter.detector.", StringComparison.Ordinal) || instrument.Name == "hgcounter.inference.duration"))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            var byKey = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                byKey[tag.Key] = tag.Value?.ToString();
            }

            lock (_measurements)
            {
                _measurements.Add(new Measurement(instrument.Name, instrument.Unit, value, byKey));
            }
        });
        _listener.Start();
    }

    /// <summary>What was recorded so far, after asking the observable gauges for their current values.</summary>
    public IReadOnlyList<Measurement> Collect()
    {
        _listener.RecordObservableInstruments();
        lock (_measurements)
        {
            return [.. _measurements];
        }
    }

    public void Dispose() => _listener.Dispose();

    internal sealed record Measurement(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, string?> Tags)
    {
        public string? Tag(string key) => Tags.GetValueOrDefault(key);
    }
}
