using HgCounter.Counting;
using HgCounter.Detection;
using HgCounter.Events;
using HgCounter.Frames;
using HgCounter.Inference.Counting;
using HgCounter.Tracking;

namespace HgCounter.Runtime.Pipeline;

/// <summary>
/// One camera's per-frame work: detect → track → count. Owns its detector; reuses its lists, so steady-state frames
/// allocate nothing (events, which are rare, are the exception). Not thread-safe: one camera loop drives it.
/// </summary>
public sealed class CountingPipeline : IDisposable
{
    private readonly IDetector _detector;
    private readonly ITracker _tracker;
    private readonly LineCounter _counter;
    private readonly List<ObjectDetection> _detections = new(256);
    private readonly List<Track> _tracks = new(256);
    private long _frames;

    /// <summary>Creates the pipeline; it owns and disposes <paramref name="detector"/>.</summary>
    public CountingPipeline(IDetector detector, ITracker tracker, LineCounter counter)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(counter);
        _detector = detector;
        _tracker = tracker;
        _counter = counter;
    }

    /// <summary>Frames processed since creation (monotonic across reconnects; it scopes event ids).</summary>
    public long FramesProcessed => Interlocked.Read(ref _frames);

    /// <summary>Detections of the last processed frame.</summary>
    public IReadOnlyList<ObjectDetection> LastDetections => _detections;

    /// <summary>Live tracks after the last processed frame.</summary>
    public IReadOnlyList<Track> LastTracks => _tracks;

    /// <summary>Totals per line.</summary>
    public IReadOnlyList<LineCount> GetCounts() => _counter.GetCounts();

    /// <summary>Runs one frame through detection, tracking and counting; appends crossings to <paramref name="events"/>.</summary>
    /// <returns>Number of events appended.</returns>
    public int Process(Frame frame, List<CountEvent> events)
    {
        ArgumentNullException.ThrowIfNull(frame);
        _detector.Detect(frame, _detections);
        _tracker.Update(_detections, _tracks);
        // The pipeline's own frame counter, not the source's sequence: sources restart at 0 after a reconnect.
        var sequence = Interlocked.Increment(ref _frames);
        return _counter.Update(_tracks, sequence, frame.Timestamp, events);
    }

    /// <summary>After a reconnect the scene may have changed: forget tracks and sides, keep totals.</summary>
    public void ResetTracks()
    {
        _tracker.Reset();
        _counter.ResetTracks();
    }

    /// <inheritdoc />
    public void Dispose() => _detector.Dispose();
}
