using HgCounter.FaultTests.Infrastructure;
using HgCounter.Frames;
using HgCounter.Rtsp.Ffmpeg;
using HgCounter.Rtsp.Sources;
using HgCounter.Testing;

namespace HgCounter.FaultTests.Leaks;

public class FileDescriptorLeakTests
{
    [Fact]
    public async Task DisposeAsync_ManyFfmpegSourcesOpenedAndDisposed_LeavesNoPipeOpen()
    {
        await using var server = await RtspServerFixture.StartAsync("--width", "160", "--height", "120", "--fps", "10");
        var self = Environment.ProcessId;
        await OpenReadDisposeAsync(server.Url); // warm-up: lazily created runtime handles are not a leak
        var before = Pipes(self);

        for (var i = 0; i < 6; i++)
        {
            await OpenReadDisposeAsync(server.Url);
        }

        // No GC here on purpose: a pipe closed only by a finalizer stays open for as long as the process allocates
        // little, which is exactly the steady state of a counter that runs for months.
        Pipes(self).Should().BeLessThanOrEqualTo(before, "every ffmpeg's stdout and stderr pipes are closed when its source is disposed");
        (await ProcessTable.WaitForNoChildrenAsync($"127.0.0.1:{server.Port}/", TimeSpan.FromSeconds(10))).Should().BeEmpty();
    }

    private static async Task OpenReadDisposeAsync(string url)
    {
        await using var source = new FfmpegFrameSource(new FrameSourceOptions { Url = url, OpenTimeout = TimeSpan.FromSeconds(20), ReadTimeout = TimeSpan.FromSeconds(5) });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await source.OpenAsync(cts.Token);
        using Frame? frame = await source.ReadAsync(cts.Token);
        frame.Should().NotBeNull();
    }

    private static int Pipes(int pid) => ProcessProbe.FileDescriptorKinds(pid).GetValueOrDefault("pipe");
}
