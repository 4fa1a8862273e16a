using HgCounter.Frames;
using HgCounter.Rtsp.Sources;
using HgCounter.Security;
using Microsoft.Extensions.Logging;

namespace HgCounter.Rtsp.Ffmpeg;

/// <summary>
/// Reads a network stream (rtsp, rtsps, http(s), rtmp(s), srt) or a file through an ffmpeg child process that decodes
/// to raw bgr24 on stdout. The size is learnt with ffprobe first; a dedicated thread reads exact frame-sized chunks into
/// pooled frames and hands them over through a one-slot latest-frame mailbox. Every failure (exit, end of stream,
/// silence longer than <see cref="FrameSourceOptions.ReadTimeout"/>) surfaces from <see cref="ReadAsync"/> as a typed
/// <see cref="FrameSourceException"/>; the process tree is killed on failure, cancellation and dispose.
/// </summary>
public sealed class FfmpegFrameSource : IFrameSource
{
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(3);
    private readonly FrameSourceOptions _options;
    private readonly FramePool _pool;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private ChildProcess? _process;
    private LatestFrameMailbox? _mailbox;
    private Thread? _reader;
    private readonly TaskCompletionSource _readerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _firstRead = true;
    private long _frames;
    private int _disposed;

    /// <summary>Creates the source; nothing starts before <see cref="OpenAsync"/>.</summary>
    public FfmpegFrameSource(FrameSourceOptions options, FramePool? pool = null, TimeProvider? timeProvider = null, ILogger<FfmpegFrameSource>? logger = null)
    {
        var context = SourceContext.Create(options, pool, timeProvider, logger);
        (_options, _pool, _timeProvider, _logger, DisplayName) = context;
    }

    /// <inheritdoc />
    public string DisplayName { get; }

    /// <inheritdoc />
    public StreamInfo? Info { get; private set; }

    /// <inheritdoc />
    public long DroppedFrames => _mailbox?.Dropped ?? 0;

    /// <summary>The last lines ffmpeg wrote to stderr, redacted; empty before open.</summary>
    public string StderrTail => _process?.Stderr.ToString() ?? string.Empty;

    /// <summary>The ffmpeg process id while running (for diagnostics and tests).</summary>
    public int? ProcessId => _process?.Id;

