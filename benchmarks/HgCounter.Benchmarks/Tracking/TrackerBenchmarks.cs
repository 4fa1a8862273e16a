using BenchmarkDotNet.Attributes;
using HgCounter.Detection;
using HgCounter.Inference.Tracking;
using HgCounter.Tracking;

namespace HgCounter.Benchmarks.Tracking;

/// <summary>
/// One tracker update per invocation with N people walking back and forth in a grid (steady state: no births, no deaths).
/// Baseline: a straightforward LINQ tracker (best-IoU search per track, new lists per frame).
/// </summary>
[MemoryDiagnoser]
public class TrackerBenchmarks
{
    private const int FrameCount = 64;
    private List<ObjectDetection>[] _frames = [];
    private readonly List<Track> _tracks = new(128);
    private ByteTracker _tracker = new();
    private NaiveTracker _naive = new();
    private int _frame;

    [Params(10, 100)]
    public int Objects { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _frames = new List<ObjectDetection>[FrameCount];
        for (var f = 0; f < FrameCount; f++)
        {
            _frames[f] = new List<ObjectDetection>(Objects);
            var offset = f < FrameCount / 2 ? f * 2 : (FrameCount - f) * 2;
            for (var i = 0; i < Objects; i++)
            {
                var box = new BoundingBox(((i % 10) * 70) + offset, (i / 10) * 90, 32, 64);
                _frames[f].Add(new ObjectDetection(box, 0, "person", i % 4 == 0 ? 0.3f : 0.9f));
            }
        }

        _tracker = new ByteTracker();
        _naive = new NaiveTracker();
        for (var f = 0; f < FrameCount; f++)
        {
            _tracker.Update(_frames[f], _tracks);
            _naive.Update(_frames[f]);
        }
    }

    [Benchmark(Baseline = true)]
    public int NaiveLinq() => _naive.Update(_frames[Next()]).Count;

    [Benchmark]
    public int ByteTrack()
    {
        _tracker.Update(_frames[Next()], _tracks);
        return _tracks.Count;
    }

    private int Next() => _frame = (_frame + 1) % FrameCount;

    // What one would write first: greedy best match per track with LINQ, fresh collections every frame.
    private sealed class NaiveTracker
    {
        private List<(long Id, BoundingBox Box, int Hits, int Missed)> _tracks = [];
        private long _nextId = 1;

        public List<(long Id, BoundingBox Box, int Hits, int Missed)> Update(List<ObjectDetection> detections)
        {
            var used = new HashSet<int>();
            var next = new List<(long Id, BoundingBox Box, int Hits, int Missed)>();
            foreach (var t in _tracks.OrderByDescending(t => t.Hits))
            {
                var best = detections
                    .Select((d, i) => (d, i, IoU: t.Box.IoU(d.Box)))
                    .Where(x => !used.Contains(x.i) && x.IoU >= 0.2f)
                    .OrderByDescending(x => x.IoU)
                    .FirstOrDefault();
                if (best.IoU > 0)
                {
                    used.Add(best.i);
                    next.Add((t.Id, best.d.Box, t.Hits + 1, 0));
                }
                else if (t.Missed < 30)
                {
                    next.Add((t.Id, t.Box, t.Hits, t.Missed + 1));
                }
            }

            next.AddRange(detections.Where((d, i) => !used.Contains(i) && d.Confidence >= 0.5f).Select(d => (_nextId++, d.Box, 1, 0)));
            _tracks = next;
            return next;
        }
    }
}
