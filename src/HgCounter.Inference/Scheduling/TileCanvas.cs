using System.Runtime.InteropServices;
using HgCounter.Detection;
using HgCounter.Frames;
using HgCounter.Inference.Detectors;
using HgCounter.Inference.Imaging;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;
using OpenCvSharp.Internal;

namespace HgCounter.Inference.Scheduling;

/// <summary>
/// One model input that the scheduler fills with the tiles of one or more frames, runs, and decodes. It owns the
/// input and output buffers, their OrtValues and I/O binding, and a pinned resize buffer; one per scheduler worker,
/// so concurrent runs share nothing but the session. Steady-state use allocates no managed memory.
/// </summary>
internal sealed class TileCanvas : IDisposable
{
    private readonly OnnxYoloModel _model;
    private readonly float[] _tensor;
    private readonly float[] _output;
    private readonly byte[] _scratch;
    private GCHandle _scratchPin;
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly YoloOutputDecoder _decoder;
    private readonly LetterboxTransform _identity;

    public TileCanvas(OnnxYoloModel model, YoloOutputDecoder decoder)
    {
        _model = model;
        _decoder = decoder;
        Width = model.InputWidth;
        Height = model.InputHeight;
        _tensor = new float[3 * Width * Height];
        _output = new float[decoder.OutputLength];
        _scratch = new byte[3 * Width * Height];
        _scratchPin = GCHandle.Alloc(_scratch, GCHandleType.Pinned);
        _inputValue = OrtValue.CreateTensorValueFromMemory(_tensor, [1, 3, Height, Width]);
        _outputValue = OrtValue.CreateTensorValueFromMemory(_output, model.OutputShape);
        _binding = model.Session.CreateIoBinding();
        _binding.BindInput(model.InputName, _inputValue);
        _binding.BindOutput(model.OutputName, _outputValue);
        _identity = new LetterboxTransform(1, 0, 0, Width, Height);
    }

    public int Width { get; }

    /// <summary>The decoder of this canvas's runs (the scheduler widens it as cameras join).</summary>
    public YoloOutputDecoder Decoder => _decoder;

    public int Height { get; }

    /// <summary>Paints the whole input with the letterbox grey.</summary>
    public void Clear() => _tensor.AsSpan().Fill(LetterboxPreprocessor.PadValue / 255f);

    /// <summary>Scales a rectangle of <paramref name="frame"/> into its place on the canvas (OpenCV linear, as the letterbox does).</summary>
    public void Draw(Frame frame, in CropTile tile)
    {
        var pin = GCHandle.Alloc(frame.Buffer, GCHandleType.Pinned);
        var source = IntPtr.Zero;
        var input = IntPtr.Zero;
        var target = IntPtr.Zero;
        var output = IntPtr.Zero;
        try
        {
            var origin = pin.AddrOfPinnedObject() + (tile.SourceY * frame.Stride) + (tile.SourceX * 3);
            Check(NativeMethods.core_Mat_new8(tile.SourceHeight, tile.SourceWidth, MatType.CV_8UC3, origin, frame.Stride, out source));
            Check(NativeMethods.core_InputArray_new_byMat(source, out input));
            Check(NativeMethods.core_Mat_new8(tile.CanvasHeight, tile.CanvasWidth, MatType.CV_8UC3, _scratchPin.AddrOfPinnedObject(), tile.CanvasWidth * 3, out target));
            Check(NativeMethods.core_OutputArray_new_byMat(target, out output));
            Check(NativeMethods.imgproc_resize(input, output, new Size(tile.CanvasWidth, tile.CanvasHeight), 0, 0, (int)InterpolationFlags.Linear));
        }
        finally
        {
            Release(output, NativeMethods.core_OutputArray_delete);
            Release(target, NativeMethods.core_Mat_delete);
            Release(input, NativeMethods.core_InputArray_delete);
            Release(source, NativeMethods.core_Mat_delete);
            pin.Free();
        }

        PlanarRgbWriter.Write(_scratch.AsSpan(0, tile.CanvasWidth * tile.CanvasHeight * 3), tile.CanvasWidth, tile.CanvasHeight,
            _tensor, Width, Height, tile.CanvasX, tile.CanvasY);
    }

    /// <summary>Runs the model on the canvas and decodes its output into <paramref name="detections"/> (canvas pixels).</summary>
    public void Run(List<ObjectDetection> detections)
    {
        _model.Session.RunWithBinding(_runOptions, _binding);
        _decoder.Decode(_output, _identity, detections);
    }

    public void Dispose()
    {
        _binding.Dispose();
        _outputValue.Dispose();
        _inputValue.Dispose();
        _runOptions.Dispose();
        if (_scratchPin.IsAllocated)
        {
            _scratchPin.Free();
        }
    }

    private static void Check(ExceptionStatus status) => NativeMethods.HandleException(status);

    private static void Release(IntPtr handle, Func<IntPtr, ExceptionStatus> delete)
    {
        if (handle != IntPtr.Zero)
        {
            Check(delete(handle));
        }
    }
}
