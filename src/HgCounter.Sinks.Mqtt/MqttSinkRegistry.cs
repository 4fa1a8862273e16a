namespace HgCounter.Sinks.Mqtt;

/// <summary>The MQTT sinks the outbox delivers through, so <see cref="MqttStatusPublisher"/> publishes state on the same connections.</summary>
internal sealed class MqttSinkRegistry
{
    private readonly List<MqttSink> _sinks = [];
    private readonly Lock _gate = new();

    public MqttSink Add(MqttSink sink)
    {
        lock (_gate)
        {
            _sinks.Add(sink);
        }

        return sink;
    }

    public IReadOnlyList<MqttSink> Sinks
    {
        get
        {
            lock (_gate)
            {
                return [.. _sinks];
            }
        }
    }
}
