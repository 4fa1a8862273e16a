using BenchmarkDotNet.Attributes;
using HgCounter.Detection;
using HgCounter.Inference.Detectors;
using HgCounter.Inference.Imaging;

namespace HgCounter.Benchmarks.Inference;

/// <summary>
/// Decoding a YOLO11n-sized output ([1, 84, 8400]) with 100 or 2000 candidates above the threshold, then class-aware NMS:
/// <see cref="YoloOutputDecoder"/> (preallocated arrays) against a typical loop + LINQ implementation.
/// </summary>
[MemoryDiagnoser]
public class YoloDecodeBenchmarks
{
    private const int Classes = 80;
    private const int N = 8400;
    private const float Confidence = 0.25f;
    private const float NmsThreshold = 0.45f;
    private static readonly LetterboxTransform Transform = new(0.5f, 0, 140, 1280, 720);
    private readonly List<ObjectDetection> _detections = new(300);
    private float[] _output = [];
    private string[] _names = [];
    private YoloOutputDecoder _decoder = null!;

    [Params(100, 2000)]
    public int Candidates { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _names = [.. Enumerable.Range(0, Classes).Select(i => "class" + i)];
        _output = new float[(4 + Classes) * N];
        for (var i = 0; i < N; i++)
        {
            // Background candidates: small scores on every class.
            for (var c = 0; c < Classes; c++)
            {
                _output[((4 + c) * N) + i] = (float)(random.NextDouble() * 0.1);
            }
        }

        // Strong candidates come in clusters of 5 overlapping boxes around one object, as real heads produce them.
        for (var k = 0; k < Candidates; k++)
        {
            var i = random.Next(N);
            var cluster = k / 5;
            var clusterRandom = new Random(cluster);
            var cx = 40 + (float)(clusterRandom.NextDouble() * 560);
            var cy = 40 + (float)(clusterRandom.NextDouble() * 560);
            var cls = clusterRandom.Next(4);
            _output[i] = cx + random.Next(-3, 4);
            _output[N + i] = cy + random.Next(-3, 4);
            _output[(2 * N) + i] = 40;
            _output[(3 * N) + i] = 80;
            _output[((4 + cls) * N) + i] = 0.3f + (float)(random.NextDouble() * 0.7);
        }

        _decoder = new YoloOutputDecoder(YoloOutputLayout.V8, _names, N, null, Confidence, NmsThreshold);
    }

    [Benchmark(Baseline = true)]
    public List<ObjectDetection> LinqNms()
    {
        var candidates = new List<(BoundingBox Box, int Class, float Score)>();
        for (var i = 0; i < N; i++)
        {
            var best = Enumerable.Range(0, Classes).Select(c => (Class: c, Score: _output[((4 + c) * N) + i])).MaxBy(x => x.Score);
            if (best.Score > Confidence)
            {
                float cx = _output[i], cy = _output[N + i], w = _output[(2 * N) + i], h = _output[(3 * N) + i];
                candidates.Add((new BoundingBox(cx - (w / 2), cy - (h / 2), w, h), best.Class, best.Score));
            }
        }

        var remaining = candidates.OrderByDescending(c => c.Score).ToList();
        var kept = new List<ObjectDetection>();
        while (remaining.Count > 0 && kept.Count < 300)
        {
            var top = remaining[0];
            kept.Add(new ObjectDetection(
                Transform.ToSource(top.Box.X, top.Box.Y, top.Box.Right, top.Box.Bottom), top.Class, _names[top.Class], top.Score));
            remaining = [.. remaining.Skip(1).Where(c => c.Class != top.Class || c.Box.IoU(top.Box) <= NmsThreshold)];
        }

        return kept;
    }

    [Benchmark]
    public List<ObjectDetection> YoloOutputDecoder()
    {
        _decoder.Decode(_output, Transform, _detections);
        return _detections;
    }
}
