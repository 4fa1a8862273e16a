using System.Diagnostics.Metrics;
using HgCounter.Detection;
using HgCounter.Inference.Detectors;
using HgCounter.Inference.Gating;
using HgCounter.Inference.Imaging;
using HgCounter.Diagnostics;

namespace HgCounter.Inference.Scheduling;

/// <summary>
/// Runs one model for every camera that uses it. Cameras submit <see cref="DetectionJob"/>s (at most a few each, so
/// the queue is bounded by cameras × frames in flight); worker threads, each with its own <see cref="TileCanvas"/>,
/// take jobs camera by camera in turn (one busy camera cannot starve the others), pack the crops of as many waiting
/// frames as fit into one model input, run it once, and hand each frame its own detections back in frame pixels.
/// A full-frame job at the letterbox scale is run alone and placed exactly as the plain letterbox places it, so ungated
/// detection gives the same boxes as <see cref="OnnxYoloDetector"/>; at a smaller detection scale whole frames are packed too.
/// </summary>
internal sealed class InferenceScheduler : IDisposable
{
    private const int TileGap = 4; // grey between tiles, so one crop's content does not run into the next
    private const float EdgeTolerance = 1.5f;
    private const float GatherTarget = 0.7f; // share of the model input in use at which a run starts without waiting
    private const int GatherOverflow = 8;    // jobs queued at which idle workers stop leaving them to the gathering one

    private readonly OnnxYoloModel _model;
    private readonly TimeProvider _time;
    private readonly object _gate = new(); // a monitor: workers wait on it for jobs
    private readonly List<List<DetectionJob>> _lanes = [];
    private readonly Thread[] _threads;
    private readonly TileCanvas[] _canvases;
    private readonly Meter? _meter;
    private readonly Counter<long>? _runs;
    private readonly Histogram<double>? _wait;
    private readonly Histogram<int>? _framesPerRun;
    private readonly Histogram<double>? _duration;
    private readonly KeyValuePair<string, object?> _modelTag;
    private readonly TimeSpan _gatherWait;
    private bool _gathering;
    private int _nextLane;
    private int _pending;
    private long _runCount;
    private long _framesRun;
    private bool _disposed;

    public InferenceScheduler(OnnxYoloModel model, Func<YoloOutputDecoder> createDecoder, int workers, TimeProvider? time = null, IMeterFactory? meterFactory = null, TimeSpan gatherWait = default)
    {
        _gatherWait = gatherWait;
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _model = model;
        _time = time ?? TimeProvider.System;
        _modelTag = new("model", Path.GetFileName(model.ModelPath));
        if (meterFactory is not null)
        {
            _meter = meterFactory.Create(HgCounterMeter.Name);
            _runs = _meter.CreateCounter<long>("hgcounter.inference.runs", "{run}", "Model runs (one input, holding one or more frames' crops).");
            _wait = _meter.CreateHistogram<double>("hgcounter.inference.queue.wait", "ms", "Time a frame waited for a model run.");
            _framesPerRun = _meter.CreateHistogram<int>("hgcounter.inference.frames_per_run", "{frame}", "Frames served by one model run.");
            _duration = _meter.CreateHistogram<double>("hgcounter.inference.duration", "ms", "Time of one model run (inference and decoding).");
            _meter.CreateObservableGauge("hgcounter.inference.queue.length", () => new Measurement<int>(QueueLength, _modelTag), "{frame}",
                "Frames waiting for a model run.");
        }

        _canvases = new TileCanvas[workers];
        _threads = new Thread[workers];
        for (var i = 0; i < workers; i++)
        {
            _canvases[i] = new TileCanvas(model, createDecoder());
            var canvas = _canvases[i];
            _threads[i] = new Thread(() => Work(canvas)) { IsBackground = true, Name = $"hgcounter-inference-{i}" };
        }

        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    public OnnxYoloModel Model => _model;

    /// <summary>Concurrent model runs.</summary>
    public int Workers => _threads.Length;

    /// <summary>Model runs so far.</summary>
    public long RunCount => Interlocked.Read(ref _runCount);

    /// <summary>Frames detected so far (a run may serve several).</summary>
    public long FramesRun => Interlocked.Read(ref _framesRun);

    /// <summary>Jobs waiting for a run.</summary>
    public int QueueLength => Volatile.Read(ref _pending);

    /// <summary>
    /// Makes every run keep <paramref name="classes"/> (null or empty: all) and confidences above
    /// <paramref name="confidence"/> too, for a camera about to join with settings of its own; it filters the runs'
    /// detections down to them (<see cref="DetectionFilter"/>).
    /// </summary>
    public void Widen(IReadOnlyCollection<int>? classes, float confidence)
    {
        lock (_gate)
        {
            foreach (var canvas in _canvases)
            {
                canvas.Decoder.Widen(classes, confidence);
            }
        }
    }

    /// <summary>A queue of its own for one camera, so cameras are served in turn.</summary>
    public object AddLane()
    {
        lock (_gate)
        {
            var lane = new List<DetectionJob>(8);
            _lanes.Add(lane);
            return lane;
        }
    }

    public void RemoveLane(object lane)
    {
        lock (_gate)
        {
            var jobs = (List<DetectionJob>)lane;
            _lanes.Remove(jobs);
            _pending -= jobs.Count;
            Fail(jobs, "The camera's detector was disposed.");
        }
    }

    public void Enqueue(object lane, DetectionJob job)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            job.EnqueuedAt = _time.GetTimestamp();
            ((List<DetectionJob>)lane).Add(job);
            _pending++;
            Monitor.PulseAll(_gate); // a gathering worker and an idle one may both be waiting
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Monitor.PulseAll(_gate);
        }

