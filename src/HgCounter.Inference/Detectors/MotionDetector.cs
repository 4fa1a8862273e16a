using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Frames;
using HgCounter.Inference.Imaging;
using OpenCvSharp;
using OpenCvSharp.Internal;

namespace HgCounter.Inference.Detectors;

/// <summary>
/// Finds moving objects without a model: OpenCV MOG2 background subtraction (shadows detected and dropped),
/// an opening to remove speckle and a closing to fill objects, then connected components → boxes (in the frame's pixels)
/// of at least <see cref="MotionDetectorOptions.MinArea"/> source pixels (the camera's coordinate pixels, also when the
/// decoder delivered a smaller frame). Frames wider than <see cref="WorkingWidth"/> are downscaled first (motion needs no
/// detail, and MOG2 cost grows with pixels), which is also the size it asks the decoder for. One instance per camera: it learns
/// that camera's background. It reports nothing while the model learns (<see cref="MotionDetectorOptions.WarmupFrames"/>:
/// at start, after <see cref="StreamRestarted"/> and after the whole picture changed at once). Every Mat is allocated once
/// and reused; steady-state calls allocate nothing.
/// </summary>
internal sealed class MotionDetector : IDetector
{
    /// <summary>Widest image the background model works on; wider frames are scaled down to it.</summary>
    public const int WorkingWidth = 640;

    private const double ForegroundThreshold = 200; // MOG2 marks shadows 127 and foreground 255

    private readonly MotionDetectorOptions _options;
    private readonly string _label;
    private readonly string[] _classNames;
    private readonly FrameMatCache _frames = new();
    private BackgroundSubtractorMOG2 _background;
    private int _framesLearned;
    private readonly double _steadyLearningRate;
    private readonly Mat _kernel;
    private readonly Mat _small = new();
    private readonly Mat _mask = new();
    private readonly Mat _clean = new();
    private readonly Mat _labels = new();
    private readonly Mat _stats = new();
    private readonly Mat _centroids = new();
    private readonly InputArray _kernelIn;
    private readonly InputArray _smallIn;
    private readonly InputArray _maskIn;
    private readonly InputArray _cleanIn;

    // OpenCvSharp's OutputArray wrappers dispose themselves after every call (OutputArray.Fix), so the safe API would
    // allocate new ones per frame; these native cv::_OutputArray handles are made once and deleted in Dispose.
    private readonly IntPtr _smallOut;
    private readonly IntPtr _maskOut;
    private readonly IntPtr _cleanOut;
    private readonly IntPtr _labelsOut;
    private readonly IntPtr _statsOut;
    private readonly IntPtr _centroidsOut;
    private bool _disposed;

    /// <summary>Creates a motion detector with its own background model.</summary>
    public MotionDetector(MotionDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _label = string.Intern(string.IsNullOrWhiteSpace(options.Label) ? "object" : options.Label);
        _classNames = [_label];
        _background = CreateBackground(options);
        _steadyLearningRate = 1.0 / options.History;
        _kernel = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(5, 5));
        _kernelIn = InputArray.Create(_kernel);
        _smallIn = InputArray.Create(_small);
        _maskIn = InputArray.Create(_mask);
        _cleanIn = InputArray.Create(_clean);
        _smallOut = CreateOutput(_small);
        _maskOut = CreateOutput(_mask);
        _cleanOut = CreateOutput(_clean);
        _labelsOut = CreateOutput(_labels);
        _statsOut = CreateOutput(_stats);
        _centroidsOut = CreateOutput(_centroids);
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <inheritdoc />
    /// <remarks>Frames are scaled to <see cref="WorkingWidth"/> anyway, so a decoder may deliver them at that width.</remarks>
    public FrameSizeHint? PreferredFrameSize => FrameSizeHint.FromWidth(WorkingWidth);

    /// <summary>Whether the background model is still learning, so <see cref="Detect"/> reports nothing.</summary>
    public bool IsWarmingUp => _framesLearned < _options.WarmupFrames;

    /// <summary>Times the background was learnt again because the whole picture changed (not counting start and reconnects).</summary>
    public long Relearned { get; private set; }

