using System.Collections.Concurrent;
using System.Globalization;
using HgCounter.Configuration;
using HgCounter.Reliability.Metrics;
using HgCounter.Status;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HgCounter.Reliability.Resources;

/// <summary>
/// Protects the machine: paces each camera to at most <c>MaxFps</c> (<see cref="ShouldProcessFrame"/> is asked before any
/// processing), measures fps per camera, throttles when memory or a queue is over its limit, and enforces the CPU limit by
/// lowering every camera's rate step by step (adaptive fps) and raising it again when load falls.
/// <see cref="Sample"/> runs every <c>CheckInterval</c> once <see cref="Start"/> was called. Thread-safe; the per-frame
/// calls allocate nothing in steady state. Rules and defaults: docs/reliability.md.
/// </summary>
public sealed partial class ResourceGuard : IDisposable
{
    /// <summary>Window over which fps is measured.</summary>
    public static readonly TimeSpan FpsWindow = TimeSpan.FromSeconds(5);

    /// <summary>Memory throttling turns off only this many points below <c>MaxMemoryPercent</c> (hysteresis).</summary>
    public const double MemoryHysteresisPercent = 5;

    /// <summary>Adaptive fps rises again only when CPU is this many points below <c>MaxCpuPercent</c> (hysteresis).</summary>
    public const double CpuHysteresisPercent = 10;

    /// <summary>Factor applied to each camera's rate per step while CPU is over the limit.</summary>
    public const double StepDownFactor = 0.75;

    /// <summary>Factor applied per step while CPU is well under the limit.</summary>
    public const double StepUpFactor = 1.25;

    /// <summary>Factor applied to every camera's rate while memory or a queue is over its limit.</summary>
    public const double ThrottleFactor = 0.5;

    /// <summary>How early, as a fraction of the frame interval, a frame may arrive and still be processed (see <see cref="ShouldProcessFrame"/>).</summary>
    public const double EarlyTolerance = 0.5;

    private readonly ConcurrentDictionary<string, CameraPace> _cameras = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _queues = new(StringComparer.Ordinal);
    private readonly ResourceGuardOptions _options;
    private readonly IResourceReader _reader;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HgCounterMetrics? _metrics;
    private readonly long _windowTicks;
    private readonly Lock _sampleLock = new();
    private ITimer? _timer;
    private ResourceReading? _reading;
    private volatile bool _memoryThrottled;
    private volatile bool _cpuLimited;
    private volatile bool _queueThrottled;

    /// <summary>Creates the guard; call <see cref="Start"/> for the background loop or <see cref="Sample"/> yourself.</summary>
    public ResourceGuard(ResourceGuardOptions options, IResourceReader reader, TimeProvider timeProvider, ILogger<ResourceGuard>? logger = null, HgCounterMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options;
        _reader = reader;
        _time = timeProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _metrics = metrics;
        _windowTicks = (long)(FpsWindow.TotalSeconds * timeProvider.TimestampFrequency);
    }

    /// <summary>The lowest rate adaptive fps and throttling leave a camera: 1 fps, or <c>MaxFps</c> if that is lower.</summary>
    public double MinimumFps => Math.Min(1.0, _options.MaxFps);

    /// <summary>True while the CPU limit holds at least one camera below <c>MaxFps</c>.</summary>
    public bool IsCpuLimited => _cpuLimited;

    /// <summary>Starts the background loop (every <c>CheckInterval</c>). Idempotent.</summary>
    public void Start()
    {
        lock (_sampleLock)
        {
            _timer ??= _time.CreateTimer(static state => ((ResourceGuard)state!).SampleSafely(), this, _options.CheckInterval, _options.CheckInterval);
        }
    }

    /// <summary>
    /// Pacing: true if a frame of <paramref name="camera"/> may be processed now, false if it must be skipped because the
    /// camera's allowed rate (<see cref="GetAllowedFps"/>) is used up. A frame up to <see cref="EarlyTolerance"/> of an
    /// interval early is taken (frames the decoder already delivers at the allowed rate arrive with jitter); the next one is
    /// then due a full interval after the one it replaced, so the average rate never exceeds the allowed rate.
    /// Call before decoding work; allocates nothing.
    /// </summary>
    public bool ShouldProcessFrame(string camera)
    {
        var pace = GetPace(camera);
        var now = _time.GetTimestamp();
        var interval = (long)(_time.TimestampFrequency / AllowedFps(pace));
        lock (pace.Sync)
        {
            if (pace.NextDue != long.MinValue && now < pace.NextDue - (long)(interval * EarlyTolerance))
            {
                return false;
            }

            // Carry a small lag forward so the average rate equals the cap; after a pause start afresh.
            var lag = pace.NextDue == long.MinValue ? long.MaxValue : now - pace.NextDue;
            pace.NextDue = (lag < interval ? pace.NextDue : now) + interval;
            return true;
        }
    }

