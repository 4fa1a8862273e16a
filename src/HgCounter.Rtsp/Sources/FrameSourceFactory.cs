using HgCounter.Configuration;
using HgCounter.Frames;
using HgCounter.Rtsp.Connection;
using HgCounter.Rtsp.Ffmpeg;
using HgCounter.Rtsp.OpenCv;
using HgCounter.Rtsp.Synthetic;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HgCounter.Rtsp.Sources;

/// <summary>
/// Picks the source from the location: network URLs → <see cref="FfmpegFrameSource"/>; files →
/// <see cref="FfmpegFrameSource"/> (or <see cref="OpenCvFrameSource"/> with <see cref="FileDecoder.OpenCv"/>); devices →
/// <see cref="OpenCvFrameSource"/>; <c>synthetic:</c> → the registered <see cref="SyntheticSourceFactory"/>.
/// </summary>
public sealed class FrameSourceFactory : IFrameSourceFactory
{
    // Enough for the frames a source can have in flight (mailbox, reader, the consumer's current frame) with room to spare.
    private const int PerSourcePoolSize = 16;
    private readonly FramePool? _pool;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly SyntheticSourceFactory? _synthetic;

    /// <summary>Creates the factory.</summary>
    /// <param name="pool">Frame pool shared by the sources; when null (the default) each source gets a pool of its own, so
    /// a camera's buffers (and the native wrappers cached per buffer downstream) stay with that camera and its frame size.</param>
    /// <param name="timeProvider">Clock for timeouts and pacing.</param>
    /// <param name="loggerFactory">Loggers for the sources.</param>
    /// <param name="synthetic">Creates sources for <c>synthetic:NAME</c>; without it such locations are <see cref="FrameSourceErrorKind.UnsupportedScheme"/>.</param>
    public FrameSourceFactory(FramePool? pool = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, SyntheticSourceFactory? synthetic = null)
    {
        _pool = pool;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _synthetic = synthetic;
    }

    /// <summary>
    /// Sources for the built-in generated scenes (<c>synthetic:demo</c> and the test scenes), each with its own small
    /// frame pool: pass as <c>synthetic</c> to count a scene without a camera.
    /// </summary>
    public static SyntheticSourceFactory GeneratedScenes(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return (options, location) => SyntheticFrameSource.FromName(location.SceneName!, options.CameraName, timeProvider, options.Realtime, options.Loop, new FramePool(8));
    }

    /// <inheritdoc />
    public IFrameSource Create(FrameSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var location = LocationParser.Parse(options.Url);
        return location.Kind switch
        {
            SourceKind.Network => NewFfmpeg(options),
            SourceKind.File when options.FileDecoder == FileDecoder.Ffmpeg => NewFfmpeg(options),
            SourceKind.File or SourceKind.Device => new OpenCvFrameSource(options, PoolFor(), _timeProvider, _loggerFactory.CreateLogger<OpenCvFrameSource>()),
            SourceKind.Synthetic when _synthetic is not null => _synthetic(options, location),
            _ => throw new FrameSourceException(FrameSourceErrorKind.UnsupportedScheme, location.DisplayName, "no synthetic source is registered; pass one to FrameSourceFactory."),
        };
    }

    /// <inheritdoc />
    public IFrameSource Create(CameraOptions camera, int attempt) => Create(FrameSourceOptions.FromCamera(camera, attempt));

    /// <inheritdoc />
    public async Task<ConnectionTestResult> TestConnectionAsync(FrameSourceOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            var location = LocationParser.Parse(options.Url);
            if (location.Kind is SourceKind.Network or SourceKind.File)
            {
                var probe = await FfprobeRunner.ProbeAsync(location, options, timeout, _timeProvider, cancellationToken).ConfigureAwait(false);
                return ConnectionTestResult.Succeeded(location.DisplayName, new StreamInfo(probe.Width, probe.Height, probe.FramesPerSecond, probe.Codec, location.Kind == SourceKind.Network));
            }

            var bounded = options.WithUrl(options.Url);
            bounded.OpenTimeout = timeout;
            var source = Create(bounded);
            await using (source.ConfigureAwait(false))
            {
                return ConnectionTestResult.Succeeded(location.DisplayName, await source.OpenAsync(cancellationToken).ConfigureAwait(false));
            }
        }
        catch (FrameSourceException ex)
        {
            return ConnectionTestResult.Failed(ex);
        }
    }

    private FfmpegFrameSource NewFfmpeg(FrameSourceOptions options) =>
        new(options, PoolFor(), _timeProvider, _loggerFactory.CreateLogger<FfmpegFrameSource>());

    private FramePool PoolFor() => _pool ?? new FramePool(PerSourcePoolSize);
}
