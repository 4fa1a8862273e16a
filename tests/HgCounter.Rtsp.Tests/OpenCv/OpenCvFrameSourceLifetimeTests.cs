using HgCounter.Frames;
using HgCounter.Rtsp.OpenCv;
using HgCounter.Rtsp.Sources;
using HgCounter.Rtsp.Tests.Infrastructure;
using HgCounter.Testing;
using Microsoft.Extensions.Time.Testing;
using OpenCvSharp;

namespace HgCounter.Rtsp.Tests.OpenCv;

/// <summary>
/// Native handle ownership and the live reader, through the internal opener seam: a real <see cref="VideoCapture"/> (on the
/// test clip, standing in for a V4L2 device that cannot exist here) or an open that returns only after the caller gave up.
/// </summary>
public sealed class OpenCvFrameSourceLifetimeTests : IClassFixture<TestClip>
{
    private readonly TestClip _clip;

    public OpenCvFrameSourceLifetimeTests(TestClip clip) => _clip = clip;

    [Fact]
    public async Task OpenAsync_OpenFinishesAfterTimeout_DisposesTheLateCapture()
    {
        var time = new FakeTimeProvider();
        using var gate = new ManualResetEventSlim();
        var opened = new TaskCompletionSource<VideoCapture>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var source = SlowDevice(gate, opened, time);

        // OpenAsync has armed its timeout when it returns its task: the open itself blocks on the gate.
        var open = source.OpenAsync(TestContext.Timeout()).AsTask();
        time.Advance(TimeSpan.FromSeconds(5));
        await SourceAssertions.FailsWithAsync(() => open, FrameSourceErrorKind.Timeout);

        gate.Set();
        var late = await opened.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitUntilAsync(() => late.IsDisposed);
        late.IsDisposed.Should().BeTrue("nobody else owns a capture that finished opening after the timeout; a device would stay busy");
    }

    [Fact]
    public async Task OpenAsync_CancelledWhileOpening_DisposesTheLateCapture()
    {
        using var gate = new ManualResetEventSlim();
        var opened = new TaskCompletionSource<VideoCapture>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource();
        await using var source = SlowDevice(gate, opened, new FakeTimeProvider());

        var open = source.OpenAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();
        await open.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();

        gate.Set();
        var late = await opened.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitUntilAsync(() => late.IsDisposed);
        late.IsDisposed.Should().BeTrue();
    }

    [Fact]
    public async Task DisposeAsync_OpenDevice_DisposesTheCapture()
    {
        VideoCapture? capture = null;
        var source = new OpenCvFrameSource(DeviceOptions(), (_, _) => capture = new VideoCapture(_clip.Path));
        await source.OpenAsync(TestContext.Timeout());
        (await source.ReadAsync(TestContext.Timeout()))!.Dispose();

        await source.DisposeAsync();

        await WaitUntilAsync(() => capture!.IsDisposed);
        capture!.IsDisposed.Should().BeTrue();
    }

    [Fact]
    public async Task ReadAsync_DeviceConsumerSlowerThanCapture_DeliversTheLatestFrameAndCountsDrops()
    {
        await using var source = new OpenCvFrameSource(DeviceOptions(), (_, _) => new VideoCapture(_clip.Path));
        await source.OpenAsync(TestContext.Timeout());

        // Nobody reads: a live capture keeps going and keeps only the newest frame.
        await WaitUntilAsync(() => source.DroppedFrames > 0);
        using var frame = await source.ReadAsync(TestContext.Timeout());

        frame!.Sequence.Should().BeGreaterThan(0, "frame 0 was replaced by newer ones");
        source.DroppedFrames.Should().BeGreaterThan(0);
        (frame.Width, frame.Height).Should().Be((TestClip.Width, TestClip.Height));
    }

    [Fact]
    public async Task ReadAsync_DeviceStopsDelivering_FailsStreamEndedAfterItsFrames()
    {
        await using var source = new OpenCvFrameSource(DeviceOptions(), (_, _) => new VideoCapture(_clip.Path));
        await source.OpenAsync(TestContext.Timeout());
        var delivered = 0;

        var act = async () =>
        {
            while (true)
            {
                using var frame = await source.ReadAsync(TestContext.Timeout());
                delivered++;
            }
        };

        await SourceAssertions.FailsWithAsync(act, FrameSourceErrorKind.StreamEnded);
        (delivered + source.DroppedFrames).Should().Be(TestClip.FrameCount, "every captured frame is either delivered or counted as dropped");
    }

    private static FrameSourceOptions DeviceOptions() => new() { CameraName = "usb", Url = "device:0", OpenTimeout = TimeSpan.FromSeconds(30), ReadTimeout = TimeSpan.FromSeconds(30) };

    /// <summary>A device whose open blocks until <paramref name="gate"/> is set, then returns a real (empty) capture.</summary>
    private static OpenCvFrameSource SlowDevice(ManualResetEventSlim gate, TaskCompletionSource<VideoCapture> opened, TimeProvider time) =>
        new(
            new FrameSourceOptions { Url = "device:0", OpenTimeout = TimeSpan.FromSeconds(5) },
            (_, _) =>
            {
                gate.Wait(TimeSpan.FromSeconds(60));
                var capture = new VideoCapture();
                opened.SetResult(capture);
                return capture;
            },
            timeProvider: time);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }
    }
}
