using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Frames;
using HgCounter.Inference.Gating;
using HgCounter.Inference.Scheduling;

namespace HgCounter.Inference.Detectors;

/// <summary>
/// One camera's YOLO detector on a model shared through an <see cref="InferenceScheduler"/>, with motion gating
/// (<see cref="MotionGatingOptions"/>): each frame goes through the cheap <see cref="MotionGrid"/>; the model then
/// sees only crops around what moved (or the whole frame every <see cref="MotionGatingOptions.FullFrameEvery"/>
/// frames, or when much moved), or nothing at all. Objects in areas that did not change keep their last box, and are
/// looked at again every <see cref="MotionGatingOptions.RecheckEvery"/> frames. Up to <see cref="MaxInFlight"/> frames
/// may be in flight; results are combined and released strictly in frame order.
/// </summary>
internal sealed class GatedYoloDetector : IPipelinedDetector, IDetectionJobOwner
{
    private const float DuplicateIoU = 0.5f;
    private readonly InferenceScheduler _scheduler;
    private readonly DetectionFilter? _filter;
    private readonly MotionGatingOptions _gating;
    private readonly float _detectionScale;
    private readonly object _lane;
    private readonly DetectionJob[] _jobs;
    private readonly MotionGrid _motion;
    private readonly CropPlanner _planner;
    private readonly List<BoundingBox> _motionBoxes = new(64);
    private readonly List<BoundingBox> _crops = new(32);
    private readonly Lock _order = new();
    private List<HeldDetection> _held = new(64);
    private List<HeldDetection> _nextHeld = new(64);
    private readonly List<HeldDetection> _heldSnapshot = new(64);
    private long _started;
    private long _released;
    private long _sinceFullFrame = long.MaxValue / 2;
    private long _framesSkipped;
    private long _framesCropped;
    private long _framesFull;
    private long _lastServedAt;
    private bool _disposed;

    /// <param name="scheduler">The shared model's scheduler.</param>
    /// <param name="gating">Motion gating.</param>
    /// <param name="maxInFlight">Frames that may be in flight at once.</param>
    /// <param name="detectionScale">Size at which the model sees the picture, relative to the letterbox.</param>
    /// <param name="filter">This camera's own classes and confidence, when the scheduler's runs may keep more; null keeps what they find.</param>
    public GatedYoloDetector(InferenceScheduler scheduler, MotionGatingOptions gating, int maxInFlight, float detectionScale = 1, DetectionFilter? filter = null)
    {
        _filter = filter;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(detectionScale, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(detectionScale, 1);
        _detectionScale = detectionScale;
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(gating);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        _scheduler = scheduler;
        _gating = gating;
        _motion = new MotionGrid(gating.MotionCellSize, (float)gating.MotionThreshold, learningRate: 0.05f);
        _planner = new CropPlanner(gating);
        _jobs = new DetectionJob[maxInFlight];
        for (var i = 0; i < maxInFlight; i++)
        {
            _jobs[i] = new DetectionJob(this);
        }

        _lane = scheduler.AddLane();
    }

    public IReadOnlyList<string> ClassNames => _scheduler.Model.ClassNames;

    public int MaxInFlight => _jobs.Length;

    // The model never sees more than its input at DetectionScale, so larger frames are scaled down by the decoder.
    public FrameSizeHint? PreferredFrameSize => new FrameSizeHint(
        Math.Max(32, (int)MathF.Round(_scheduler.Model.InputWidth * _detectionScale)),
        Math.Max(32, (int)MathF.Round(_scheduler.Model.InputHeight * _detectionScale)));

    /// <summary>Frames for which the model did not run (nothing moved, nothing due for a re-check).</summary>
    public long FramesSkipped => Interlocked.Read(ref _framesSkipped);

    /// <summary>Frames detected through crops only.</summary>
    public long FramesCropped => Interlocked.Read(ref _framesCropped);

    /// <summary>Frames detected whole.</summary>
    public long FramesFull => Interlocked.Read(ref _framesFull);

    /// <summary>The scheduler's frame count when this camera's latest released frame was served: where it stood in the
    /// scheduler's order, independent of when its caller got round to the result.</summary>
    public long LastServedAt => Volatile.Read(ref _lastServedAt);

    // The first frame of the new connection learns the motion background again and is detected whole.
    public void StreamRestarted() => _motion.Reset();

    public void Detect(Frame frame, List<ObjectDetection> detections)
    {
        var pending = DetectAsync(frame, detections);
        if (!pending.IsCompleted)
        {
            pending.AsTask().GetAwaiter().GetResult();
            return;
        }

        pending.GetAwaiter().GetResult();
    }

    public ValueTask DetectAsync(Frame frame, List<ObjectDetection> detections)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(detections);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var job = _jobs[_started % _jobs.Length];
        if (job.InUse)
        {
            throw new InvalidOperationException($"More than {_jobs.Length} frames in flight: await earlier DetectAsync calls first.");
        }

        job.Start(frame, detections, _started++);
        var task = job.AsValueTask();
        var letterboxScale = MathF.Min((float)_scheduler.Model.InputWidth / frame.Width, (float)_scheduler.Model.InputHeight / frame.Height);
        job.Scale = letterboxScale * _detectionScale;
        job.Kind = Plan(frame, job.Scale);
        job.Letterboxed = job.Kind == CropPlanKind.FullFrame && _detectionScale >= 1;
        switch (job.Kind)
        {
            case CropPlanKind.None:
                Interlocked.Increment(ref _framesSkipped);
                OnJobFinished(job);
                break;
            case CropPlanKind.Crops:
                Interlocked.Increment(ref _framesCropped);
                foreach (var crop in _crops)
                {
                    job.Tiles.Add(new CropTile((int)crop.X, (int)crop.Y, (int)crop.Width, (int)crop.Height));
                }

                _scheduler.Enqueue(_lane, job);
                break;
            default:
                Interlocked.Increment(ref _framesFull);
                job.Tiles.Add(new CropTile(0, 0, frame.Width, frame.Height));
                _scheduler.Enqueue(_lane, job);
                break;
        }

        return task;
    }

