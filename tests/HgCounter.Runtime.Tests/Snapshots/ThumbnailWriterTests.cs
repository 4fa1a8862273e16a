using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Frames;
using HgCounter.Snapshots;
using HgCounter.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OpenCvSharp;

namespace HgCounter.Runtime.Tests.Snapshots;

/// <summary>The thumbnail writer with real OpenCV encoding and real files in a temp folder.</summary>
public class ThumbnailWriterTests
{
    [Fact]
    public async Task TryEnqueue_CropOfBox_WritesJpegNamedAfterEventAtMostWidthWide()
    {
        var directory = Path.Combine(TestPaths.NewTempDirectory(), "snapshots");
        await using var writer = new ThumbnailWriter(new ThumbnailOptions { Enabled = true, Width = 64 }, directory, TimeProvider.System, NullLogger.Instance);
        using var frame = Scene();
        var id = Guid.NewGuid();

        ThumbnailCrop.TryCopy(frame, new BoundingBox(200, 100, 120, 200), id, out var crop).Should().BeTrue();
        (crop.Width, crop.Height).Should().Be((156, 260), "the box plus 15 % on each side");
        writer.TryEnqueue(crop).Should().BeTrue();
        await WaitAsync(() => writer.Written == 1);

        using var jpeg = Cv2.ImRead(writer.PathOf(id), ImreadModes.Color);
        (jpeg.Width, jpeg.Height).Should().Be((64, 107), "scaled down to Width, aspect kept");
        // The crop is centred on the white box drawn in the scene: its middle is white, a corner is the grey margin.
        jpeg.At<Vec3b>(53, 32).Item0.Should().BeGreaterThan(200);
        jpeg.At<Vec3b>(2, 2).Item0.Should().BeLessThan(150);
        Directory.GetFiles(directory, "*" + ThumbnailWriter.TempExtension).Should().BeEmpty("the temp file is renamed");
    }

    [Fact]
    public void TryCopy_ScaledFrame_CropsInFramePixelsAndClampsToTheFrame()
    {
        using var frame = Frame.CreateUnpooled(320, 180);
        frame.SetCoordinateSize(640, 360);

        ThumbnailCrop.TryCopy(frame, new BoundingBox(600, 300, 100, 100), Guid.NewGuid(), out var crop).Should().BeTrue();

        (crop.Width, crop.Height).Should().Be((320 - 292, 180 - 142), "coordinates halve on a half-size frame and stop at its edge");
        System.Buffers.ArrayPool<byte>.Shared.Return(crop.Pixels);
        ThumbnailCrop.TryCopy(frame, new BoundingBox(900, 500, 10, 10), Guid.NewGuid(), out _).Should().BeFalse("a box outside the frame has nothing to show");
    }

    [Fact]
    public async Task Retention_BurstPastMaxFiles_KeepsOnlyTheNewest()
    {
        var directory = TestPaths.NewTempDirectory();
        await using var writer = new ThumbnailWriter(new ThumbnailOptions { Enabled = true, MaxFiles = 5, QueueCapacity = 100 }, directory, TimeProvider.System, NullLogger.Instance);
        using var frame = Scene();
        var ids = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid()).ToList();

        foreach (var id in ids)
        {
            ThumbnailCrop.TryCopy(frame, new BoundingBox(100, 50, 300, 250), id, out var crop).Should().BeTrue();
            writer.TryEnqueue(crop).Should().BeTrue();
        }

