using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Frames;
using HgCounter.Inference.Counting;
using HgCounter.Inference.Tracking;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Testing;
using HgCounter.Tracking;

namespace HgCounter.Inference.Tests.Gating;

/// <summary>
/// One camera as the agent drives a pipelined detector: up to MaxInFlight frames in detection, each tracked and counted
/// in order when its detection completes.
/// </summary>
internal sealed class PipelinedCamera(IPipelinedDetector detector, Func<IFrameSource> openSource, IEnumerable<LineOptions> lines) : IDisposable
{
    private readonly ByteTracker _tracker = new();
    private readonly LineCounter _counter = new("cam", lines);
    private readonly List<Track> _tracks = [];
    private readonly List<LineCrossing> _crossings = [];

    public PipelinedCamera(IPipelinedDetector detector, SyntheticScene scene)
        : this(detector, () => new SyntheticFrameSource(scene, "cam", TimeProvider.System, realtime: false, pool: new FramePool(8)), scene.Lines)
    {
    }

    public int Frames { get; private set; }

    /// <summary>Every crossing counted so far, in frame order.</summary>
    public IReadOnlyList<LineCrossing> Crossings => _crossings;

    public (long In, long Out) Counts(string line = "door")
    {
        var count = _counter.GetCount(line);
        return (count.In, count.Out);
    }

    public async Task RunAsync()
    {
        var inFlight = new Queue<(Frame Frame, List<ObjectDetection> Detections, Task Pending)>();
        await using var source = openSource();
        await source.OpenAsync(TestContext.Timeout(30));
        while (await source.ReadAsync(TestContext.Timeout(30)) is { } frame)
        {
            if (inFlight.Count == detector.MaxInFlight)
            {
                await CompleteAsync(inFlight.Dequeue());
            }

            var detections = new List<ObjectDetection>();
            inFlight.Enqueue((frame, detections, detector.DetectAsync(frame, detections).AsTask()));
        }

        while (inFlight.Count > 0)
        {
            await CompleteAsync(inFlight.Dequeue());
        }
    }

    private async Task CompleteAsync((Frame Frame, List<ObjectDetection> Detections, Task Pending) item)
    {
        using (item.Frame)
        {
            await item.Pending;
            _tracker.Update(item.Detections, _tracks);
            _counter.Update(_tracks, item.Frame.Sequence, item.Frame.Timestamp, _crossings);
            Frames++;
        }
    }

    public void Dispose() => detector.Dispose();
}
