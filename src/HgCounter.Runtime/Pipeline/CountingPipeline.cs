using System.Runtime.InteropServices;
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

    /// <summary>The largest picture the detector uses (<see cref="IDetector.PreferredFrameSize"/>): the decoder delivers frames at most this large.</summary>
    public FrameSizeHint? PreferredFrameSize => _detector.PreferredFrameSize;

    /// <summary>Detections of the last processed frame, in the camera's coordinate pixels.</summary>
    public IReadOnlyList<ObjectDetection> LastDetections => _detections;

    /// <summary>Live tracks after the last processed frame.</summary>
    public IReadOnlyList<Track> LastTracks => _tracks;

    /// <summary>Totals per line.</summary>
    public IReadOnlyList<LineCount> GetCounts() => _counter.GetCounts();

    /// <summary>
    /// Runs one frame through detection, tracking and counting; appends crossings to <paramref name="events"/>. Boxes are
    /// mapped from the frame's pixels to the camera's coordinate pixels (where lines are) before tracking, so a frame the
    /// decoder scaled down counts as the full-size one would.
    /// </summary>
    /// <returns>Number of events appended.</returns>
    public int Process(Frame frame, List<CountEvent> events)
    {
        ArgumentNullException.ThrowIfNull(frame);
        _detector.Detect(frame, _detections);
        if (frame.IsScaled)
        {
            ToCoordinates(CollectionsMarshal.AsSpan(_detections), frame.CoordinateScaleX, frame.CoordinateScaleY);
        }

        _tracker.Update(_detections, _tracks);
        // The pipeline's own frame counter, not the source's sequence: sources restart at 0 after a reconnect.
        var sequence = Interlocked.Increment(ref _frames);
        return _counter.Update(_tracks, sequence, frame.Timestamp, events);
    }

    private static void ToCoordinates(Span<ObjectDetection> detections, float scaleX, float scaleY)
    {
        foreach (ref var detection in detections)
        {
            var box = detection.Box;
            detection = detection with { Box = new BoundingBox(box.X * scaleX, box.Y * scaleY, box.Width * scaleX, box.Height * scaleY) };
        }
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
