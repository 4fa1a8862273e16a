using System.Text;
using HgCounter.Configuration;

namespace HgCounter.Sinks.Mqtt;

/// <summary>
/// The topics of one sink: <c>{prefix}/{camera}/events</c>, <c>{prefix}/{camera}/{line}/in|out</c>,
/// <c>{prefix}/{camera}/state</c>, <c>{prefix}/{worker}/availability</c>, and Home Assistant's
/// <c>{discovery}/{component}/{node}/{object}/config</c>. Names may hold '+' or '#' (wildcards in MQTT): those become '_'.
/// </summary>
internal sealed class MqttTopics(MqttSinkOptions options, string workerId)
{
    public string WorkerId { get; } = workerId;

    public string Events(string camera) => $"{options.Prefix}/{Segment(camera)}/events";

    public string Total(string camera, string line, bool incoming) => $"{options.Prefix}/{Segment(camera)}/{Segment(line)}/{(incoming ? "in" : "out")}";

    public string CameraState(string camera) => $"{options.Prefix}/{Segment(camera)}/state";

    public string Availability => $"{options.Prefix}/{Segment(WorkerId)}/availability";

    public string Discovery(string component, string objectId) => $"{options.DiscoveryPrefix}/{component}/{Node}/{objectId}/config";

    /// <summary>Home Assistant's node id of this worker: <c>hgcounter_{worker}</c>, as an id (letters, digits, '_').</summary>
    public string Node => "hgcounter_" + Id(WorkerId);

    /// <summary>A name as a Home Assistant id: lower-case letters, digits and '_' (discovery topics and unique ids allow no more).</summary>
    public static string Id(string name)
    {
        var id = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            id.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        return id.ToString();
    }

    /// <summary>A non-empty topic without wildcards, NUL, or a leading or trailing '/'.</summary>
    public static bool IsPlainTopic(string? topic) =>
        !string.IsNullOrEmpty(topic) && !topic.Any(c => c is '+' or '#' or '\0') && !topic.StartsWith('/') && !topic.EndsWith('/');

    private static string Segment(string name) => name.Replace('+', '_').Replace('#', '_');
}