        await WaitAsync(() => writer.Written == ids.Count);
        await WaitAsync(() => Directory.GetFiles(directory, "*.jpg").Length <= 5);
        Directory.GetFiles(directory, "*.jpg").Select(Path.GetFileNameWithoutExtension)
            .Should().BeEquivalentTo(ids.TakeLast(5).Select(i => i.ToString("D")), "the oldest go first");
    }

    [Fact]
    public async Task Retention_MaxMegabytesSmall_FolderStaysUnderTheBound()
    {
        var directory = TestPaths.NewTempDirectory();
        // Noise does not compress: each full-width thumbnail is tens of KB, so 1 MB holds a few dozen.
        await using var writer = new ThumbnailWriter(new ThumbnailOptions { Enabled = true, Width = 640, Quality = 100, MaxMegabytes = 1, QueueCapacity = 200 }, directory, TimeProvider.System, NullLogger.Instance);
        using var frame = Noise();
        for (var i = 0; i < 150; i++)
        {
            ThumbnailCrop.TryCopy(frame, new BoundingBox(0, 0, 640, 360), Guid.NewGuid(), out var crop).Should().BeTrue();
            writer.TryEnqueue(crop).Should().BeTrue();
        }

        await WaitAsync(() => writer.Written == 150);
        var files = new DirectoryInfo(directory).GetFiles("*.jpg");
        files.Sum(f => f.Length).Should().BeLessThanOrEqualTo(1024 * 1024);
        files.Length.Should().BeInRange(1, 149, "some were removed, the newest were kept");
    }

    [Fact]
    public async Task Retention_MaxAgePassedWithoutWrites_PeriodicPassRemovesOld()
    {
        var directory = TestPaths.NewTempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var writer = new ThumbnailWriter(new ThumbnailOptions { Enabled = true, MaxAge = TimeSpan.FromMinutes(10) }, directory, time, NullLogger.Instance);
        using var frame = Scene();
        ThumbnailCrop.TryCopy(frame, new BoundingBox(100, 50, 100, 100), Guid.NewGuid(), out var crop).Should().BeTrue();
        writer.TryEnqueue(crop).Should().BeTrue();
        await WaitAsync(() => writer.Written == 1);
        Directory.GetFiles(directory, "*.jpg").Should().ContainSingle();

        await WaitAsync(() =>
        {
            time.Advance(ThumbnailWriter.RetentionInterval); // the writer's periodic pass, 11 minutes on
            return Directory.GetFiles(directory, "*.jpg").Length == 0;
        });
    }

    [Fact]
    public async Task TryEnqueue_WriterBehindAndQueueFull_DropsAndCountsWithoutWaiting()
    {
        var directory = TestPaths.NewTempDirectory();
        await using var writer = new ThumbnailWriter(new ThumbnailOptions { Enabled = true, QueueCapacity = 2 }, directory, TimeProvider.System, NullLogger.Instance);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        writer.BeforeWrite = async token =>
        {
            entered.TrySetResult();
            await release.Task.WaitAsync(token);
        };
        using var frame = Scene();
        var ids = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
        bool Enqueue(Guid id) => ThumbnailCrop.TryCopy(frame, new BoundingBox(100, 50, 100, 100), id, out var crop) && writer.TryEnqueue(crop);

        Enqueue(ids[0]).Should().BeTrue();
        await entered.Task.WaitAsync(TestContext.Timeout(30)); // the writer holds the first one
        var accepted = ids.Skip(1).Select(Enqueue).ToArray();

        accepted.Should().Equal(true, true, false);
        writer.Dropped.Should().Be(1);
        release.SetResult();
        await WaitAsync(() => writer.Written == 3);
        File.Exists(writer.PathOf(ids[3])).Should().BeFalse("a dropped thumbnail is never written");
    }

    [Fact]
    public async Task TryEnqueue_DiskBelowFloor_StopsThumbnailsWithoutWriting()
    {
        var directory = TestPaths.NewTempDirectory();
        var free = ThumbnailWriter.DiskFloorBytes - 1;
        await using var writer = new ThumbnailWriter(new ThumbnailOptions { Enabled = true }, directory, TimeProvider.System, NullLogger.Instance, freeDiskBytes: () => Volatile.Read(ref free));
        using var frame = Scene();
        bool Enqueue(Guid id) => ThumbnailCrop.TryCopy(frame, new BoundingBox(100, 50, 100, 100), id, out var crop) && writer.TryEnqueue(crop);

        Enqueue(Guid.NewGuid());
        await WaitAsync(() => writer.IsDiskFull);
        Enqueue(Guid.NewGuid()).Should().BeFalse("stopped: the loop does not even queue");
        writer.Written.Should().Be(0);
        writer.Dropped.Should().Be(2);
        Directory.GetFiles(directory).Should().BeEmpty();
    }

    private static Frame Scene()
    {
        var frame = Frame.CreateUnpooled(640, 360);
        frame.Pixels.Fill(100);
        using var view = Mat.FromPixelData(360, 640, MatType.CV_8UC3, frame.Buffer);
        view.Rectangle(new Rect(200, 100, 120, 200), Scalar.White, -1);
        return frame;
    }

    private static Frame Noise()
    {
        var frame = Frame.CreateUnpooled(640, 360);
        new Random(7).NextBytes(frame.Pixels);
        return frame;
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the writer works within a minute");
            await Task.Delay(20);
        }
    }
}
