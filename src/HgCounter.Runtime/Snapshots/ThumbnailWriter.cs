using System.Buffers;
using System.Threading.Channels;
using HgCounter.Configuration;
using HgCounter.Reliability.Metrics;
using HgCounter.Runtime.Events;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace HgCounter.Snapshots;

/// <summary>
/// The agent's one thumbnail writer: camera loops hand it crops through a bounded queue without ever waiting (a full
/// queue drops the thumbnail and counts it); its own thread encodes JPEG, writes <c>&lt;event_id&gt;.jpg</c> atomically
/// (temp file, then rename) and keeps the folder within its bounds. A full disk stops thumbnails, never counting.
/// </summary>
internal sealed partial class ThumbnailWriter : IAsyncDisposable
{
    /// <summary>Extension of a thumbnail being written; renamed to <c>.jpg</c> once complete.</summary>
    public const string TempExtension = ".jpg.tmp";

    /// <summary>Thumbnails stop while less than this is free, well before the outbox's own reserve is reached.</summary>
    public const long DiskFloorBytes = 2 * EventOutbox.DiskReserveBytes;

    /// <summary>How often the bounds (notably <see cref="ThumbnailOptions.MaxAge"/>) are enforced while nothing is written.</summary>
    public static readonly TimeSpan RetentionInterval = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);
    private readonly Channel<ThumbnailCrop> _queue;
    private readonly ThumbnailOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HgCounterMetrics? _metrics;
    private readonly Func<long> _freeDiskBytes;
    private readonly LogThrottle _dropLog;
    private readonly CancellationTokenSource _stop = new();
    private readonly ThumbnailRetention _retention;
    private readonly Task _run;
    private long _written;
    private long _dropped;
    private volatile bool _diskFull;

    /// <param name="options">The thumbnail settings.</param>
    /// <param name="directory">The folder; created when missing.</param>
    /// <param name="time">Clock of the age bound and the periodic pass.</param>
    /// <param name="logger">Where drops (throttled) and a full disk (once) are reported.</param>
    /// <param name="metrics">Counts drops as <c>hgcounter.thumbnails.dropped</c>.</param>
    /// <param name="freeDiskBytes">Free space of the folder's disk; the real disk when null.</param>
    public ThumbnailWriter(ThumbnailOptions options, string directory, TimeProvider time, ILogger logger, HgCounterMetrics? metrics = null, Func<long>? freeDiskBytes = null)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        Directory = System.IO.Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
        _freeDiskBytes = freeDiskBytes ?? DiskSpaceProbe.For(Directory);
        _dropLog = new LogThrottle(time, TimeSpan.FromMinutes(1));
        _retention = new ThumbnailRetention(Directory, options, time);
        _queue = Channel.CreateBounded<ThumbnailCrop>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails at once: the loop drops, it never waits
        });
        _run = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>The folder the thumbnails are written to.</summary>
    public string Directory { get; }

    /// <summary>Thumbnails written since start.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Thumbnails dropped since start (queue full, disk full, write failed).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>True while thumbnails are stopped because the disk is (nearly) full.</summary>
    public bool IsDiskFull => _diskFull;

    /// <summary>Test hook: runs on the writer's thread before each thumbnail is encoded.</summary>
    internal Func<CancellationToken, Task>? BeforeWrite { get; set; }

    /// <summary>The file of <paramref name="eventId"/>'s thumbnail.</summary>
    public string PathOf(Guid eventId) => System.IO.Path.Combine(Directory, eventId.ToString("D") + ".jpg");

    /// <summary>
    /// Takes <paramref name="crop"/> (and its buffer) when there is room, never waiting. False: the thumbnail is dropped,
    /// counted, and its buffer is back in the pool.
    /// </summary>
    public bool TryEnqueue(in ThumbnailCrop crop)
    {
        if (!_diskFull && _queue.Writer.TryWrite(crop))
        {
            return true;
        }

        ArrayPool<byte>.Shared.Return(crop.Pixels);
        Drop(crop.Camera, _diskFull ? "the disk is nearly full" : "the writer is behind (queue full)");
        return false;
    }

    private void Drop(string camera, string reason)
    {
        var dropped = Interlocked.Increment(ref _dropped);
        _metrics?.RecordThumbnailDropped(camera);
        if (_dropLog.TryEnter(out var heldBack))
        {
            LogDropped(camera, reason, dropped, heldBack);
        }
    }

    private async Task RunAsync(CancellationToken token)
    {
        using var scaled = new Mat();
        Task<bool>? waiting = null;
        Task? tick = null;
        while (!token.IsCancellationRequested)
        {
            try
            {
                waiting ??= _queue.Reader.WaitToReadAsync(token).AsTask();
                tick ??= Task.Delay(RetentionInterval, _time, token);
                if (await Task.WhenAny(waiting, tick).ConfigureAwait(false) != waiting)
                {
                    tick = null;
                    CheckDisk();
                    _retention.Enforce();
                    continue;
                }

                if (!await waiting.ConfigureAwait(false))
                {
                    return; // completed: the agent is stopping
                }

                waiting = null;
                while (_queue.Reader.TryRead(out var crop))
                {
                    try
                    {
                        if (BeforeWrite is { } hook)
                        {
                            await hook(token).ConfigureAwait(false);
                        }

                        Write(crop, scaled);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(crop.Pixels);
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // One bad thumbnail (or a failing pass) must not end the writer.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogWriterFault(ex.GetType().Name, ex.Message);
                waiting = null;
            }
        }
    }

    private void Write(in ThumbnailCrop crop, Mat scaled)
    {
        if (_diskFull || !CheckDisk())
        {
            Drop(crop.Camera, "the disk is nearly full");
            return;
        }

        byte[] jpeg;
        using (var image = Mat.FromPixelData(crop.Height, crop.Width, MatType.CV_8UC3, crop.Pixels))
        {
            var source = image;
            if (crop.Width > _options.Width)
            {
                var height = Math.Max(1, (int)Math.Round(crop.Height * (double)_options.Width / crop.Width, MidpointRounding.AwayFromZero));
                Cv2.Resize(image, scaled, new Size(_options.Width, height), 0, 0, InterpolationFlags.Area);
                source = scaled;
            }

            Cv2.ImEncode(".jpg", source, out jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, _options.Quality));
        }

        var path = PathOf(crop.EventId);
        var temp = path[..^".jpg".Length] + TempExtension;
        try
        {
            File.WriteAllBytes(temp, jpeg);
            File.Move(temp, path, overwrite: true); // readers see the whole file or none
        }
        catch (IOException ex)
        {
            TryDelete(temp);
            if (IsNoSpace(ex))
            {
                StopForFullDisk();
            }

            Drop(crop.Camera, IsNoSpace(ex) ? "the disk is full" : ex.Message);
            return;
        }

        _retention.Add(path, jpeg.Length, _time.GetUtcNow());
        _retention.Enforce(); // a queue of removals at most one long: the bounds hold after every write
        Interlocked.Increment(ref _written);
    }

    // True while there is room; below the floor thumbnails stop (logged once) and resume once twice the floor is free.
    private bool CheckDisk()
    {
        var free = _freeDiskBytes();
        if (free < DiskFloorBytes)
        {
            StopForFullDisk();
            return false;
        }

        if (_diskFull && free >= 2 * DiskFloorBytes)
        {
            _diskFull = false;
            LogResumed(Directory);
        }

        return !_diskFull;
    }

    private void StopForFullDisk()
    {
        if (!_diskFull)
        {
            _diskFull = true;
            LogDiskFull(Directory, DiskFloorBytes / (1024 * 1024));
        }
    }

    // ENOSPC (28) and EDQUOT (122) on Linux; the HResult of an IOException carries the errno there.
    private static bool IsNoSpace(IOException ex) => (ex.HResult & 0xFFFF) is 28 or 122 or 0x70 /* ERROR_DISK_FULL */;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Writes what is queued (within a few seconds), then stops; buffers still queued go back to the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _run.WaitAsync(StopTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _run.ConfigureAwait(false);
        }

        while (_queue.Reader.TryRead(out var crop))
        {
            ArrayPool<byte>.Shared.Return(crop.Pixels);
        }

        _stop.Dispose();
    }

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Camera {Camera}: crossing thumbnail dropped, {Reason}; {Dropped} dropped since start ({HeldBack} not logged). Counting is not affected.")]
    private partial void LogDropped(string camera, string reason, long dropped, long heldBack);

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Error, Message = "Crossing thumbnails in {Directory} stopped: less than {FloorMegabytes} MB free on its disk. Counting goes on; thumbnails resume when space is freed.")]
    private partial void LogDiskFull(string directory, long floorMegabytes);

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "Crossing thumbnails in {Directory} resumed: space was freed.")]
    private partial void LogResumed(string directory);

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Error, Message = "Crossing thumbnail writer: {Kind}: {Reason}")]
    private partial void LogWriterFault(string kind, string reason);
}
