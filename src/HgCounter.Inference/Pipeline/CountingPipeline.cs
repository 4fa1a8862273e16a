using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HgCounter.Counting;
using HgCounter.Detection;
using HgCounter.Frames;
using HgCounter.Inference.Counting;
using HgCounter.Tracking;

namespace HgCounter.Counting;

/// <summary>
/// One camera's per-frame work: detect → track → count, reporting <see cref="LineCrossing"/>s (the agent turns them into
/// count events and stores them; a host of its own can use them as they are). Owns its detector; reuses its lists, so
/// steady-state frames allocate nothing. With an <see cref="IPipelinedDetector"/> several
/// frames can be in detection at once (<see cref="SubmitAsync"/>), while tracking and counting still see every frame
/// in order. Not thread-safe: one camera loop drives it.
/// </summary>
public sealed class CountingPipeline : IDisposable
{
    private readonly IDetector _detector;
    private readonly IPipelinedDetector? _pipelined;
    private readonly ITracker _tracker;
    private readonly LineCounter _counter;
    private readonly List<ObjectDetection> _detections = new(256);
    private readonly List<Track> _tracks = new(256);
    private readonly Queue<InFlightFrame> _inFlight = new(16);
    private readonly Stack<List<ObjectDetection>> _freeLists = new(16);
    private long _frames;

    /// <summary>Creates the pipeline; it owns and disposes <paramref name="detector"/>.</summary>
    public CountingPipeline(IDetector detector, ITracker tracker, LineCounter counter)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(counter);
        _detector = detector;
        _pipelined = detector as IPipelinedDetector;
        _tracker = tracker;
        _counter = counter;
    }

    /// <summary>Frames processed since creation (monotonic across reconnects; it numbers the crossings, from which the agent derives event ids).</summary>
    public long FramesProcessed => Interlocked.Read(ref _frames);

    /// <summary>The detector, owned by this pipeline.</summary>
    public IDetector Detector => _detector;

    /// <summary>Frames submitted whose detection has not been tracked and counted yet.</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>The largest picture the detector uses (<see cref="IDetector.PreferredFrameSize"/>): the decoder delivers frames at most this large.</summary>
    public FrameSizeHint? PreferredFrameSize => _detector.PreferredFrameSize;

    /// <summary>Detections of the last processed frame, in the camera's coordinate pixels.</summary>
    public IReadOnlyList<ObjectDetection> LastDetections => _detections;

    /// <summary>Live tracks after the last processed frame.</summary>
    public IReadOnlyList<Track> LastTracks => _tracks;

    /// <summary>
    /// Called on the camera loop after each frame has been tracked and counted, before the frame is released, with the
    /// frame and its tracks (the agent's snapshot hand-over). Must not block.
    /// </summary>
    internal Action<Frame, IReadOnlyList<Track>>? FrameCounted { get; set; }

    /// <summary>Totals per line.</summary>
    public IReadOnlyList<LineCount> GetCounts() => _counter.GetCounts();

    /// <summary>Runs one frame through detection, tracking and counting; appends its crossings to <paramref name="crossings"/>.</summary>
    /// <returns>Number of crossings appended.</returns>
    public int Process(Frame frame, List<LineCrossing> crossings)
    {
        ArgumentNullException.ThrowIfNull(frame);
        _detector.Detect(frame, _detections);
        return TrackAndCount(frame, _detections, crossings);
    }

    /// <summary>
    /// Hands <paramref name="frame"/> to the detector and takes ownership of it (it is disposed once counted). When the
    /// detector already holds as many frames as it can, first waits for the oldest and tracks and counts it, appending
    /// its crossings to <paramref name="crossings"/>. A detector that is not pipelined processes the frame at once.
    /// </summary>
    /// <returns>Number of crossings appended.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> SubmitAsync(Frame frame, List<LineCrossing> crossings)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (_pipelined is null)
        {
            using (frame)
            {
                return Process(frame, crossings);
            }
        }

        var appended = 0;
        if (_inFlight.Count >= _pipelined.MaxInFlight)
        {
            try
            {
                appended = await CompleteOldestAsync(crossings);
            }
            catch
            {
                frame.Dispose();
                throw;
            }
        }

        var detections = _freeLists.Count > 0 ? _freeLists.Pop() : new List<ObjectDetection>(64);
        ValueTask pending;
        try
        {
            pending = _pipelined.DetectAsync(frame, detections);
        }
        catch
        {
            frame.Dispose();
            _freeLists.Push(detections);
            throw;
        }

        _inFlight.Enqueue(new InFlightFrame(frame, detections, pending));
        return appended;
    }

    /// <summary>Tracks and counts every frame still in detection, in order.</summary>
    /// <returns>Number of crossings appended.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> DrainAsync(List<LineCrossing> crossings)
    {
        var appended = 0;
        while (_inFlight.Count > 0)
        {
            appended += await CompleteOldestAsync(crossings);
        }

        return appended;
    }

    /// <summary>Waits for the frames still in detection and releases them without counting (after a detection failure).</summary>
    public async ValueTask AbandonAsync()
    {
        while (_inFlight.Count > 0)
        {
            var item = _inFlight.Dequeue();
            try
            {
                await item.Pending;
            }
#pragma warning disable CA1031 // The frames are given up; their failure was already reported by the one that failed first.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
            finally
            {
                Release(item);
            }
        }
    }

    private async ValueTask<int> CompleteOldestAsync(List<LineCrossing> crossings)
    {
        var item = _inFlight.Dequeue();
        try
        {
            await item.Pending;
            return TrackAndCount(item.Frame, item.Detections, crossings);
        }
        finally
        {
            Release(item);
        }
    }

    private void Release(InFlightFrame item)
    {
        item.Frame.Dispose();
        _freeLists.Push(item.Detections);
    }

    private int TrackAndCount(Frame frame, List<ObjectDetection> detections, List<LineCrossing> crossings)
    {
        if (!ReferenceEquals(detections, _detections))
        {
            _detections.Clear();
            _detections.AddRange(detections);
        }

        // A frame the decoder scaled down counts as the full-size one would: boxes go to the camera's coordinate pixels,
        // where the lines are.
        if (frame.IsScaled)
        {
            ToCoordinates(CollectionsMarshal.AsSpan(_detections), frame.CoordinateScaleX, frame.CoordinateScaleY);
        }

        _tracker.Update(_detections, _tracks);
        // The pipeline's own frame counter, not the source's sequence: sources restart at 0 after a reconnect.
        var sequence = Interlocked.Increment(ref _frames);
        var appended = _counter.Update(_tracks, sequence, frame.Timestamp, crossings);
        FrameCounted?.Invoke(frame, _tracks);
        return appended;
    }

    private static void ToCoordinates(Span<ObjectDetection> detections, float scaleX, float scaleY)
    {
        foreach (ref var detection in detections)
        {
            var box = detection.Box;
            detection = detection with { Box = new BoundingBox(box.X * scaleX, box.Y * scaleY, box.Width * scaleX, box.Height * scaleY) };
        }
    }

    /// <summary>
    /// After a reconnect the scene may have changed: forget tracks and sides and let the detector learn the scene again
    /// (<see cref="IDetector.StreamRestarted"/>); totals stay.
    /// </summary>
    public void ResetTracks()
    {
        _detector.StreamRestarted();
        _tracker.Reset();
        _counter.ResetTracks();
    }

    /// <inheritdoc />
    public void Dispose() => _detector.Dispose();

    private readonly record struct InFlightFrame(Frame Frame, List<ObjectDetection> Detections, ValueTask Pending);
}