        foreach (var thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(30));
        }

        lock (_gate)
        {
            foreach (var lane in _lanes)
            {
                Fail(lane, "The inference scheduler was disposed.");
            }

            _pending = 0;
        }

        foreach (var canvas in _canvases)
        {
            canvas.Dispose();
        }

        _meter?.Dispose();
    }

    // Under _gate: jobs that will never run are released with the reason, and leave their lane.
    private static void Fail(List<DetectionJob> jobs, string reason)
    {
        foreach (var job in jobs)
        {
            job.Error = new ObjectDisposedException(nameof(InferenceScheduler), reason);
            job.Owner.OnJobFinished(job);
        }

        jobs.Clear();
    }

    private void Work(TileCanvas canvas)
    {
        var batch = new List<DetectionJob>(16);
        var found = new List<ObjectDetection>(300);
        var packer = new ShelfPacker(canvas.Width, canvas.Height, TileGap);
        while (true)
        {
            batch.Clear();
            packer.Reset();
            lock (_gate)
            {
                // While one worker gathers frames for its input, the others leave the queue to it unless it overflows.
                while (!_disposed && (_pending == 0 || (_gathering && _pending < GatherOverflow)))
                {
                    Monitor.Wait(_gate);
                }

                if (_disposed)
                {
                    return;
                }

                if (TakeBatch(batch, ref packer))
                {
                    Gather(batch, ref packer);
                }
            }

            try
            {
                canvas.Clear();
                foreach (var job in batch)
                {
                    foreach (var tile in job.Tiles)
                    {
                        canvas.Draw(job.Frame!, tile);
                    }
                }

                var started = _time.GetTimestamp();
                canvas.Run(found);
                _duration?.Record(_time.GetElapsedTime(started).TotalMilliseconds, _modelTag);
                Distribute(batch, found);
            }
#pragma warning disable CA1031 // A failed run fails its frames (their cameras see the error); the worker must live on.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                foreach (var job in batch)
                {
                    job.Error = ex;
                }
            }

            Interlocked.Increment(ref _runCount);
            var servedAt = Interlocked.Add(ref _framesRun, batch.Count);
            _runs?.Add(1, _modelTag);
            _framesPerRun?.Record(batch.Count, _modelTag);
            foreach (var job in batch)
            {
                job.ServedAt = servedAt;
                job.Owner.OnJobFinished(job);
            }
        }
    }

    // Under _gate. A model run costs the same however little of its input is used, so an input with room left waits a
    // little (at most _gatherWait) for frames that are about to arrive, the other workers standing back meanwhile.
    private void Gather(List<DetectionJob> batch, ref ShelfPacker packer)
    {
        if (_gatherWait <= TimeSpan.Zero || packer.UsedFraction >= GatherTarget)
        {
            return;
        }

        var started = _time.GetTimestamp();
        _gathering = true;
        try
        {
            while (!_disposed && packer.UsedFraction < GatherTarget)
            {
                var left = _gatherWait - _time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    break;
                }

                Monitor.Wait(_gate, left);
                Fill(batch, ref packer, _time.GetTimestamp());
            }
        }
        finally
        {
            _gathering = false;
            Monitor.PulseAll(_gate);
        }
    }

    // Under _gate. The first job comes from the next camera in turn; crop jobs of any camera then fill the space left.
    // Returns false when the batch is one letterboxed frame (nothing else can join it).
    private bool TakeBatch(List<DetectionJob> batch, ref ShelfPacker packer)
    {
        var now = _time.GetTimestamp();
        var lanes = _lanes.Count;
        for (var i = 0; i < lanes && batch.Count == 0; i++)
        {
            var index = (_nextLane + i) % lanes;
            var lane = _lanes[index];
            if (lane.Count == 0)
            {
                continue;
            }

            var job = lane[0];
            if (!job.Letterboxed && !TryPlace(job, ref packer))
            {
                SetFullFrame(job);
            }

            if (job.Letterboxed)
            {
                PlaceLetterboxed(job, packer.Width, packer.Height);
            }

            Take(lane, 0, batch, now);
            _nextLane = (index + 1) % lanes;
            if (job.Letterboxed)
            {
                return false;
            }
        }

        Fill(batch, ref packer, now);
        return true;
    }

    private void Fill(List<DetectionJob> batch, ref ShelfPacker packer, long now)
    {
        var lanes = _lanes.Count;
        for (var i = 0; i < lanes; i++)
        {
            var lane = _lanes[(_nextLane + i) % lanes];
            for (var j = 0; j < lane.Count; j++)
            {
                if (!lane[j].Letterboxed && TryPlace(lane[j], ref packer))
                {
                    Take(lane, j, batch, now);
                    j--;
                }
            }
        }
    }

    private void Take(List<DetectionJob> lane, int index, List<DetectionJob> batch, long now)
    {
        var job = lane[index];
        lane.RemoveAt(index);
        _pending--;
        batch.Add(job);
        _wait?.Record(_time.GetElapsedTime(job.EnqueuedAt, now).TotalMilliseconds, _modelTag);
    }

    private static bool TryPlace(DetectionJob job, ref ShelfPacker packer)
    {
        var saved = packer.Save();
        var tiles = job.Tiles;
        for (var t = 0; t < tiles.Count; t++)
        {
            var tile = tiles[t];
            tile.CanvasWidth = Math.Max(1, (int)MathF.Round(tile.SourceWidth * job.Scale));
            tile.CanvasHeight = Math.Max(1, (int)MathF.Round(tile.SourceHeight * job.Scale));
            if (!packer.TryPlace(tile.CanvasWidth, tile.CanvasHeight, out tile.CanvasX, out tile.CanvasY))
            {
                packer.Restore(saved);
                return false;
            }

            tiles[t] = tile;
        }

        return true;
    }

    // Crops too many for one input: the frame is detected whole instead (PlaceLetterboxed sets its tile and scale).
    private static void SetFullFrame(DetectionJob job)
    {
        job.Kind = CropPlanKind.FullFrame;
        job.Letterboxed = true;
    }

    // Exactly where LetterboxPreprocessor puts a whole frame, so ungated boxes equal OnnxYoloDetector's.
    private static void PlaceLetterboxed(DetectionJob job, int width, int height)
    {
        var frame = job.Frame!;
        var fit = LetterboxTransform.Fit(frame.Width, frame.Height, width, height, out var resizedWidth, out var resizedHeight);
        job.Scale = fit.Scale;
        job.Tiles.Clear();
        job.Tiles.Add(new CropTile(0, 0, frame.Width, frame.Height)
        {
            CanvasX = (int)fit.PadX,
            CanvasY = (int)fit.PadY,
            CanvasWidth = resizedWidth,
            CanvasHeight = resizedHeight,
        });
    }

    // Each detection belongs to the tile holding its centre. A box that reaches a tile edge inside the frame shows a
    // cut object: it is dropped (the gate makes crops large enough for what moves, and holds still objects whole).
    private static void Distribute(List<DetectionJob> batch, List<ObjectDetection> found)
    {
        foreach (var detection in found)
        {
            var box = detection.Box;
            var center = box.Center;
            foreach (var job in batch)
            {
                var frame = job.Frame!;
                var tiles = job.Tiles;
                for (var t = 0; t < tiles.Count; t++)
                {
                    var tile = tiles[t];
                    if (!tile.CanvasContains(center.X, center.Y))
                    {
                        goto NextTile;
                    }

                    var left = MathF.Max(box.X, tile.CanvasX);
                    var top = MathF.Max(box.Y, tile.CanvasY);
                    var right = MathF.Min(box.Right, tile.CanvasX + tile.CanvasWidth);
                    var bottom = MathF.Min(box.Bottom, tile.CanvasY + tile.CanvasHeight);
                    if ((tile.SourceX > 0 && left <= tile.CanvasX + EdgeTolerance)
                        || (tile.SourceY > 0 && top <= tile.CanvasY + EdgeTolerance)
                        || (tile.SourceX + tile.SourceWidth < frame.Width && right >= tile.CanvasX + tile.CanvasWidth - EdgeTolerance)
                        || (tile.SourceY + tile.SourceHeight < frame.Height && bottom >= tile.CanvasY + tile.CanvasHeight - EdgeTolerance))
                    {
                        goto NextDetection;
                    }

                    job.Found.Add(detection with { Box = tile.ToFrame(job.Scale, frame.Width, frame.Height).ToSource(left, top, right, bottom) });
                    goto NextDetection;
                NextTile:;
                }
            }

        NextDetection:;
        }
    }
}
