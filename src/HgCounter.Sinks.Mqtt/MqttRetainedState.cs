using System.Globalization;
using HgCounter.Status;

namespace HgCounter.Sinks.Mqtt;

/// <summary>
/// The latest retained state of every camera (line totals, health state) by topic: <see cref="Update"/> says which
/// topics changed since the last snapshot, <see cref="All"/> gives everything again for a fresh connection.
/// </summary>
internal sealed class MqttRetainedState(MqttTopics topics)
{
    private readonly Dictionary<string, string> _latest = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public IReadOnlyList<(string Topic, string Payload)> Update(StatusSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var changed = new List<(string, string)>();
        lock (_gate)
        {
            foreach (var camera in snapshot.Cameras)
            {
                Set(topics.CameraState(camera.Name), camera.Health.Health.ToString().ToLowerInvariant(), changed);
                foreach (var line in camera.Lines)
                {
                    Set(topics.Total(camera.Name, line.Line, incoming: true), line.In.ToString(CultureInfo.InvariantCulture), changed);
                    Set(topics.Total(camera.Name, line.Line, incoming: false), line.Out.ToString(CultureInfo.InvariantCulture), changed);
                }
            }
        }

        return changed;
    }

    public IReadOnlyList<(string Topic, string Payload)> All()
    {
        lock (_gate)
        {
            return [.. _latest.Select(p => (p.Key, p.Value))];
        }
    }

    private void Set(string topic, string payload, List<(string, string)> changed)
    {
        if (!_latest.TryGetValue(topic, out var previous) || !string.Equals(previous, payload, StringComparison.Ordinal))
        {
            _latest[topic] = payload;
            changed.Add((topic, payload));
        }
    }
}
