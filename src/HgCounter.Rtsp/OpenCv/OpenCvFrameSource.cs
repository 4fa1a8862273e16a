using System.Runtime.InteropServices;
using HgCounter.Frames;
using HgCounter.Rtsp.Sources;
using HgCounter.Security;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace HgCounter.Rtsp.OpenCv;

/// <summary>
/// Reads local files and capture devices (and network URLs where the OpenCV build has networking — not the Linux
/// OpenCvSharp runtime) through OpenCV's <see cref="VideoCapture"/>, into one reused <see cref="Mat"/> and then a pooled
/// <see cref="Frame"/>. Opening is bounded by <see cref="FrameSourceOptions.OpenTimeout"/>; device and network reads by
/// <see cref="FrameSourceOptions.ReadTimeout"/>. Devices and network streams are read on a dedicated thread into the same
/// latest-frame mailbox the ffmpeg source uses; realtime files are paced at their native rate. A looping file is live and
/// skips (and counts) the frames a consumer fell behind on; a file played once is a recording and loses none.
/// </summary>
public sealed class OpenCvFrameSource : IFrameSource
{
    // cv::CAP_PROP_OPEN_TIMEOUT_MSEC and cv::CAP_PROP_READ_TIMEOUT_MSEC (not in the OpenCvSharp enum).
    private const int OpenTimeoutProperty = 53;
    private const int ReadTimeoutProperty = 54;
    private readonly FrameSourceOptions _options;
    private readonly FramePool _pool;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Mat _mat = new();
    private readonly Mat _scaled = new();
    private readonly Func<SourceLocation, int[], VideoCapture> _open;
    private readonly TaskCompletionSource _readerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private VideoCapture? _capture;
    private SourceLocation? _location;
    private Task? _pendingNativeCall;
    private LatestFrameMailbox? _mailbox;
    private Thread? _reader;
    private volatile bool _stopReader;
    private bool _haveFirst;
    private bool _ended;
    private long _sequence;
    private long _dropped;
    private long _startTicks;
    private int _disposed;

    /// <summary>Creates the source; nothing opens before <see cref="OpenAsync"/>.</summary>
    public OpenCvFrameSource(FrameSourceOptions options, FramePool? pool = null, TimeProvider? timeProvider = null, ILogger<OpenCvFrameSource>? logger = null)
        : this(options, OpenCapture, pool, timeProvider, logger)
    {
    }

    /// <summary>Test seam: <paramref name="open"/> replaces the native <see cref="VideoCapture"/> constructor.</summary>
    internal OpenCvFrameSource(FrameSourceOptions options, Func<SourceLocation, int[], VideoCapture> open, FramePool? pool = null, TimeProvider? timeProvider = null, ILogger<OpenCvFrameSource>? logger = null)
    {
        var context = SourceContext.Create(options, pool, timeProvider, logger);
        (_options, _pool, _timeProvider, _logger, DisplayName) = context;
        _open = open;
    }

    /// <inheritdoc />
    public string DisplayName { get; }

    /// <inheritdoc />
    public StreamInfo? Info { get; private set; }

    /// <inheritdoc />
    public long DroppedFrames => Interlocked.Read(ref _dropped) + (_mailbox?.Dropped ?? 0);

    private bool IsLive => _location!.Kind != SourceKind.File;

