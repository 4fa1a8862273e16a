using System.Diagnostics;
using HgCounter.Frames;
using HgCounter.Testing;

namespace HgCounter.Rtsp.Tests.Infrastructure;

/// <summary>Shared checks: a source operation fails with a given kind, in bounded time, leaving no ffmpeg behind.</summary>
internal static class SourceAssertions
{
    /// <summary>Runs <paramref name="action"/>, expects a <see cref="FrameSourceException"/> of <paramref name="kind"/>, and returns it with the time it took.</summary>
    public static async Task<(FrameSourceException Error, TimeSpan Elapsed)> FailsWithAsync(Func<Task> action, FrameSourceErrorKind kind)
    {
        var clock = Stopwatch.StartNew();
        var error = (await action.Should().ThrowAsync<FrameSourceException>()).Which;
        clock.Stop();
        error.Kind.Should().Be(kind, "the failure was: {0}", error.Message);
        return (error, clock.Elapsed);
    }

    /// <summary>Asserts no child process of ours mentions <paramref name="marker"/> (e.g. the stream's port or file).</summary>
    public static async Task NoChildProcessLeftAsync(string marker)
    {
        var left = await ProcessTable.WaitForNoChildrenAsync(marker, TimeSpan.FromSeconds(5));
        left.Should().BeEmpty("no ffmpeg/ffprobe child may outlive its source");
    }
}
