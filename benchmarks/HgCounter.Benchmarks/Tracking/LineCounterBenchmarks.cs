using BenchmarkDotNet.Attributes;
using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Inference.Counting;
using HgCounter.Tracking;

namespace HgCounter.Benchmarks.Tracking;

/// <summary>
/// One line-counter update per invocation: 100 confirmed tracks walking back and forth near a door line (steady state,
/// no crossings). Baseline: a supervision-style LineZone in LINQ (four box corners per
/// track, a side dictionary, lists per frame).
/// </summary>
[MemoryDiagnoser]
public class LineCounterBenchmarks
{
    private const int FrameCount = 64;
    private const int TrackCount = 100;
    private readonly List<LineCrossing> _crossings = [];
    private List<Track>[] _frames = [];
    private LineCounter _counter = null!;
    private NaiveLineZone _naive = null!;
    private int _frame;

    [GlobalSetup]
    public void Setup()
    {
        _frames = new List<Track>[FrameCount];
        for (var f = 0; f < FrameCount; f++)
        {
            _frames[f] = new List<Track>(TrackCount);
            var offset = f < FrameCount / 2 ? f : FrameCount - f;
            for (var i = 0; i < TrackCount; i++)
            {
                // Left half of the tracks stay left of x = 320, the others stay right of it.
                var x = (i % 2 == 0 ? 200 : 360) + offset;
                _frames[f].Add(new Track(i + 1, new BoundingBox(x, (i / 2) * 7, 32, 64), 0, "person", 0.9f, true, 10, 0));
            }
        }

        var door = new LineOptions { Name = "door", Start = [320, 0], End = [320, 360] };
        _counter = new LineCounter("cam1", [door]);
        _naive = new NaiveLineZone(new Point2(320, 0), new Point2(320, 360));
        for (var f = 0; f < FrameCount; f++)
        {
            _counter.Update(_frames[f], f, DateTimeOffset.UnixEpoch, _crossings);
            _naive.Trigger(_frames[f]);
        }
    }

    [Benchmark(Baseline = true)]
    public int NaiveLinq() => _naive.Trigger(_frames[Next()]);

    [Benchmark]
    public int LineCounter() => _counter.Update(_frames[Next()], _frame, DateTimeOffset.UnixEpoch, _crossings);

    private int Next() => _frame = (_frame + 1) % FrameCount;

    private sealed class NaiveLineZone(Point2 start, Point2 end)
    {
        private readonly Dictionary<long, bool> _side = [];

        public int In { get; private set; }

        public int Out { get; private set; }

        public int Trigger(List<Track> tracks)
        {
            var crossed = 0;
            foreach (var t in tracks.Where(t => t.IsConfirmed).ToList())
            {
                Point2[] corners = [new(t.Box.X, t.Box.Y), new(t.Box.Right, t.Box.Y), new(t.Box.X, t.Box.Bottom), new(t.Box.Right, t.Box.Bottom)];
                var sides = corners.Select(c => Point2.Cross(end - start, c - start) > 0).Distinct().ToList();
                if (sides.Count != 1)
                {
                    continue;
                }

                if (_side.TryGetValue(t.Id, out var previous) && previous != sides[0])
                {
                    crossed++;
                    if (sides[0])
                    {
                        Out++;
                    }
                    else
                    {
                        In++;
                    }
                }

                _side[t.Id] = sides[0];
            }

            return crossed;
        }
    }
}
