using HgCounter.Frames;
using HgCounter.Rtsp.Sources;
using HgCounter.Security;
using Microsoft.Extensions.Logging;

namespace HgCounter.Rtsp.Ffmpeg;

/// <summary>
/// Reads a network stream (rtsp, rtsps, http(s), rtmp(s), srt) or a file through an ffmpeg child process that decodes
/// to raw bgr24 on stdout, at most at <see cref="FrameSourceOptions.TargetFps"/> and within <see cref="FrameSourceOptions.MaxWidth"/>×<see cref="FrameSourceOptions.MaxHeight"/>
/// (frames then carry the coordinate size they were scaled from). The size, codec and rate come from ffmpeg's own stream report before any frame is read; a dedicated thread reads exact frame-sized chunks into
/// pooled frames and hands them over through a mailbox: latest-frame for live streams (network, looping files), lossless
/// with back-pressure for files played once, in real time or not. Every failure (exit, end of stream,
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

    /// <summary>The ffmpeg process id while open (for diagnostics and tests).</summary>
    public int? ProcessId => _process?.Id;

    /// <inheritdoc />
    /// <remarks>Completes when ffmpeg reported its output stream, i.e. the first frame is decoded; bounded by the open timeout.</remarks>
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

            var parser = new FfmpegStreamInfoParser();
            var reported = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var tail = new StderrTail(_options.StderrLines, Redactor.SecretsOf(location.Value));
            tail.LineAdded += line =>
            {
                if (parser.Accept(line))
                {
                    Fail(FrameSourceErrorKind.FrameSizeChanged, "the stream's frame size changed (" + line.Trim() + "); reopen to learn the new size.");
                }
                else if (parser.HasOutput)
                {
                    reported.TrySetResult();
                }
            };

            var process = ChildProcess.Start(_options.FfmpegPath, FfmpegArguments.Decode(location, _options), tail, DisplayName, _timeProvider);
            _process = process;
            await WaitForStreamInfoAsync(process, reported.Task, cancellationToken).ConfigureAwait(false);

            var live = location.Kind == SourceKind.Network || _options.Loop;
            var info = Describe(parser, live);
            // Only a live stream (a network camera, a looping file) keeps just the latest frame. A file played once is a
            // recording, in real time (-re) or not: every frame is delivered, late under load, and back-pressure holds
            // ffmpeg, so a replay after a crash counts the same frames and mints the same event ids.
            _mailbox = new LatestFrameMailbox(dropOld: live, DisplayName, _timeProvider, process.Kill);
            Info = info;
            WarmPool(info, _mailbox.Capacity + 2);
            _reader = new Thread(() => ReadLoop(process, _mailbox, info))
            {
                IsBackground = true,
                Name = "ffmpeg reader " + _options.CameraName,
            };
            _reader.Start();
            IngestLog.Opened(_logger, _options.CameraName, DisplayName, info.Width, info.Height, info.FramesPerSecond, info.Codec, "ffmpeg");
            return info;
        }
        catch (FrameSourceException ex)
        {
            IngestLog.Failed(_logger, _options.CameraName, DisplayName, ex.Kind, ex.Message);
            await ReleaseProcessAsync().ConfigureAwait(false);
            throw;
        }
        catch (OperationCanceledException)
        {
            await ReleaseProcessAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken)
    {
        var mailbox = _mailbox ?? throw new InvalidOperationException("Call OpenAsync first.");
        return mailbox.TakeAsync(_options.ReadTimeout, cancellationToken);
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

    /// <summary>
    /// The stream as delivered. The coordinate size is the picture before the consumer's maximum size was applied: the
    /// requested Width/Height, or the stream's own size. The rate is the selected rate, or the stream's when that is lower.
    /// </summary>
    private StreamInfo Describe(FfmpegStreamInfoParser parser, bool live)
    {
        var fps = _options.TargetFps is { } target && (parser.FramesPerSecond <= 0 || target < parser.FramesPerSecond) ? target : parser.FramesPerSecond;
        var limited = _options.MaxWidth is not null || _options.MaxHeight is not null;
        var (width, height) = limited && parser.SourceWidth > 0 && parser.SourceHeight > 0
            ? OutputSize.Compute(parser.SourceWidth, parser.SourceHeight, _options.Width, _options.Height)
            : (parser.Width, parser.Height);
        return new StreamInfo(parser.Width, parser.Height, fps, parser.Codec, live) { CoordinateWidth = width, CoordinateHeight = height };
    }

    /// <summary>Waits, within the open timeout, until ffmpeg reported its output stream, or fails with the cause it gave when it exited.</summary>
    private async Task WaitForStreamInfoAsync(ChildProcess process, Task reported, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAny(reported, process.StderrDrained).WaitAsync(_options.OpenTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new FrameSourceException(FrameSourceErrorKind.Timeout, DisplayName, $"no video within the open timeout of {_options.OpenTimeout.TotalSeconds:0.###} s.{process.Stderr.Describe()}", ex);
        }

        if (!reported.IsCompleted)
        {
            // stderr closed before the stream report: ffmpeg exited; its last lines say why.
            await process.WaitForExitAsync(ExitBound, CancellationToken.None).ConfigureAwait(false);
            var kind = FfmpegErrorClassifier.Classify(process.Stderr.Relevant, FrameSourceErrorKind.StreamEnded);
            throw new FrameSourceException(kind, DisplayName, $"ffmpeg exited (code {ExitCodeText(process)}) before delivering video.{process.Stderr.Describe()}");
        }
    }

    /// <summary>Puts as many frames in the pool as can be in flight (mailbox, reader, consumer), so steady state never allocates one.</summary>
    private void WarmPool(StreamInfo info, int count)
    {
        var frames = new Frame[count];
        for (var i = 0; i < count; i++)
        {
            frames[i] = _pool.Rent(info.Width, info.Height, _options.CameraName, 0, default);
        }

        foreach (var frame in frames)
        {
            frame.Dispose();
        }
    }

    private async ValueTask ReleaseProcessAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await process.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string ExitCodeText(ChildProcess process) =>
        process.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";

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
                frame.SetCoordinateSize(info.CoordinateWidth, info.CoordinateHeight);
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
        var stderr = process.Stderr.Relevant;
        var exitCode = process.ExitCode;
        if (!info.IsLive && exitCode == 0 && partial == 0)
        {
            IngestLog.Finished(_logger, _options.CameraName, DisplayName, _frames);
            mailbox.Complete(null);
            return;
        }

        var kind = FfmpegErrorClassifier.Classify(stderr, FrameSourceErrorKind.StreamEnded);
        var reason = $"ffmpeg exited (code {ExitCodeText(process)}) after {_frames} frames.{process.Stderr.Describe()}";
        if (Volatile.Read(ref _disposed) == 0)
        {
            IngestLog.Failed(_logger, _options.CameraName, DisplayName, kind, reason);
        }

        mailbox.Complete(new FrameSourceException(kind, DisplayName, reason));
    }
}