    /// <inheritdoc />
    public async ValueTask<StreamInfo> OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed == 1, this);
        if (_process is not null)
        {
            throw new InvalidOperationException("The source is already open.");
        }

        try
        {
            var location = LocationParser.Parse(_options.Url);
            if (location.Kind is not (SourceKind.Network or SourceKind.File))
            {
                throw new FrameSourceException(FrameSourceErrorKind.UnsupportedScheme, DisplayName, $"ffmpeg reads network URLs and files, not {location.Kind} sources.");
            }

            var probe = await FfprobeRunner.ProbeAsync(location, _options, _options.OpenTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
            var (width, height) = OutputSize.Compute(probe.Width, probe.Height, _options.Width, _options.Height);
            var live = location.Kind == SourceKind.Network || _options.Loop;
            var info = new StreamInfo(width, height, _options.TargetFps ?? probe.FramesPerSecond, probe.Codec, live);

            var tail = new StderrTail(_options.StderrLines, Redactor.SecretsOf(location.Value));
            var process = ChildProcess.Start(_options.FfmpegPath, FfmpegArguments.Decode(location, _options, width, height), tail, DisplayName, _timeProvider);
            // Batch reading of a recording must see every frame; everything else keeps only the latest.
            var dropOld = location.Kind == SourceKind.Network || _options.Realtime;
            _mailbox = new LatestFrameMailbox(dropOld, DisplayName, _timeProvider, process.Kill);
            _process = process;
            tail.LineAdded += OnStderrLine;
            Info = info;
            _reader = new Thread(() => ReadLoop(process, _mailbox, info))
            {
                IsBackground = true,
                Name = "ffmpeg reader " + _options.CameraName,
            };
            _reader.Start();
            IngestLog.Opened(_logger, _options.CameraName, DisplayName, width, height, info.FramesPerSecond, info.Codec, "ffmpeg");
            return info;
        }
        catch (FrameSourceException ex)
        {
            IngestLog.Failed(_logger, _options.CameraName, DisplayName, ex.Kind, ex.Message);
            throw;
        }
    }

    /// <inheritdoc />
    /// <remarks>The first read may take up to open timeout + read timeout (ffmpeg connects again); later reads at most the read timeout. Cancelling a read closes the source.</remarks>
    public ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken)
    {
        var mailbox = _mailbox ?? throw new InvalidOperationException("Call OpenAsync first.");
        var timeout = _firstRead ? _options.OpenTimeout + _options.ReadTimeout : _options.ReadTimeout;
        _firstRead = false;
        return mailbox.TakeAsync(timeout, cancellationToken);
    }

    /// <summary>Kills ffmpeg (whole process tree), waits for it with a bound, and returns any untaken frame to the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _mailbox?.Complete(new ObjectDisposedException(DisplayName));
        if (_process is not null)
        {
            _process.Kill();
            if (_reader is not null)
            {
                // The reader owns the pipe until it sees the end of output; let it finish before the process is released.
                try
                {
                    await _readerDone.Task.WaitAsync(ExitBound + ExitBound, _timeProvider, CancellationToken.None).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // A reader blocked beyond the bound: the process is killed anyway; release it.
                }
            }

            await _process.DisposeAsync().ConfigureAwait(false);
        }

        _mailbox?.Dispose();
        IngestLog.Closed(_logger, _options.CameraName, DisplayName, DroppedFrames);
    }

    private void OnStderrLine(string line)
    {
        if (line.Contains("frame changed from size", StringComparison.OrdinalIgnoreCase))
        {
            Fail(FrameSourceErrorKind.FrameSizeChanged, "the stream's frame size changed: " + line);
        }
    }

    private void Fail(FrameSourceErrorKind kind, string reason)
    {
        IngestLog.Failed(_logger, _options.CameraName, DisplayName, kind, reason);
        _mailbox?.Complete(new FrameSourceException(kind, DisplayName, reason));
        _process?.Kill();
    }

    private void ReadLoop(ChildProcess process, LatestFrameMailbox mailbox, StreamInfo info)
    {
        try
        {
            ReadFrames(process, mailbox, info);
        }
        finally
        {
            _readerDone.TrySetResult();
        }
    }

    private void ReadFrames(ChildProcess process, LatestFrameMailbox mailbox, StreamInfo info)
    {
        var stdout = process.StandardOutput;
        var frameLength = info.Width * info.Height * 3;
        // The kernel caps unprivileged pipes at /proc/sys/fs/pipe-max-size (1 MiB by default); a smaller pipe still works.
        PipeBuffer.TryEnlarge(stdout, Math.Min(frameLength, 1 << 20));
        var partial = 0;
        try
        {
            while (true)
            {
                var frame = _pool.Rent(info.Width, info.Height, _options.CameraName, _frames, default);
                partial = stdout.ReadAtLeast(frame.Buffer.AsSpan(0, frameLength), frameLength, throwOnEndOfStream: false);
                if (partial < frameLength)
                {
                    frame.Dispose();
                    break;
                }

                partial = 0;
                frame.SetMetadata(_options.CameraName, _frames++, _timeProvider.GetUtcNow());
                if (!mailbox.Post(frame))
                {
                    process.Kill();
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The pipe broke because the process was killed; the exit status below says why.
        }

        OnEndOfOutput(process, mailbox, info, partial);
    }

    private void OnEndOfOutput(ChildProcess process, LatestFrameMailbox mailbox, StreamInfo info, int partial)
    {
        process.WaitForExitAsync(ExitBound, CancellationToken.None).GetAwaiter().GetResult();
        var stderr = process.Stderr.ToString();
        var exitCode = process.ExitCode;
        if (!info.IsLive && exitCode == 0 && partial == 0)
        {
            IngestLog.Finished(_logger, _options.CameraName, DisplayName, _frames);
            mailbox.Complete(null);
            return;
        }

        var kind = FfmpegErrorClassifier.Classify(stderr, FrameSourceErrorKind.StreamEnded);
        var reason = $"ffmpeg exited (code {(exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?")}) after {_frames} frames.{FfprobeRunner.Describe(process.Stderr)}";
        if (Volatile.Read(ref _disposed) == 0)
        {
            IngestLog.Failed(_logger, _options.CameraName, DisplayName, kind, reason);
        }

        mailbox.Complete(new FrameSourceException(kind, DisplayName, reason));
    }
}