    /// <summary>A frame of <paramref name="camera"/> was processed; feeds the fps measurement.</summary>
    public void RecordFrame(string camera)
    {
        var pace = GetPace(camera);
        var now = _time.GetTimestamp();
        lock (pace.Sync)
        {
            pace.Frames.Enqueue(now);
            Prune(pace, now);
        }

        _metrics?.RecordFrameProcessed(camera);
    }

    /// <summary>Processed frames per second of <paramref name="camera"/> over the last <see cref="FpsWindow"/>.</summary>
    public double GetFps(string camera) => _cameras.TryGetValue(camera, out var pace) ? Fps(pace, _time.GetTimestamp()) : 0;

    /// <summary>The rate <paramref name="camera"/> may currently process: <c>MaxFps</c>, lowered by adaptive fps and throttling, never below <see cref="MinimumFps"/>.</summary>
    public double GetAllowedFps(string camera) => AllowedFps(GetPace(camera));

    /// <summary>
    /// The rate <paramref name="camera"/> runs at when nothing limits it: its <c>TargetFps</c> capped by <c>MaxFps</c>, without
    /// adaptive fps or throttling. The rate a decoder should deliver frames at, so that none is decoded only to be skipped.
    /// </summary>
    public double GetCeilingFps(string camera) => Ceiling(GetPace(camera));