    /// <inheritdoc />
    /// <remarks>A new background model: MOG2 learns fastest while it is young, and forgets the old scene at once.</remarks>
    public void StreamRestarted()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Relearn();
    }

    /// <inheritdoc />
    public void Detect(Frame frame, List<ObjectDetection> detections)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(detections);
        ObjectDisposedException.ThrowIf(_disposed, this);
        detections.Clear();

        var input = _frames.Get(frame);
        var scale = 1.0;
        if (frame.Width > WorkingWidth)
        {
            scale = (double)WorkingWidth / frame.Width;
            var size = new Size(WorkingWidth, Math.Max(1, (int)Math.Round(frame.Height * scale)));
            NativeMethods.HandleException(NativeMethods.imgproc_resize(input.CvPtr, _smallOut, size, 0, 0, (int)InterpolationFlags.Area));
            input = _smallIn;
        }

        NativeMethods.HandleException(NativeMethods.video_BackgroundSubtractor_apply(_background.RawPtr, input.CvPtr, _maskOut, IsWarmingUp ? -1 : _steadyLearningRate));
        if (IsWarmingUp)
        {
            _framesLearned++;
            GC.KeepAlive(input);
            return;
        }

        NativeMethods.HandleException(NativeMethods.imgproc_threshold(
            _maskIn.CvPtr, _cleanOut, ForegroundThreshold, 255, (int)ThresholdTypes.Binary, out _));
        NativeMethods.HandleException(NativeMethods.core_countNonZero(_cleanIn.CvPtr, out var changed));
        if (changed > _options.RelearnAboveFraction * _clean.Rows * _clean.Cols)
        {
            // Not objects: the scene itself changed. One frame-sized blob would become a track sweeping every line.
            Relearned++;
            Relearn();
            GC.KeepAlive(input);
            return;
        }
        Morphology(_cleanIn, _maskOut, MorphTypes.Open, 1);   // removes speckle noise
        Morphology(_maskIn, _cleanOut, MorphTypes.Close, 2);  // fills holes and joins fragments of one object
        NativeMethods.HandleException(NativeMethods.imgproc_connectedComponentsWithStats(
            _cleanIn.CvPtr, _labelsOut, _statsOut, _centroidsOut, (int)PixelConnectivity.Connectivity8, MatType.CV_32S, out var count));
        GC.KeepAlive(input);

        // Stats rows: left, top, width, height, area (CV_32S); row 0 is the background.
        var stats = _stats.AsSpan<int>();
        // MinArea is in source (coordinate) pixels; a frame the decoder scaled down has fewer pixels per object.
        var minArea = _options.MinArea * scale * scale / (frame.CoordinateScaleX * (double)frame.CoordinateScaleY);
        if (_options.FragmentReach > 0)
        {
            MergeFragments(stats, count, minArea);
        }

        var inverse = 1 / scale;
        for (var i = 1; i < count; i++)
        {
            var row = stats.Slice(i * 5, 5);
            if (row[4] < minArea)
            {
                continue;
            }

            var box = BoundingBox.FromCorners(
                (float)(row[0] * inverse),
                (float)(row[1] * inverse),
                (float)Math.Min((row[0] + row[2]) * inverse, frame.Width),
                (float)Math.Min((row[1] + row[3]) * inverse, frame.Height));
            detections.Add(new ObjectDetection(box, 0, _label, 1f));
        }
    }

    // While warming up MOG2 picks its own rate (1/2n on frame n: learns the floor in a few frames). After it, 1/History at
    // once: a young model at 1/2n still takes colours seen a fifth of the time for background, so people walking in
    // file over the same pixels in the first seconds vanish into it.
    // A blob much smaller than a neighbour and close to it (a bicycle's wheel beside the person pushing it, a bag, a limb
    // the closing did not join) is part of that neighbour: its box joins the larger one, and the union may take the next
    // part in turn. Blobs of similar size stay apart, so two people side by side are still two. In place on the stats rows
    // (a merged row's area becomes 0); O(n²) over a frame's few blobs, no allocation.
    private void MergeFragments(Span<int> stats, int count, double minArea)
    {
        var merged = true;
        while (merged)
        {
            merged = false;
            for (var i = 1; i < count; i++)
            {
                var a = stats.Slice(i * 5, 5);
                if (a[4] < minArea)
                {
                    continue;
                }

                var reach = _options.FragmentReach * a[3];
                for (var j = 1; j < count; j++)
                {
                    var b = stats.Slice(j * 5, 5);
                    if (j == i || b[4] < minArea || b[4] > _options.FragmentAreaRatio * a[4] || Gap(a, b) > reach)
                    {
                        continue;
                    }

                    var right = Math.Max(a[0] + a[2], b[0] + b[2]);
                    var bottom = Math.Max(a[1] + a[3], b[1] + b[3]);
                    a[0] = Math.Min(a[0], b[0]);
                    a[1] = Math.Min(a[1], b[1]);
                    a[2] = right - a[0];
                    a[3] = bottom - a[1];
                    a[4] += b[4];
                    b[4] = 0;
                    merged = true;
                }
            }
        }
    }

    // Pixels between two boxes (stats rows), the larger of the horizontal and vertical gap; 0 when they overlap.
    private static int Gap(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        var dx = Math.Max(0, Math.Max(b[0] - (a[0] + a[2]), a[0] - (b[0] + b[2])));
        var dy = Math.Max(0, Math.Max(b[1] - (a[1] + a[3]), a[1] - (b[1] + b[3])));
        return Math.Max(dx, dy);
    }

    private static BackgroundSubtractorMOG2 CreateBackground(MotionDetectorOptions options) =>
        BackgroundSubtractorMOG2.Create(options.History, options.VarThreshold, detectShadows: true);

    // A new model rather than one apply with learning rate 1: MOG2 adapts fast only while young (1/2n per frame), so a
    // fresh model also dissolves the ghosts of people who were standing in the first frame within the warm-up.
    private void Relearn()
    {
        _background.Dispose();
        _background = CreateBackground(_options);
        _framesLearned = 0;
    }

    private static IntPtr CreateOutput(Mat mat)
    {
        NativeMethods.HandleException(NativeMethods.core_OutputArray_new_byMat(mat.CvPtr, out var output));
        return output;
    }

    private void Morphology(InputArray source, IntPtr destination, MorphTypes operation, int iterations)
    {
        // Anchor (-1, -1) is the kernel centre; a max border value makes erosion ignore the image border (OpenCV's default).
        NativeMethods.HandleException(NativeMethods.imgproc_morphologyEx(
            source.CvPtr, destination, (int)operation, _kernelIn.CvPtr, new Point(-1, -1), iterations, (int)BorderTypes.Constant,
            Scalar.All(double.MaxValue)));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var output in new[] { _smallOut, _maskOut, _cleanOut, _labelsOut, _statsOut, _centroidsOut })
        {
            NativeMethods.HandleException(NativeMethods.core_OutputArray_delete(output));
        }

        foreach (var input in new[] { _kernelIn, _smallIn, _maskIn, _cleanIn })
        {
            input.Dispose();
        }

        foreach (var mat in new[] { _kernel, _small, _mask, _clean, _labels, _stats, _centroids })
        {
            mat.Dispose();
        }

        _background.Dispose();
        _frames.Dispose();
    }
}
