using System.Threading.Tasks.Sources;
using HgCounter.Detection;
using HgCounter.Frames;
using HgCounter.Inference.Gating;

namespace HgCounter.Inference.Scheduling;

/// <summary>
/// One frame's request to the <see cref="InferenceScheduler"/>, and the awaitable its camera waits on. A camera owns a
/// few of these and reuses them in turn, so a request allocates nothing.
/// </summary>
internal sealed class DetectionJob(IDetectionJobOwner owner) : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _completion = new() { RunContinuationsAsynchronously = true };

    public IDetectionJobOwner Owner { get; } = owner;

    public Frame? Frame { get; private set; }

    /// <summary>The caller's list, filled when the job completes.</summary>
    public List<ObjectDetection>? Output { get; private set; }

    public CropPlanKind Kind { get; set; }

    /// <summary>Model-input pixels per frame pixel for this job's tiles.</summary>
    public float Scale { get; set; }

    /// <summary>A whole frame at the letterbox scale: run alone, placed as the plain letterbox places it.</summary>
    public bool Letterboxed { get; set; }

    /// <summary>Rectangles of the frame to detect; one covering the frame for <see cref="CropPlanKind.FullFrame"/>.</summary>
    public List<CropTile> Tiles { get; } = new(32);

    /// <summary>Objects the model found in the tiles, in frame pixels.</summary>
    public List<ObjectDetection> Found { get; } = new(64);

    public long Sequence { get; private set; }

    public long EnqueuedAt { get; set; }

    /// <summary>Frames the scheduler had run when this job's run ended (its own included): the order it was served in.</summary>
    public long ServedAt { get; set; }

    public Exception? Error { get; set; }

    /// <summary>Set when the scheduler (or the owner, when nothing had to run) is done with the job.</summary>
    public bool Finished { get; set; }

    public bool InUse { get; private set; }

    public void Start(Frame frame, List<ObjectDetection> output, long sequence)
    {
        _completion.Reset();
        Frame = frame;
        Output = output;
        Sequence = sequence;
        Tiles.Clear();
        Found.Clear();
        Error = null;
        Letterboxed = false;
        Finished = false;
        InUse = true;
    }

    public ValueTask AsValueTask() => new(this, _completion.Version);

    /// <summary>Releases the caller: called by the owner in the order the jobs were started.</summary>
    public void Complete()
    {
        var error = Error;
        Frame = null;
        Output = null;
        InUse = false;
        if (error is null)
        {
            _completion.SetResult(true);
        }
        else
        {
            _completion.SetException(error);
        }
    }

    void IValueTaskSource.GetResult(short token) => _completion.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);
}
