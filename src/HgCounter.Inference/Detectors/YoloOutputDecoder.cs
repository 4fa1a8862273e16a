using System.Numerics;
using System.Runtime.InteropServices;
using HgCounter.Detection;
using HgCounter.Inference.Imaging;

namespace HgCounter.Inference.Detectors;

/// <summary>
/// Decodes the raw output of a YOLO model into detections: best class per candidate (among the allowed classes),
/// confidence threshold, class-aware greedy non-maximum suppression, and boxes mapped back to source pixels.
/// All working arrays are allocated once, so steady-state calls allocate nothing. Not thread-safe: one per stream.
/// </summary>
internal sealed class YoloOutputDecoder
{
    private readonly YoloOutputLayout _layout;
    private readonly int _classCount;
    private readonly int _candidateCount;
    private readonly string[] _labels;
    private readonly bool[] _allowed;
    private float _confidence; // lowered by Widen only
    private readonly float _nmsThreshold;
    private readonly int _maxDetections;

    private readonly float[] _bestScore;
    private readonly int[] _bestClass;
    private readonly float[] _sortKeys;
    private readonly int[] _order;
    private readonly float[] _left;
    private readonly float[] _top;
    private readonly float[] _right;
    private readonly float[] _bottom;
    private readonly int[] _class;
    private readonly float[] _score;
    private readonly bool[] _suppressed;

