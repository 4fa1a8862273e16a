using System.Diagnostics.Metrics;
using HgCounter.Health;
using HgCounter.Reliability.Metrics;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Runtime.Tests.Agent;
using HgCounter.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HgCounter.Runtime.Tests.History;

/// <summary>
/// Every generated scene, each a camera of one agent: what the count history and the crossing counter
/// (<c>hgcounter_crossings_total</c>) hold per line, direction and class is exactly the scene's truth.
/// </summary>
public sealed class SceneHistoryAndMetricsTests
{
    private static readonly string SyntheticModel = Path.Combine(TestPaths.RepositoryRoot, "models", "synthetic-yolov8.onnx");

    [Theory]
    [InlineData("onnx")]
    [InlineData("motion")]
    public async Task Run_EveryGeneratedScene_HistoryAndMetricsHoldExactlyTheTruth(string detector)
    {
        // The motion detector learns people who stand still into the background: standing-group is the ONNX path's scene (docs/accuracy.md).
        var scenes = SyntheticScenes.Names.Where(n => detector == "onnx" || n != "standing-group").Order(StringComparer.Ordinal).ToList();
        scenes.Should().HaveCountGreaterThan(10, "every generated scene takes part");
        using var crossings = new CrossingCounter();
        var data = TestPaths.NewTempDirectory();
        await using var host = await AgentHost.StartAsync(data, o =>
        {
            foreach (var scene in scenes)
            {
                var camera = AgentHost.SceneCamera($"{detector}-{scene}", scene);
                camera.Detector = detector;
                o.Cameras.Add(camera);
            }

            o.Detectors.Onnx.ModelPath = SyntheticModel;
        });

        await host.Agent.Completion.WaitAsync(TestContext.Timeout(600));
        await host.WaitForAsync(s => scenes.All(n => AgentHost.Health(s, $"{detector}-{n}") == CameraHealth.Finished));

        var history = await host.Services.GetRequiredService<ICountHistory>()
            .QueryAsync(null, DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(2), CountBucketSize.Hour, TestContext.Timeout());
        foreach (var name in scenes)
        {
            var scene = SyntheticScenes.Get(name);
            var camera = $"{detector}-{name}";
            foreach (var line in scene.Lines)
            {
                var truth = scene.ExpectedCount(line);
                long Stored(string direction) => history.Where(r => r.Camera == camera && r.Target == line.Name && r.Direction == direction).Sum(r => r.Count);
                (Stored("In"), Stored("Out")).Should().Be((truth.In, truth.Out), $"the history of {camera} line {line.Name}");
                (crossings.Sum(camera, line.Name, "In"), crossings.Sum(camera, line.Name, "Out")).Should().Be((truth.In, truth.Out), $"hgcounter_crossings_total of {camera} line {line.Name}");
                if (detector == "onnx")
                {
                    foreach (var (label, count) in truth.ByClass)
                    {
                        long StoredOf(string direction) => history.Where(r => r.Camera == camera && r.Target == line.Name && r.Direction == direction && r.Class == label).Sum(r => r.Count);
                        (StoredOf("In"), StoredOf("Out")).Should().Be((count.In, count.Out), $"the history of {camera} line {line.Name} class {label}");
                    }
                }
            }
        }
    }

    /// <summary>The crossing counter's measurements, as a collector would add them up.</summary>
    private sealed class CrossingCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<(string Camera, string Line, string Direction), long> _sums = [];

        public CrossingCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == HgCounterMetrics.MeterName && instrument.Name == "hgcounter.crossings")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? camera = null, line = null, direction = null;
                foreach (var tag in tags)
                {
                    switch (tag.Key)
                    {
                        case "camera": camera = tag.Value?.ToString(); break;
                        case "line": line = tag.Value?.ToString(); break;
                        case "direction": direction = tag.Value?.ToString(); break;
                    }
                }

                lock (_sums)
                {
                    var key = (camera ?? string.Empty, line ?? string.Empty, direction ?? string.Empty);
                    _sums[key] = _sums.GetValueOrDefault(key) + value;
                }
            });
            _listener.Start();
        }

        public long Sum(string camera, string line, string direction)
        {
            lock (_sums)
            {
                return _sums.GetValueOrDefault((camera, line, direction));
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
