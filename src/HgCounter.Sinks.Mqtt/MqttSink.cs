using System.Text.Json;
using HgCounter.Configuration;
using HgCounter.Events;
using HgCounter.Runtime.Serialization;
using HgCounter.Status;
using Microsoft.Extensions.Logging;

namespace HgCounter.Sinks.Mqtt;

/// <summary>
/// Publishes each count event at QoS 1 to <c>{prefix}/{camera}/events</c> in its wire shape (docs/events.md); an event
/// is delivered once the broker acknowledged it (PUBACK). Anything short of that throws, and the outbox keeps the event
/// and retries: at-least-once, subscribers de-duplicate on <c>event_id</c>. Also keeps the retained state (line totals,
/// camera state, availability, Home Assistant discovery) of <see cref="PublishStatusAsync"/>.
/// </summary>
internal sealed class MqttSink : ICountEventSink, IAsyncDisposable
{
    private readonly MqttLink _link;
    private readonly MqttTopics _topics;
    private readonly MqttRetainedState _state;
    private readonly IReadOnlyList<(string Topic, string Payload)> _discovery;

    /// <param name="options">The sink's options.</param>
    /// <param name="workerId">This worker's id (availability topic, client id, discovery ids).</param>
    /// <param name="cameras">The configured cameras and lines (discovery).</param>
    /// <param name="configurationKey">The sink's key, <c>HgCounter:Events:Sinks:N</c>.</param>
    /// <param name="logger">Connection logs.</param>
    public MqttSink(MqttSinkOptions options, string workerId, IEnumerable<CameraOptions> cameras, string configurationKey, ILogger<MqttSink> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cameras);
        Name = options.Name ?? options.Type;
        StateInterval = options.StateInterval;
        _topics = new MqttTopics(options, workerId);
        _state = new MqttRetainedState(_topics);
        _discovery = options.DiscoveryEnabled ? HomeAssistantDiscovery.Configs(_topics, cameras) : [];
        _link = new MqttLink(options, _topics, configurationKey, () => [.. _discovery, .. _state.All()], logger);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Least time between two state publications.</summary>
    public TimeSpan StateInterval { get; }

    /// <summary>The topics this sink publishes.</summary>
    public MqttTopics Topics => _topics;

    /// <inheritdoc />
    public async Task DeliverAsync(IReadOnlyList<CountEvent> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var countEvent in batch)
        {
            var payload = JsonSerializer.SerializeToUtf8Bytes(countEvent, HgCounterJson.CountEvent);
            await _link.PublishAsync(_topics.Events(countEvent.Camera), payload, retain: false, cancellationToken);
        }
    }

    /// <summary>Publishes (retained) the totals and camera states that changed since the last snapshot.</summary>
    public async Task PublishStatusAsync(StatusSnapshot snapshot, CancellationToken cancellationToken)
    {
        var changed = _state.Update(snapshot);
        if (!_link.IsConnected)
        {
            // A new connection publishes the whole state, these changes included.
            await _link.EnsureConnectedAsync(cancellationToken);
            return;
        }

        foreach (var (topic, payload) in changed)
        {
            await _link.PublishAsync(topic, payload, retain: true, cancellationToken);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _link.DisposeAsync();
}
