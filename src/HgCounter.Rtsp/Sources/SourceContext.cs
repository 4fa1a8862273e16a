using HgCounter.Frames;
using HgCounter.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HgCounter.Rtsp.Sources;

/// <summary>What every frame source holds: its options, frame pool, clock, logger and redacted name, with the defaults applied once.</summary>
internal sealed record SourceContext(FrameSourceOptions Options, FramePool Pool, TimeProvider Time, ILogger Logger, string DisplayName)
{
    public static SourceContext Create(FrameSourceOptions options, FramePool? pool, TimeProvider? timeProvider, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SourceContext(options, pool ?? FramePool.Shared, timeProvider ?? TimeProvider.System, logger ?? NullLogger.Instance, Redactor.Redact(options.Url) ?? string.Empty);
    }
}