    /// <inheritdoc />
    public async ValueTask<StreamInfo> OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed == 1, this);
        if (_capture is not null)
        {
            throw new InvalidOperationException("The source is already open.");
        }

        try
        {
            var location = LocationParser.Parse(_options.Url);
            if (location.Kind == SourceKind.Synthetic)
            {
                throw new FrameSourceException(FrameSourceErrorKind.UnsupportedScheme, DisplayName, "synthetic scenes are not read through OpenCV.");
            }

            _location = location;
            var timeouts = new[] { OpenTimeoutProperty, (int)_options.OpenTimeout.TotalMilliseconds, ReadTimeoutProperty, (int)_options.ReadTimeout.TotalMilliseconds };
            _capture = await OpenBoundedAsync(location, timeouts, cancellationToken).ConfigureAwait(false);
            if (!_capture.IsOpened())
            {
                // Release a half-open device now, not at dispose: the next attempt would find it busy.
                _capture.Dispose();
                _capture = null;
                throw new FrameSourceException(
                    location.Kind switch
                    {
                        SourceKind.File => FrameSourceErrorKind.NotVideo,
                        SourceKind.Device => FrameSourceErrorKind.NotFound,
                        _ => FrameSourceErrorKind.Unknown,
                    },
                    DisplayName,
                    location.Kind == SourceKind.Network ? "OpenCV could not open the stream (this OpenCV build may have no networking; use the ffmpeg source)." : "OpenCV could not open it as video.");
            }

            // Read one frame now: a file with a video extension but no decodable video fails here, at open.
            var read = await ReadNativeAsync(_options.OpenTimeout, cancellationToken).ConfigureAwait(false);
            if (!read || _mat.Empty())
            {
                throw new FrameSourceException(FrameSourceErrorKind.NotVideo, DisplayName, "opened, but no frame could be decoded.");
            }

            _haveFirst = true;
            var (width, height) = OutputSize.Compute(_mat.Width, _mat.Height, _options.Width, _options.Height);
            var fps = _capture.Fps is > 0 and < 1000 ? _capture.Fps : 0;
            Info = new StreamInfo(width, height, fps, CodecName(_capture.FourCC), location.Kind != SourceKind.File || _options.Loop);
            _startTicks = _timeProvider.GetTimestamp();
            if (IsLive)
            {
                StartReader(Info);
            }

            IngestLog.Opened(_logger, _options.CameraName, DisplayName, width, height, fps, Info.Codec, "OpenCV");
            return Info;
        }
        catch (FrameSourceException ex)
        {
            IngestLog.Failed(_logger, _options.CameraName, DisplayName, ex.Kind, ex.Message);
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed == 1, this);
        var info = Info ?? throw new InvalidOperationException("Call OpenAsync first.");
        return _mailbox is { } mailbox ? mailbox.TakeAsync(_options.ReadTimeout, cancellationToken) : ReadFileAsync(info, cancellationToken);
    }

    private async ValueTask<Frame?> ReadFileAsync(StreamInfo info, CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return null;
        }

        if (_options.Realtime && info.FramesPerSecond > 0)
        {
            await PaceAsync(info.FramesPerSecond, cancellationToken).ConfigureAwait(false);
        }

        if (_haveFirst)
        {
            _haveFirst = false;
        }
        else if (!_capture!.Read(_mat) || _mat.Empty())
        {
            if (!_options.Loop)
            {
                _ended = true;
                IngestLog.Finished(_logger, _options.CameraName, DisplayName, _sequence);
                return null;
            }

            _capture!.Set(VideoCaptureProperties.PosFrames, 0);
            if (!_capture.Read(_mat) || _mat.Empty())
            {
                throw Failed(FrameSourceErrorKind.StreamEnded, "the file could not be read again from its start.");
            }
        }

        return ToFrame(info);
    }

    /// <summary>Copies the decoded <see cref="_mat"/> (scaled to the stream size) into a pooled frame.</summary>
    private Frame ToFrame(StreamInfo info)
    {
        if (_mat.Width * _mat.Height * 3 != info.Width * info.Height * 3 && _options.Width is null && _options.Height is null)
        {
            throw Failed(FrameSourceErrorKind.FrameSizeChanged, $"frame size changed from {info.Width}x{info.Height} to {_mat.Width}x{_mat.Height}.");
        }

        var frame = _pool.Rent(info.Width, info.Height, _options.CameraName, _sequence++, _timeProvider.GetUtcNow());
        var source = _mat;
        if (_mat.Width != info.Width || _mat.Height != info.Height)
        {
            Cv2.Resize(_mat, _scaled, new Size(info.Width, info.Height), 0, 0, InterpolationFlags.Area);
            source = _scaled;
        }

        CopyPixels(source, frame);
        return frame;
    }

    /// <summary>Releases the capture and the reused Mats (after any native call still running finished, bounded).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopReader = true;
        _mailbox?.Complete(new ObjectDisposedException(DisplayName));
        var busy = _reader is not null ? _readerDone.Task : _pendingNativeCall;
        if (busy is { IsCompleted: false } pending)
        {
            // A blocked native read still uses the capture and the Mat; release them only once it returns.
            _ = pending.ContinueWith(_ => Release(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await Task.WhenAny(pending, Task.Delay(TimeSpan.FromSeconds(2), _timeProvider, CancellationToken.None)).ConfigureAwait(false);
        }
        else
        {
            Release();
        }

        IngestLog.Closed(_logger, _options.CameraName, DisplayName, DroppedFrames);
    }

    private void Release()
    {
        _mailbox?.Dispose();
        _capture?.Dispose();
        _mat.Dispose();
        _scaled.Dispose();
    }

    private async ValueTask PaceAsync(double fps, CancellationToken cancellationToken)
    {
        var due = TimeSpan.FromSeconds(_sequence / fps);
        var elapsed = _timeProvider.GetElapsedTime(_startTicks);
        if (elapsed < due)
        {
            await Task.Delay(due - elapsed, _timeProvider, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!_options.Loop)
        {
            return; // A file played once is a recording: late, never lossy, so a replay counts the same frames.
        }

        // A looping file stands for a live camera: behind its clock, skip to the frame that is due now (latest-frame policy).
        var behind = (long)((elapsed - due).TotalSeconds * fps);
        for (var i = 0; i < behind && _capture!.Grab(); i++)
        {
            _sequence++;
            Interlocked.Increment(ref _dropped);
            _haveFirst = false;
        }
    }

    private static VideoCapture OpenCapture(SourceLocation location, int[] timeouts) =>
        location.Kind == SourceKind.Device
            ? new VideoCapture(location.DeviceIndex!.Value, VideoCaptureAPIs.ANY, timeouts)
            : new VideoCapture(location.FilePath ?? location.Value, VideoCaptureAPIs.ANY, timeouts);

    private async Task<VideoCapture> OpenBoundedAsync(SourceLocation location, int[] timeouts, CancellationToken cancellationToken)
    {
        var opening = Task.Run(() => _open(location, timeouts), CancellationToken.None);
        try
        {
            return await opening.WaitAsync(_options.OpenTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // The native open keeps running; the capture it returns later has no other owner. Undisposed, a V4L2 device
            // stays open until a finalizer runs and every reconnect fails with "device busy".
            _ = opening.ContinueWith(static t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            if (ex is TimeoutException)
            {
                throw new FrameSourceException(FrameSourceErrorKind.Timeout, DisplayName, $"OpenCV did not open within {_options.OpenTimeout.TotalSeconds:0.###} s.", ex);
            }

            throw;
        }
    }

    private async ValueTask<bool> ReadNativeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var capture = _capture!;
        if (!IsLive)
        {
            // Local file reads do not block on a network; reading inline keeps the hot path allocation-free.
            return capture.Read(_mat);
        }

        // Only the first frame, at open: later live frames come from the reader thread.
        var task = Task.Run(() => capture.Read(_mat), CancellationToken.None);
        _pendingNativeCall = task;
        try
        {
            return await task.WaitAsync(timeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new FrameSourceException(FrameSourceErrorKind.Stalled, DisplayName, $"OpenCV did not return within {timeout.TotalSeconds:0.###} s.", ex);
        }
    }

    private void StartReader(StreamInfo info)
    {
        // A consumer that stalls or cancels closes the mailbox; the reader stops after its current (uninterruptible) read.
        var mailbox = new LatestFrameMailbox(dropOld: true, DisplayName, _timeProvider, () => _stopReader = true);
        _mailbox = mailbox;
        _reader = new Thread(() => ReadLoop(mailbox, info))
        {
            IsBackground = true,
            Name = "OpenCV reader " + _options.CameraName,
        };
        _reader.Start();
    }

    /// <summary>Reader thread: posts the frame read at open, then every captured frame, to the latest-frame mailbox.</summary>
    private void ReadLoop(LatestFrameMailbox mailbox, StreamInfo info)
    {
        try
        {
            do
            {
                if (!mailbox.Post(ToFrame(info)))
                {
                    return;
                }
            }
            while (!_stopReader && _capture!.Read(_mat) && !_mat.Empty());

            if (!_stopReader)
            {
                mailbox.Complete(Failed(FrameSourceErrorKind.StreamEnded, "the capture returned no frame."));
            }
        }
        catch (FrameSourceException ex)
        {
            mailbox.Complete(ex);
        }
        catch (Exception ex) when (ex is OpenCVException or OpenCvSharpException)
        {
            mailbox.Complete(Failed(FrameSourceErrorKind.StreamEnded, "the capture failed: " + Redactor.Redact(ex.Message), ex));
        }
        finally
        {
            _readerDone.TrySetResult();
        }
    }

    private FrameSourceException Failed(FrameSourceErrorKind kind, string reason, Exception? inner = null)
    {
        IngestLog.Failed(_logger, _options.CameraName, DisplayName, kind, reason);
        return new FrameSourceException(kind, DisplayName, reason, inner);
    }

    private static void CopyPixels(Mat source, Frame frame)
    {
        var stride = frame.Stride;
        if (source.IsContinuous())
        {
            Marshal.Copy(source.Data, frame.Buffer, 0, frame.Length);
            return;
        }

        for (var row = 0; row < frame.Height; row++)
        {
            Marshal.Copy(source.Ptr(row), frame.Buffer, row * stride, stride);
        }
    }

    private static string? CodecName(string? fourCc)
    {
        var trimmed = fourCc?.Trim('\0', ' ');
        return string.IsNullOrEmpty(trimmed) ? null : trimmed.ToLowerInvariant();
    }
}
