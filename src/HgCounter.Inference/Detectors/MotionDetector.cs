using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Frames;
using HgCounter.Inference.Imaging;
using OpenCvSharp;

namespace HgCounter.Inference.Detectors;

/// <summary>
/// Finds moving objects without a model: OpenCV MOG2 background subtraction (shadows detected and dropped),
/// an opening to remove speckle and a closing to fill objects, then connected components → boxes of at least
/// <see cref="MotionDetectorOptions.MinArea"/> source pixels. Frames wider than <see cref="WorkingWidth"/> are
/// downscaled first (motion needs no detail, and MOG2 cost grows with pixels). One instance per camera: it learns
/// that camera's background. Every Mat is allocated once and reused; steady-state calls allocate nothing.
/// </summary>
public sealed class MotionDetector : IDetector
{
    /// <summary>Widest image the background model works on; wider frames are scaled down to it.</summary>
    public const int WorkingWidth = 640;

    private const double ForegroundThreshold = 200; // MOG2 marks shadows 127 and foreground 255

    private readonly MotionDetectorOptions _options;
    private readonly string _label;
    private readonly string[] _classNames;
    private readonly FrameMatCache _frames = new();
    private readonly BackgroundSubtractorMOG2 _background;
    private readonly Mat _kernel;
    private readonly Mat _small = new();
    private readonly Mat _mask = new();
    private readonly Mat _clean = new();
    private readonly Mat _labels = new();
    private readonly Mat _stats = new();
    private readonly Mat _centroids = new();
    private readonly InputArray _kernelIn;
    private readonly InputArray _smallIn;
    private readonly OutputArray _smallOut;
    private readonly InputArray _maskIn;
    private readonly OutputArray _maskOut;
    private readonly InputArray _cleanIn;
    private readonly OutputArray _cleanOut;
    private readonly OutputArray _labelsOut;
    private readonly OutputArray _statsOut;
    private readonly OutputArray _centroidsOut;
    private bool _disposed;

    /// <summary>Creates a motion detector with its own background model.</summary>
    public MotionDetector(MotionDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _label = string.Intern(string.IsNullOrWhiteSpace(options.Label) ? "object" : options.Label);
        _classNames = [_label];
        _background = BackgroundSubtractorMOG2.Create(options.History, options.VarThreshold, detectShadows: true);
        _kernel = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(5, 5));
        _kernelIn = InputArray.Create(_kernel);
        _smallIn = InputArray.Create(_small);
        _smallOut = OutputArray.Create(_small);
        _maskIn = InputArray.Create(_mask);
        _maskOut = OutputArray.Create(_mask);
        _cleanIn = InputArray.Create(_clean);
        _cleanOut = OutputArray.Create(_clean);
        _labelsOut = OutputArray.Create(_labels);
        _statsOut = OutputArray.Create(_stats);
        _centroidsOut = OutputArray.Create(_centroids);
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => _classNames;

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
            Cv2.Resize(input, _smallOut, size, 0, 0, InterpolationFlags.Area);
            input = _smallIn;
        }

        _background.Apply(input, _maskOut);
        Cv2.Threshold(_maskIn, _cleanOut, ForegroundThreshold, 255, ThresholdTypes.Binary);
        Cv2.MorphologyEx(_cleanIn, _maskOut, MorphTypes.Open, _kernelIn);
        Cv2.MorphologyEx(_maskIn, _cleanOut, MorphTypes.Close, _kernelIn, iterations: 2);
        var count = Cv2.ConnectedComponentsWithStats(_cleanIn, _labelsOut, _statsOut, _centroidsOut, PixelConnectivity.Connectivity8, MatType.CV_32S);

        // Stats rows: left, top, width, height, area (CV_32S); row 0 is the background.
        var stats = _stats.AsSpan<int>();
        var minArea = _options.MinArea * scale * scale;
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

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var array in new IDisposable[] { _kernelIn, _smallIn, _smallOut, _maskIn, _maskOut, _cleanIn, _cleanOut, _labelsOut, _statsOut, _centroidsOut })
        {
            array.Dispose();
        }

        foreach (var mat in new[] { _kernel, _small, _mask, _clean, _labels, _stats, _centroids })
        {
            mat.Dispose();
        }

        _background.Dispose();
        _frames.Dispose();
    }
}
