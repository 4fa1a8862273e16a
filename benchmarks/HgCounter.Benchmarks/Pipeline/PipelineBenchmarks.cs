using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using HgCounter.Configuration;
using HgCounter.Counting;
using HgCounter.Detection;
using HgCounter.Events;
using HgCounter.Frames;
using HgCounter.Inference.Counting;
using HgCounter.Inference.Detectors;
using HgCounter.Inference.Imaging;
using HgCounter.Inference.Tracking;
using HgCounter.Rtsp.Ffmpeg;
using HgCounter.Rtsp.Sources;
using HgCounter.Runtime.Events;
using HgCounter.Tracking;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace HgCounter.Benchmarks.Pipeline;

/// <summary>
/// The whole per-frame path on the 720p demo scene, split by stage, next to its two limits: decoding alone (ffmpeg to
/// /dev/null, the baseline) and inference alone (<see cref="InferenceSession"/>.Run on a prepared tensor). Every
/// benchmark walks the same <see cref="Steps"/> frames (a window of the scene played forwards then backwards, so motion
/// stays continuous and people cross the door both ways) and reports per frame. <see cref="Program"/> turns the means
/// into the overhead ratio of docs/performance.md.
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    /// <summary>
    /// Frames of the window (rendered once); two people cross the door on frame 205. Sixteen distinct buffers, like a
    /// camera's frames cycling through a pool: the detectors keep a Mat header per buffer for the last 16 buffers.
    /// </summary>
    public const int WindowFirst = 197;
    public const int WindowFrames = 16;
    public const int Steps = 2 * WindowFrames;
    public const int ClipFrames = 100;
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly FramePool _pool = new(4);
    private Frame[] _frames = [];
    private List<ObjectDetection>[] _detections = [];
    private Track[][] _tracks = [];
    private CountEvent[][] _events = [];
    private string _clip = string.Empty;
    private string _outboxDirectory = string.Empty;

    private OnnxYoloModel _model = null!;
    private LetterboxPreprocessor _letterbox = null!;
    private YoloOutputDecoder _decoder = null!;
    private float[][] _outputs = [];
    private InferenceSession _session = null!;
    private RunOptions _runOptions = null!;
    private OrtValue _input = null!;
    private OrtValue _output = null!;
    private string[] _inputNames = [];
    private string[] _outputNames = [];
    private OrtValue[] _inputValues = [];
    private OrtValue[] _outputValues = [];

    private CountingPipeline _onnxPipeline = null!;
    private CountingPipeline _motionPipeline = null!;
    private MotionDetector _motion = null!;
    private ByteTracker _tracker = null!;
    private LineCounter _counter = null!;
    private EventOutbox _outbox = null!;
    private FfmpegFrameSource _looping = null!;
    private readonly List<ObjectDetection> _detected = new(256);
    private readonly List<Track> _tracked = new(256);
    private readonly List<LineCrossing> _counted = new(16);
    private long _sequence;

    /// <summary>Crossings per frame of the walk (events are rare; enqueue cost is amortised over frames).</summary>
    public double EventsPerFrame { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        var started = Stopwatch.GetTimestamp();
        var scene = Scene720p.Create();
        _frames = new Frame[WindowFrames];
        for (var i = 0; i < WindowFrames; i++)
        {
            _frames[i] = Frame.CreateUnpooled(Scene720p.Width, Scene720p.Height);
            scene.Render(WindowFirst + i, _frames[i]);
        }

        _clip = Scene720p.RenderClip(WindowFirst - 50, ClipFrames);
        _model = OnnxYoloModel.Load(RepoPaths.SyntheticModel, intraOpThreads: 1, allowSpinning: false);
        _letterbox = new LetterboxPreprocessor(_model.InputWidth, _model.InputHeight);
        _decoder = new YoloOutputDecoder(_model.Layout, _model.ClassNames, _model.CandidateCount, null, 0.4f, 0.45f);
        SetupInferenceAlone();

        // Each stage's input is the previous stage's real output, computed once.
        _outputs = new float[WindowFrames][];
        _detections = new List<ObjectDetection>[Steps];
        _tracks = new Track[Steps][];
        _events = new CountEvent[Steps][];
        var tracker = new ByteTracker();
        var counter = new LineCounter("bench", [Scene720p.Door()]);
        var tracks = new List<Track>();
        var crossings = new List<LineCrossing>();
        var events = new List<CountEvent>();
        var minter = new CountEventMinter("bench");
        for (var i = 0; i < WindowFrames; i++)
        {
            _letterbox.Process(_frames[i].Buffer, Scene720p.Width, Scene720p.Height);
            _letterbox.Tensor.AsSpan().CopyTo(_input.GetTensorMutableDataAsSpan<float>());
            _session.Run(_runOptions, _inputNames, _inputValues, _outputNames, _outputValues);
            _outputs[i] = _output.GetTensorDataAsSpan<float>().ToArray();
        }

        for (var step = 0; step < Steps; step++)
        {
            var frame = _frames[FrameAt(step)];
            _detections[step] = [];
            _decoder.Decode(_outputs[FrameAt(step)], _letterbox.Process(frame.Buffer, frame.Width, frame.Height), _detections[step]);
            tracker.Update(_detections[step], tracks);
            _tracks[step] = [.. tracks];
            crossings.Clear();
            events.Clear();
            counter.Update(tracks, step + 1, Epoch.AddMilliseconds(100 * step), crossings);
            minter.MintAll(crossings, events);
            _events[step] = [.. events];
        }

        EventsPerFrame = _events.Sum(e => e.Length) / (double)Steps;
        Console.WriteLine($"// detections per frame {_detections.Average(d => d.Count):F2}, events per frame {EventsPerFrame:F3}");

        var onnx = new OnnxYoloDetector(_model, null, 0.4f, 0.45f);
        _onnxPipeline = new CountingPipeline(onnx, new ByteTracker(), new LineCounter("onnx", [Scene720p.Door()]));
        _motionPipeline = new CountingPipeline(new MotionDetector(new MotionDetectorOptions()), new ByteTracker(), new LineCounter("motion", [Scene720p.Door()]));
        _motion = new MotionDetector(new MotionDetectorOptions());
        _tracker = new ByteTracker();
        _counter = new LineCounter("bench", [Scene720p.Door()]);
        _outboxDirectory = Path.Combine(Path.GetTempPath(), "hgcounter-pipeline-bench-" + Guid.NewGuid().ToString("N"));
        _outbox = new EventOutbox(new EventOptions { OutboxPath = Path.Combine(_outboxDirectory, "outbox.db") }, NullLogger<EventOutbox>.Instance, TimeProvider.System);
        _looping = new FfmpegFrameSource(new FrameSourceOptions { CameraName = "bench", Url = _clip, Realtime = false, Loop = true }, _pool);
        _looping.OpenAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

        // Warm-up, one walk each: background model learnt, buffers grown, tracks alive.
        MotionPipeline();
        OnnxPipeline();
        Console.WriteLine($"// setup took {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _looping.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _outbox.Dispose();
        _onnxPipeline.Dispose();
        _motionPipeline.Dispose();
        _motion.Dispose();
        _input.Dispose();
        _output.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        _letterbox.Dispose();
        _model.Dispose();
        Directory.Delete(_outboxDirectory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = ClipFrames, Description = "limit: decode (ffmpeg → /dev/null)")]
    public void DecodeAlone()
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"ffmpeg -nostdin -v error -i '{_clip}' -f rawvideo -pix_fmt bgr24 - > /dev/null");
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg failed: " + error);
        }
    }

    [Benchmark(OperationsPerInvoke = Steps, Description = "limit: inference (InferenceSession.Run)")]
    public void InferenceAlone()
    {
        for (var step = 0; step < Steps; step++)
        {
            _session.Run(_runOptions, _inputNames, _inputValues, _outputNames, _outputValues);
        }
    }

    [Benchmark(OperationsPerInvoke = Steps, Description = "ingest (FfmpegFrameSource read)")]
    public async Task<long> Ingest()
    {
        long checksum = 0;
        for (var step = 0; step < Steps; step++)
        {
            using var frame = await _looping.ReadAsync(CancellationToken.None);
            checksum += frame!.Sequence;
        }

        return checksum;
    }

    [Benchmark(OperationsPerInvoke = Steps, Description = "onnx: preprocess (letterbox)")]
    public float Preprocess()
    {
        var scale = 0f;
        for (var step = 0; step < Steps; step++)
        {
            var frame = _frames[FrameAt(step)];
            scale += _letterbox.Process(frame.Buffer, frame.Width, frame.Height).Scale;
        }

        return scale;
    }

    [Benchmark(OperationsPerInvoke = Steps, Description = "onnx: postprocess (decode + NMS)")]
    public int Postprocess()
    {
        var count = 0;
        var transform = _letterbox.Process(_frames[0].Buffer, Scene720p.Width, Scene720p.Height);
        for (var step = 0; step < Steps; step++)
        {
            _decoder.Decode(_outputs[FrameAt(step)], transform, _detected);
            count += _detected.Count;
        }

        return count;
    }

    [Benchmark(OperationsPerInvoke = Steps, Description = "tracking (ByteTracker)")]
    public int Tracking()
    {
        var count = 0;
        for (var step = 0; step < Steps; step++)
        {
            _tracker.Update(_detections[step], _tracked);
            count += _tracked.Count;
        }

        return count;
    }

    [Benchmark(OperationsPerInvoke = Steps, Description = "counting (LineCounter)")]
    public int Counting()
    {
        var count = 0;
        for (var step = 0; step < Steps; step++)
        {
            _counted.Clear();
            count += _counter.Update(_tracks[step], ++_sequence, Epoch, _counted);
        }

        return count;
    }

    /// <summary>The walk's crossings written to the SQLite outbox as the agent does, one batch a frame (new ids each time), amortised per frame.</summary>
    [Benchmark(OperationsPerInvoke = Steps, Description = "event enqueue (EventOutbox)")]
    public async Task<int> EventEnqueue()
    {
        var count = 0;
        for (var step = 0; step < Steps; step++)
        {
            if (_events[step].Length == 0)
            {
                continue;
            }

            await _outbox.EnqueueAsync(Array.ConvertAll(_events[step], e => e with { EventId = Guid.NewGuid() }), CancellationToken.None);
            count += _events[step].Length;
        }

        return count;
    }

    [Benchmark(OperationsPerInvoke = Steps, Description = "motion: detect (MOG2)")]
    public int MotionDetect()
    {
        var count = 0;
        for (var step = 0; step < Steps; step++)
        {
            _motion.Detect(_frames[FrameAt(step)], _detected);
            count += _detected.Count;
        }

        return count;
    }

    [Benchmark(OperationsPerInvoke = Steps, Description = "motion: CountingPipeline.Process")]
    public int MotionPipeline() => Walk(_motionPipeline);

    [Benchmark(OperationsPerInvoke = Steps, Description = "onnx: CountingPipeline.Process")]
    public int OnnxPipeline() => Walk(_onnxPipeline);

    private int Walk(CountingPipeline pipeline)
    {
        var count = 0;
        for (var step = 0; step < Steps; step++)
        {
            _counted.Clear();
            count += pipeline.Process(_frames[FrameAt(step)], _counted);
        }

        return count;
    }

    // Forwards through the window, then backwards.
    private static int FrameAt(int step) => step < WindowFrames ? step : Steps - 1 - step;

    private void SetupInferenceAlone()
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _session = new InferenceSession(RepoPaths.SyntheticModel, options);
        _runOptions = new RunOptions();
        _input = OrtValue.CreateTensorValueFromMemory(new float[3 * _model.InputWidth * _model.InputHeight], [1, 3, _model.InputHeight, _model.InputWidth]);
        _output = OrtValue.CreateTensorValueFromMemory(new float[_decoder.OutputLength], _model.OutputShape);
        _inputNames = [_model.InputName];
        _outputNames = [_model.OutputName];
        _inputValues = [_input];
        _outputValues = [_output];
    }
}
