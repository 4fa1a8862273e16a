using System.Text.Json.Nodes;
using HgCounter.Configuration;

namespace HgCounter.Sinks.Mqtt;

/// <summary>
/// Home Assistant MQTT discovery configs (retained): a worker device with a connectivity binary_sensor on the
/// availability topic, and per camera a device (via the worker) with a connectivity binary_sensor on its state topic and
/// one total_increasing sensor per line and direction. Unique ids derive from worker, camera and line names only, so
/// they stay the same across restarts.
/// </summary>
internal static class HomeAssistantDiscovery
{
    private const string Manufacturer = "HgCounter";

    public static IReadOnlyList<(string Topic, string Payload)> Configs(MqttTopics topics, IEnumerable<CameraOptions> cameras)
    {
        var configs = new List<(string, string)>();
        var worker = topics.Node;
        var workerDevice = new JsonObject
        {
            ["identifiers"] = new JsonArray(worker),
            ["name"] = $"HgCounter {topics.WorkerId}",
            ["manufacturer"] = Manufacturer,
            ["model"] = "HgCounter worker",
        };
        configs.Add((topics.Discovery("binary_sensor", "worker_online"), Entity(topics, workerDevice, $"{worker}_online", "Online", topics.Availability, new JsonObject
        {
            ["device_class"] = "connectivity",
            ["payload_on"] = MqttLink.Online,
            ["payload_off"] = MqttLink.Offline,
        })));

        foreach (var camera in cameras)
        {
            var cameraId = $"{worker}_{MqttTopics.Id(camera.Name)}";
            var cameraDevice = new JsonObject
            {
                ["identifiers"] = new JsonArray(cameraId),
                ["name"] = camera.Name,
                ["manufacturer"] = Manufacturer,
                ["model"] = "HgCounter camera",
                ["via_device"] = worker,
            };
            configs.Add((topics.Discovery("binary_sensor", $"{MqttTopics.Id(camera.Name)}_online"), Entity(topics, cameraDevice, $"{cameraId}_online", "Online", topics.CameraState(camera.Name), new JsonObject
            {
                ["device_class"] = "connectivity",
                // Degraded still delivers frames; starting, offline, reconnecting and finished do not.
                ["value_template"] = "{{ 'ON' if value in ['healthy', 'degraded'] else 'OFF' }}",
                ["payload_on"] = "ON",
                ["payload_off"] = "OFF",
            })));

            foreach (var line in camera.Lines)
            {
                foreach (var incoming in (bool[])[true, false])
                {
                    var direction = incoming ? "in" : "out";
                    var objectId = $"{MqttTopics.Id(camera.Name)}_{MqttTopics.Id(line.Name)}_{direction}";
                    configs.Add((topics.Discovery("sensor", objectId), Entity(topics, cameraDevice, $"{worker}_{objectId}", $"{line.Name} {direction}", topics.Total(camera.Name, line.Name, incoming), new JsonObject
                    {
                        // Totals start again from zero when the worker restarts: total_increasing reads a drop as a reset.
                        ["state_class"] = "total_increasing",
                        ["icon"] = incoming ? "mdi:account-arrow-right" : "mdi:account-arrow-left",
                    })));
                }
            }
        }

        return configs;
    }

    private static string Entity(MqttTopics topics, JsonObject device, string uniqueId, string name, string stateTopic, JsonObject extra)
    {
        var entity = new JsonObject
        {
            ["name"] = name,
            ["unique_id"] = uniqueId,
            ["state_topic"] = stateTopic,
            ["availability_topic"] = topics.Availability,
            ["payload_available"] = MqttLink.Online,
            ["payload_not_available"] = MqttLink.Offline,
            ["device"] = device.DeepClone(),
        };
        foreach (var (key, value) in extra)
        {
            entity[key] = value?.DeepClone();
        }

        return entity.ToJsonString();
    }
}
