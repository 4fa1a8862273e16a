using BenchmarkDotNet.Attributes;
using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Frames;
using HgCounter.Snapshots;
using HgCounter.Tracking;
using OpenCvSharp;

namespace HgCounter.Benchmarks.Snapshots;

/// <summary>
/// What snapshots cost at 720p: the camera loop's per-frame check while nobody asks (must allocate nothing), one
/// request's hand-over (the loop's copy plus the reader's copy out), and the overlay and JPEG encoding off the loop.
/// </summary>
[MemoryDiagnoser]
public class SnapshotBenchmarks
{
    private readonly SnapshotSlot _idle = new(TimeProvider.System);
    // A clock that moves a second at every read: each request finds the last copy too old and asks the loop again.
    private readonly SnapshotSlot _asked = new(new AdvancingClock());
    private readonly Track[] _tracks = [.. Enumerable.Range(0, 8).Select(i => new Track(i, new BoundingBox(100 + (i * 120), 300, 60, 160), 0, "person", 0.9f, true, 10, 0))];
    private readonly CameraOptions _camera = new() { Name = "bench", Url = "synthetic:demo" };
    private Frame _frame = null!;
    private SnapshotCapture _capture = null!;

    [GlobalSetup]
    public void Setup()
    {
        _frame = Frame.CreateUnpooled(1280, 720);
        new Random(1).NextBytes(_frame.Pixels);
        _camera.Lines.Add(new LineOptions { Name = "door", Start = [640, 0], End = [640, 720] });
        _camera.Zones.Add(new ZoneOptions { Name = "queue", Points = [[80, 400], [500, 400], [500, 700], [80, 700]] });
        using var image = Mat.FromPixelData(720, 1280, MatType.CV_8UC3, _frame.Buffer);
        _capture = new SnapshotCapture(image.Clone(), 1280, 720, _tracks, DateTimeOffset.UnixEpoch);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _capture.Dispose();
        _frame.Dispose();
    }

    /// <summary>The camera loop's cost on every frame while no snapshot is requested.</summary>
    [Benchmark(Baseline = true)]
    public void Offer_NobodyAsks() => _idle.Offer(_frame, _tracks);

    /// <summary>One request answered by the loop: the flag, the loop's copy of the frame and tracks, the reader's own copy.</summary>
    [Benchmark]
    public async Task TakeAsync_LoopHandsOver720p()
    {
        var taking = _asked.TakeAsync(TimeSpan.FromSeconds(5), live: true, CancellationToken.None);
        _asked.Offer(_frame, _tracks);
        using var capture = await taking;
    }

    /// <summary>Drawing lines, a zone and eight tracks and encoding the JPEG (quality 80), on the requester's thread.</summary>
    [Benchmark]
    public int Render720pWithOverlay() => SnapshotRenderer.Render("bench", _capture, _camera, null, new SnapshotOptions()).Jpeg.Length;

    private sealed class AdvancingClock : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UnixEpoch;

        public override DateTimeOffset GetUtcNow() => _now = _now.AddSeconds(1);
    }
}
