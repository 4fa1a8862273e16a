using System.Diagnostics.Metrics;
using System.Text.Json;
using HgCounter.Configuration;
using HgCounter.Health;
using HgCounter.Reliability.Metrics;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace HgCounter.Runtime.Tests.Agent;

/// <summary>A generated zone scene through the whole agent: the events in the sink, the count history and the metrics match the scene's truth.</summary>
public sealed class ZoneAgentTests(ITestOutputHelper output)
{
    private static readonly string SyntheticModel = Path.Combine(TestPaths.RepositoryRoot, "models", "synthetic-yolov8.onnx");

    [Theory]
    [InlineData("motion", "object", 0.5)]
    [InlineData("onnx", "person", 0.3)]
    public async Task Run_ZoneScene_EventsHistoryAndMetricsMatchTheTruth(string detector, string label, double dwellTolerance)
    {
        var scene = SyntheticScenes.Get("zone-visits");
        var zone = scene.Zones.Single();
        var truth = scene.ExpectedVisits(zone);
        truth.Should().HaveCount(3, "the scene is built for three visits");
        var camera = $"zones-{detector}";
        var data = TestPaths.NewTempDirectory();
        var jsonl = Path.Combine(data, "events.jsonl");
        using var metrics = new ZoneMetrics(camera);
        await using var host = await AgentHost.StartAsync(data, o =>
        {
            var options = AgentHost.SceneCamera(camera, "zone-visits");
            options.Detector = detector;
            o.Cameras.Add(options);
            o.Detectors.Onnx.ModelPath = SyntheticModel;
            o.Events.Sinks.Add(new JsonlSinkOptions { Type = "jsonl", Path = jsonl });
        });

        await host.Agent.Completion.WaitAsync(TestContext.Timeout(120));
        var status = await host.WaitForAsync(s => s.PendingEvents == 0 && AgentHost.Health(s, camera) == CameraHealth.Finished);

        var events = File.ReadAllLines(jsonl).Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.GetProperty("kind").GetString() != "crossing").ToList();
        foreach (var e in events)
        {
            output.WriteLine(e.GetRawText());
        }

        // Exactly the true visits: an enter and an exit each (the bobbing one too), one loiter for the one that stayed 14 s.
        events.Should().OnlyContain(e => e.GetProperty("zone").GetString() == "queue" && e.GetProperty("line").GetString() == "queue" && e.GetProperty("label").GetString() == label);
        events.Select(e => e.GetProperty("kind").GetString()).Should().BeEquivalentTo(["zone-enter", "zone-exit", "zone-enter", "loiter", "zone-exit", "zone-enter", "zone-exit"]);
        var dwells = events.Where(e => e.GetProperty("kind").GetString() == "zone-exit").Select(e => e.GetProperty("dwell_seconds").GetDouble()).ToList();
        var trueDwells = truth.Select(v => v.Dwell!.Value.TotalSeconds).ToList();
        dwells.Should().HaveCount(3);
        for (var i = 0; i < trueDwells.Count; i++)
        {
            dwells[i].Should().BeApproximately(trueDwells[i], dwellTolerance, $"visit {i} lasted {trueDwells[i]} s");
        }

        var occupancy = status.Cameras.Single().Zones.Should().ContainSingle().Subject;
        (occupancy.Zone, occupancy.Count).Should().Be(("queue", 0), "everyone has left at the end");

        var history = await host.Services.GetRequiredService<ICountHistory>().QueryAsync(camera, DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(2), CountBucketSize.Day, TestContext.Timeout());
        long Counted(string kind) => history.Where(r => r.Target == "queue" && r.Direction == kind && r.Class == label).Sum(r => r.Count);
        (Counted("zone-enter"), Counted("zone-exit"), Counted("loiter")).Should().Be((3L, 3L, 1L));

        metrics.Events("zone-enter", label).Should().Be(3);
        metrics.Events("zone-exit", label).Should().Be(3);
        metrics.Events("loiter", label).Should().Be(1);
        var gauge = metrics.Occupancy(label);
        gauge.Max().Should().Be(1, "the visits never overlap");
        gauge[^1].Should().Be(0, "the last one has left");
    }

    /// <summary>The zone instruments of one camera, as a collector would see them.</summary>
    private sealed class ZoneMetrics : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string Instrument, long Value, Dictionary<string, string?> Tags)> _measurements = [];

        public ZoneMetrics(string camera)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == HgCounterMetrics.MeterName && instrument.Name.StartsWith("hgcounter.zone.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
            {
                var byKey = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var tag in tags)
                {
                    byKey[tag.Key] = tag.Value?.ToString();
                }

                if (byKey.GetValueOrDefault("camera") == camera)
                {
                    lock (_measurements)
                    {
                        _measurements.Add((instrument.Name, value, byKey));
                    }
                }
            }

            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
            _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
            _listener.Start();
        }

        public long Events(string kind, string label)
        {
            lock (_measurements)
            {
                return _measurements.Where(m => m.Instrument == "hgcounter.zone.events" && m.Tags["zone"] == "queue" && m.Tags["kind"] == kind && m.Tags["class"] == label).Sum(m => m.Value);
            }
        }

        public IReadOnlyList<long> Occupancy(string label)
        {
            lock (_measurements)
            {
                return [.. _measurements.Where(m => m.Instrument == "hgcounter.zone.occupancy" && m.Tags["zone"] == "queue" && m.Tags["class"] == label).Select(m => m.Value)];
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