    private CropPlanKind Plan(Frame frame, float scale)
    {
        if (!_gating.Enabled)
        {
            return CropPlanKind.FullFrame; // no motion stage either: nothing would read it
        }

        _motionBoxes.Clear();
        _motion.Find(frame.Pixels, frame.Width, frame.Height, _motionBoxes);
        // The periodic full pass counts frames with motion only: a scene where nothing moves costs nothing.
        if (_motionBoxes.Count > 0)
        {
            _sinceFullFrame++;
        }

        if (_sinceFullFrame >= _gating.FullFrameEvery)
        {
            _sinceFullFrame = 0;
            return CropPlanKind.FullFrame;
        }

        lock (_order)
        {
            _heldSnapshot.Clear();
            _heldSnapshot.AddRange(_held);
        }

        var kind = _planner.Plan(frame.Width, frame.Height, scale, _motionBoxes, _heldSnapshot, _crops);
        if (kind == CropPlanKind.FullFrame)
        {
            _sinceFullFrame = 0;
        }

        return kind;
    }

    // Scheduler thread (or the camera's, for a frame that needed no run). Jobs finish in any order; they are combined
    // with the held detections and released in the order they were started.
    public void OnJobFinished(DetectionJob job)
    {
        lock (_order)
        {
            job.Finished = true;
            while (true)
            {
                var head = _jobs[_released % _jobs.Length];
                if (!head.InUse || !head.Finished || head.Sequence != _released)
                {
                    return;
                }

                Combine(head);
                _released++;
                Volatile.Write(ref _lastServedAt, head.ServedAt);
                head.Complete();
            }
        }
    }

    // Under _order. New detections replace what was held inside the detected tiles; elsewhere held detections age by one.
    private void Combine(DetectionJob job)
    {
        var output = job.Output!;
        output.Clear();
        if (job.Error is not null)
        {
            return;
        }

        _nextHeld.Clear();
        if (job.Tiles.Count > 1)
        {
            RemoveDuplicates(job.Found);
        }

        foreach (var found in job.Found)
        {
            if (_filter is not null && !_filter.Accepts(found))
            {
                continue;
            }

            output.Add(found);
            _nextHeld.Add(new HeldDetection(found, 0, IsStill(found)));
        }

        if (job.Kind != CropPlanKind.FullFrame)
        {
            foreach (var held in _held)
            {
                if (held.IsStill && !InsideAnyTile(held.Detection.Box.Center, job.Tiles))
                {
                    output.Add(held.Detection);
                    _nextHeld.Add(held with { Age = held.Age + 1 });
                }
            }
        }

        (_held, _nextHeld) = (_nextHeld, _held);
    }

    // Under _order. Moving means the previous result had this object (same class, overlapping) at a clearly different
    // box. An object seen for the first time counts as still: had it moved, the next frame's motion would show it.
    private bool IsStill(ObjectDetection found)
    {
        var best = 0f;
        foreach (var held in _held)
        {
            if (held.Detection.ClassId == found.ClassId)
            {
                best = MathF.Max(best, held.Detection.Box.IoU(found.Box));
            }
        }

        return best == 0 || best >= HeldDetection.StillIoU;
    }

    // Crops may overlap: an object seen whole in two of them is kept once, the more confident box first.
    private static void RemoveDuplicates(List<ObjectDetection> found)
    {
        for (var i = 0; i < found.Count; i++)
        {
            for (var j = found.Count - 1; j > i; j--)
            {
                if (found[i].ClassId == found[j].ClassId && found[i].Box.IoU(found[j].Box) > DuplicateIoU)
                {
                    if (found[j].Confidence > found[i].Confidence)
                    {
                        found[i] = found[j];
                    }

                    found.RemoveAt(j);
                }
            }
        }
    }

    private static bool InsideAnyTile(Point2 point, List<CropTile> tiles)
    {
        foreach (var tile in tiles)
        {
            if (tile.SourceContains(point.X, point.Y))
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _scheduler.RemoveLane(_lane);
    }
}