    /// <summary>Creates a decoder for one model.</summary>
    /// <param name="layout">Output layout of the model.</param>
    /// <param name="classNames">Class names by class id; their count is the model's class count.</param>
    /// <param name="candidateCount">Number of candidates (<c>N</c>) in one output.</param>
    /// <param name="allowedClasses">Class ids to report; null or empty reports all.</param>
    /// <param name="confidence">Minimum confidence (score, or objectness × class probability for YOLOv5).</param>
    /// <param name="nmsThreshold">IoU above which the weaker of two boxes of the same class is dropped.</param>
    /// <param name="maxDetections">Most detections reported per frame.</param>
    public YoloOutputDecoder(
        YoloOutputLayout layout,
        IReadOnlyList<string> classNames,
        int candidateCount,
        IReadOnlyCollection<int>? allowedClasses,
        float confidence,
        float nmsThreshold,
        int maxDetections = 300)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentOutOfRangeException.ThrowIfLessThan(classNames.Count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidateCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDetections, 1);
        _layout = layout;
        _classCount = classNames.Count;
        _candidateCount = candidateCount;
        _labels = [.. classNames.Select(string.Intern)];
        _allowed = new bool[_classCount];
        if (allowedClasses is not { Count: > 0 })
        {
            _allowed.AsSpan().Fill(true);
        }
        else
        {
            foreach (var c in allowedClasses)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(c, nameof(allowedClasses));
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(c, _classCount, nameof(allowedClasses));
                _allowed[c] = true;
            }
        }

        _confidence = confidence;
        _nmsThreshold = nmsThreshold;
        _maxDetections = maxDetections;
        _bestScore = new float[candidateCount];
        _bestClass = new int[candidateCount];
        _sortKeys = new float[candidateCount];
        _order = new int[candidateCount];
        _left = new float[candidateCount];
        _top = new float[candidateCount];
        _right = new float[candidateCount];
        _bottom = new float[candidateCount];
        _class = new int[candidateCount];
        _score = new float[candidateCount];
        _suppressed = new bool[candidateCount];
    }

    /// <summary>
    /// Lets through what another camera of the shared model keeps as well: <paramref name="classes"/> (null or empty: all)
    /// and confidences above <paramref name="confidence"/>. Only ever widens; each camera filters the result to its own
    /// settings. A worker decoding meanwhile sees either setting, never a torn one.
    /// </summary>
    public void Widen(IReadOnlyCollection<int>? classes, float confidence)
    {
        if (classes is not { Count: > 0 })
        {
            _allowed.AsSpan().Fill(true);
        }
        else
        {
            foreach (var c in classes)
            {
                _allowed[c] = true;
            }
        }

        if (confidence < Volatile.Read(ref _confidence))
        {
            Volatile.Write(ref _confidence, confidence);
        }
    }

    /// <summary>Number of floats one model output must have.</summary>
    public int OutputLength => _candidateCount * (_classCount + (_layout == YoloOutputLayout.V5 ? 5 : 4));

    /// <summary>Clears <paramref name="detections"/> and fills it from <paramref name="output"/>, best first.</summary>
    public void Decode(ReadOnlySpan<float> output, LetterboxTransform transform, List<ObjectDetection> detections)
    {
        ArgumentNullException.ThrowIfNull(detections);
        if (output.Length < OutputLength)
        {
            throw new ArgumentException($"Expected {OutputLength} output values, got {output.Length}.", nameof(output));
        }

        detections.Clear();
        var count = _layout == YoloOutputLayout.V8 ? CollectV8(output) : CollectV5(output);
        if (count == 0)
        {
            return;
        }

        // Descending by score: sort ascending on the negated score.
        MemoryExtensions.Sort(_sortKeys.AsSpan(0, count), _order.AsSpan(0, count));
        SuppressAndEmit(count, transform, detections);
    }

    private int CollectV8(ReadOnlySpan<float> output)
    {
        var n = _candidateCount;
        var best = _bestScore.AsSpan();
        var bestClass = _bestClass.AsSpan();
        best.Fill(float.NegativeInfinity);

        // Class rows are contiguous in this layout: a running max row by row reads memory in order and vectorises.
        // The best class is chosen among all classes and filtered afterwards (as Ultralytics does).
        for (var c = 0; c < _classCount; c++)
        {
            var row = output.Slice((4 + c) * n, n);
            var i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var classVector = new Vector<int>(c);
                var bestVectors = MemoryMarshal.Cast<float, Vector<float>>(best);
                var classVectors = MemoryMarshal.Cast<int, Vector<int>>(bestClass);
                var rowVectors = MemoryMarshal.Cast<float, Vector<float>>(row);
                for (var v = 0; v < rowVectors.Length; v++)
                {
                    var greater = Vector.GreaterThan(rowVectors[v], bestVectors[v]);
                    bestVectors[v] = Vector.ConditionalSelect(greater, rowVectors[v], bestVectors[v]);
                    classVectors[v] = Vector.ConditionalSelect(greater, classVector, classVectors[v]);
                }

                i = rowVectors.Length * Vector<float>.Count;
            }

            for (; i < n; i++)
            {
                if (row[i] > best[i])
                {
                    best[i] = row[i];
                    bestClass[i] = c;
                }
            }
        }

        var count = 0;
        var confidence = Volatile.Read(ref _confidence);
        var cx = output[..n];
        var cy = output.Slice(n, n);
        var w = output.Slice(2 * n, n);
        var h = output.Slice(3 * n, n);
        for (var i = 0; i < n; i++)
        {
            if (best[i] > confidence && _allowed[bestClass[i]])
            {
                Add(ref count, cx[i], cy[i], w[i], h[i], bestClass[i], best[i]);
            }
        }

        return count;
    }

    private int CollectV5(ReadOnlySpan<float> output)
    {
        var stride = 5 + _classCount;
        var count = 0;
        var threshold = Volatile.Read(ref _confidence);
        for (var i = 0; i < _candidateCount; i++)
        {
            var candidate = output.Slice(i * stride, stride);
            var objectness = candidate[4];

            // Class probabilities are at most 1, so a low objectness already rules the candidate out.
            if (objectness <= threshold)
            {
                continue;
            }

            var bestScore = float.NegativeInfinity;
            var bestClass = -1;
            for (var c = 0; c < _classCount; c++)
            {
                var score = candidate[5 + c];
                if (score > bestScore)
                {
                    bestScore = score;
                    bestClass = c;
                }
            }

            var confidence = objectness * bestScore;
            if (bestClass >= 0 && confidence > threshold && _allowed[bestClass])
            {
                Add(ref count, candidate[0], candidate[1], candidate[2], candidate[3], bestClass, confidence);
            }
        }

        return count;
    }

    private void Add(ref int count, float cx, float cy, float w, float h, int classId, float score)
    {
        var k = count++;
        _left[k] = cx - (w / 2);
        _top[k] = cy - (h / 2);
        _right[k] = cx + (w / 2);
        _bottom[k] = cy + (h / 2);
        _class[k] = classId;
        _score[k] = score;
        _sortKeys[k] = -score;
        _order[k] = k;
    }

    private void SuppressAndEmit(int count, LetterboxTransform transform, List<ObjectDetection> detections)
    {
        var suppressed = _suppressed.AsSpan(0, count);
        suppressed.Clear();
        for (var a = 0; a < count && detections.Count < _maxDetections; a++)
        {
            if (suppressed[a])
            {
                continue;
            }

            var i = _order[a];
            detections.Add(new ObjectDetection(
                transform.ToSource(_left[i], _top[i], _right[i], _bottom[i]), _class[i], _labels[_class[i]], _score[i]));

            var areaI = (_right[i] - _left[i]) * (_bottom[i] - _top[i]);
            for (var b = a + 1; b < count; b++)
            {
                var j = _order[b];
                if (suppressed[b] || _class[j] != _class[i])
                {
                    continue;
                }

                var iw = MathF.Min(_right[i], _right[j]) - MathF.Max(_left[i], _left[j]);
                var ih = MathF.Min(_bottom[i], _bottom[j]) - MathF.Max(_top[i], _top[j]);
                if (iw <= 0 || ih <= 0)
                {
                    continue;
                }

                var intersection = iw * ih;
                var areaJ = (_right[j] - _left[j]) * (_bottom[j] - _top[j]);
                if (intersection > _nmsThreshold * (areaI + areaJ - intersection))
                {
                    suppressed[b] = true;
                }
            }
        }
    }
}