    /// <summary>Sets the rate a camera is meant to be processed at (its <c>TargetFps</c>); <c>MaxFps</c> still caps it.</summary>
    public void SetTargetFps(string camera, double fps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fps);
        GetPace(camera).TargetFps = fps;
    }

    /// <summary>Reports the current length of a named queue (e.g. the event outbox).</summary>
    public void RecordQueueSize(string name, long size)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _queues[name] = size;
        // Kept as a flag so the per-frame pacing never enumerates the queues.
        _queueThrottled = CheckQueueSizes().ShouldThrottle;
        _metrics?.RecordQueueSize(name, size);
    }

    /// <summary>Whether processing should be throttled now, and why (memory over its limit, or a queue over its limit).</summary>
    public ThrottleDecision ShouldThrottle()
    {
        var memory = CheckMemoryLimit();
        var queues = CheckQueueSizes();
        return (memory.ShouldThrottle, queues.ShouldThrottle) switch
        {
            (true, true) => new ThrottleDecision(true, memory.Reason + "; " + queues.Reason),
            (true, false) => memory,
            (false, true) => queues,
            _ => ThrottleDecision.None,
        };
    }

    /// <summary>Memory over <c>MaxMemoryPercent</c> as of the last <see cref="Sample"/> (with hysteresis: it clears at <c>MaxMemoryPercent − 5</c>).</summary>
    public ThrottleDecision CheckMemoryLimit() =>
        _memoryThrottled && _reading is { } r
            ? new ThrottleDecision(true, string.Create(CultureInfo.InvariantCulture, $"memory {r.MemoryPercent:0.0} % > limit {_options.MaxMemoryPercent:0.#} %"))
            : ThrottleDecision.None;

    /// <summary>Any queue longer than <c>MaxQueueSize</c>.</summary>
    public ThrottleDecision CheckQueueSizes()
    {
        string? reason = null;
        foreach (var (name, size) in _queues)
        {
            if (size > _options.MaxQueueSize)
            {
                var item = string.Create(CultureInfo.InvariantCulture, $"queue {name} {size} > limit {_options.MaxQueueSize}");
                reason = reason is null ? item : reason + "; " + item;
            }
        }

        return reason is null ? ThrottleDecision.None : new ThrottleDecision(true, reason);
    }

    /// <summary>Whether <paramref name="camera"/> processes more frames per second than <c>MaxFps</c> allows (pacing bypassed).</summary>
    public ThrottleDecision CheckFpsLimit(string camera)
    {
        var fps = GetFps(camera);
        // Rate measurement over a window counts one frame more than the intervals; allow that.
        var limit = _options.MaxFps + (1.0 / FpsWindow.TotalSeconds);
        return fps > limit
            ? new ThrottleDecision(true, string.Create(CultureInfo.InvariantCulture, $"camera {camera} at {fps:0.0} fps > limit {_options.MaxFps:0.#} fps"))
            : ThrottleDecision.None;
    }

    /// <summary>
    /// Reads CPU and memory, updates memory throttling and adaptive fps, records metrics and returns the snapshot.
    /// Runs on the background loop; may be called directly.
    /// </summary>
    public ResourceSnapshot Sample()
    {
        lock (_sampleLock)
        {
            var reading = _reader.Read();
            _reading = reading;
            UpdateMemoryThrottle(reading);
            UpdateAdaptiveFps(reading.CpuPercent);
            var snapshot = GetMetrics();
            if (_metrics is { } metrics)
            {
                metrics.RecordResources(reading.CpuPercent, reading.MemoryPercent, reading.MemoryUsedBytes);
                foreach (var (camera, fps) in snapshot.FpsPerCamera)
                {
                    metrics.RecordFps(camera, fps);
                }
            }

            return snapshot;
        }
    }

    /// <summary>The latest figures: fps per camera, CPU, memory, queue sizes and throttling state.</summary>
    public ResourceSnapshot GetMetrics()
    {
        var now = _time.GetTimestamp();
        var fps = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (camera, pace) in _cameras)
        {
            fps[camera] = Fps(pace, now);
        }

        var throttle = ShouldThrottle();
        var reading = _reading;
        return new ResourceSnapshot(
            _time.GetUtcNow(),
            reading?.CpuPercent ?? 0,
            reading?.MemoryPercent ?? 0,
            reading?.MemoryUsedMegabytes ?? 0,
            fps,
            new Dictionary<string, long>(_queues, StringComparer.Ordinal),
            throttle.ShouldThrottle,
            throttle.Reason);
    }

    /// <summary>Stops the background loop.</summary>
    public void Dispose()
    {
        lock (_sampleLock)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private CameraPace GetPace(string camera) =>
        _cameras.GetOrAdd(camera, static (_, time) => new CameraPace(time.GetTimestamp()), _time);

    // The rate a camera runs at when nothing limits it: its target, capped by MaxFps.
    private double Ceiling(CameraPace pace) => Math.Min(_options.MaxFps, pace.TargetFps);

    private double AllowedFps(CameraPace pace)
    {
        var fps = Math.Min(Ceiling(pace), pace.AdaptiveCap);
        if (_memoryThrottled || _queueThrottled)
        {
            fps *= ThrottleFactor;
        }

        return Math.Max(MinimumFps, fps);
    }

    private double Fps(CameraPace pace, long now)
    {
        lock (pace.Sync)
        {
            Prune(pace, now);
            var span = Math.Min(_windowTicks, now - pace.CreatedAt);
            return span <= 0 ? 0 : pace.Frames.Count * _time.TimestampFrequency / (double)Math.Max(span, _time.TimestampFrequency / 10);
        }
    }

    private void Prune(CameraPace pace, long now)
    {
        while (pace.Frames.Count > 0 && now - pace.Frames.Peek() > _windowTicks)
        {
            pace.Frames.Dequeue();
        }
    }

    private void UpdateMemoryThrottle(ResourceReading reading)
    {
        var was = _memoryThrottled;
        var now = was
            ? reading.MemoryPercent > _options.MaxMemoryPercent - MemoryHysteresisPercent
            : reading.MemoryPercent > _options.MaxMemoryPercent;
        if (now != was)
        {
            _memoryThrottled = now;
            LogMemoryThrottle(_logger, now, reading.MemoryPercent, _options.MaxMemoryPercent);
        }
    }

    private void UpdateAdaptiveFps(double cpuPercent)
    {
        var over = cpuPercent > _options.MaxCpuPercent;
        var under = cpuPercent < _options.MaxCpuPercent - CpuHysteresisPercent;
        if (!over && !under)
        {
            return;
        }

        var now = _time.GetTimestamp();
        var limited = false;
        foreach (var (camera, pace) in _cameras)
        {
            var cap = pace.AdaptiveCap;
            double next;
            if (over)
            {
                // Step down from what the camera really does (a 10 fps camera under a 30 fps cap drops to 7.5, not 22.5).
                var measured = Fps(pace, now);
                var current = Math.Min(Math.Min(cap, Ceiling(pace)), measured > 0 ? measured : double.PositiveInfinity);
                next = Math.Max(MinimumFps, current * StepDownFactor);
            }
            else
            {
                next = cap * StepUpFactor >= Ceiling(pace) ? double.PositiveInfinity : cap * StepUpFactor;
            }

            if (!next.Equals(cap))
            {
                pace.AdaptiveCap = next;
                // Unlimited again means the camera's own rate (its target under MaxFps), not MaxFps.
                LogAdaptiveFps(_logger, camera, cpuPercent, double.IsPositiveInfinity(next) ? Ceiling(pace) : next);
            }

            limited |= !double.IsPositiveInfinity(next);
        }

        _cpuLimited = limited;
    }

    private void SampleSafely()
    {
        try
        {
            Sample();
        }
#pragma warning disable CA1031 // The background loop must survive any failure of one sample.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogSampleFailed(_logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Memory throttling {On}: memory {MemoryPercent:0.0} %, limit {Limit} %")]
    private static partial void LogMemoryThrottle(ILogger logger, bool on, double memoryPercent, double limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Adaptive fps: camera {Camera} now {Fps:0.##} fps (CPU {Cpu:0.0} %)")]
    private static partial void LogAdaptiveFps(ILogger logger, string camera, double cpu, double fps);

    [LoggerMessage(Level = LogLevel.Error, Message = "Resource sample failed")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);
}
