using HgCounter.Detection;

namespace HgCounter.Inference.Detectors;

/// <summary>
/// One camera's own classes and minimum confidence on a model it shares with cameras that keep more: the shared runs
/// decode with the widest settings of all of them, and each camera keeps only what it asked for. The decoder picks each
/// candidate's best class among all classes before filtering, so filtering afterwards gives the same detections as a
/// decoder set to this camera's settings alone.
/// </summary>
internal sealed class DetectionFilter
{
    private readonly bool[]? _allowed;

    /// <param name="classCount">Classes of the model.</param>
    /// <param name="classes">Class ids to keep; null or empty keeps all.</param>
    /// <param name="confidence">Confidence a detection must exceed.</param>
    public DetectionFilter(int classCount, IReadOnlyCollection<int>? classes, float confidence)
    {
        if (classes is { Count: > 0 })
        {
            _allowed = new bool[classCount];
            foreach (var c in classes)
            {
                _allowed[c] = true;
            }
        }

        Confidence = confidence;
        Classes = classes is { Count: > 0 } ? [.. classes] : null;
    }

    /// <summary>Class ids kept; null keeps all.</summary>
    public IReadOnlyList<int>? Classes { get; }

    /// <summary>Confidence a detection must exceed.</summary>
    public float Confidence { get; }

    public bool Accepts(in ObjectDetection detection) =>
        detection.Confidence > Confidence && (_allowed is null || ((uint)detection.ClassId < (uint)_allowed.Length && _allowed[detection.ClassId]));
}
