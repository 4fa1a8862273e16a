using HgCounter.Configuration;
using HgCounter.Counting;
using HgCounter.Detection;
using HgCounter.Health;
using HgCounter.Snapshots;
using HgCounter.Status;
using HgCounter.Tracking;
using OpenCvSharp;

namespace HgCounter.Runtime.Tests.Snapshots;

public class SnapshotRendererTests
{
    private const byte Grey = 40;

    [Fact]
    public void Render_Overlay_LinePixelsCarryTheLineColour()
    {
        using var capture = Capture(640, 360, 640, 360);

        var snapshot = SnapshotRenderer.Render("door-cam", capture, Camera(), Status(3, 1), new SnapshotOptions());

        using var picture = Decode(snapshot);
        (picture.Width, picture.Height).Should().Be((640, 360));
        foreach (var y in new[] { 60, 120, 250, 300 })
        {
            IsLineColour(picture.At<Vec3b>(y, 320)).Should().BeTrue($"the door line runs through (320, {y}); found {picture.At<Vec3b>(y, 320)}");
        }

        IsLineColour(picture.At<Vec3b>(300, 100)).Should().BeFalse("the overlay stays on the line");
    }

    [Fact]
    public void Render_Raw_LinePixelsKeepThePicture()
    {
        using var capture = Capture(640, 360, 640, 360);

        var snapshot = SnapshotRenderer.Render("door-cam", capture, Camera(), Status(3, 1), new SnapshotOptions { Overlay = false });

        using var picture = Decode(snapshot);
        snapshot.HasOverlay.Should().BeFalse();
        foreach (var y in new[] { 60, 120, 250, 300 })
        {
            var pixel = picture.At<Vec3b>(y, 320);
            IsLineColour(pixel).Should().BeFalse();
            pixel.Item1.Should().BeInRange(Grey - 8, Grey + 8, "raw mode is the camera's own picture");
        }
    }

    [Fact]
    public void Render_MaxWidth_ScalesPictureAndOverlayTogether()
    {
        using var capture = Capture(640, 360, 640, 360);

        var snapshot = SnapshotRenderer.Render("door-cam", capture, Camera(), null, new SnapshotOptions { MaxWidth = 320 });

        using var picture = Decode(snapshot);
        (snapshot.Width, snapshot.Height, picture.Width, picture.Height).Should().Be((320, 180, 320, 180));
        IsLineColour(picture.At<Vec3b>(140, 160)).Should().BeTrue("the line is at half its configured x in a half-width picture");
    }

    [Fact]
    public void Render_FrameScaledDownByDecoder_PictureHasTheCameraCoordinateSize()
    {
        // The decoder delivered 320x180 for the detector; lines are configured in the camera's 640x360.
        using var capture = Capture(320, 180, 640, 360);

        var snapshot = SnapshotRenderer.Render("door-cam", capture, Camera(), null, new SnapshotOptions());

        using var picture = Decode(snapshot);
        (picture.Width, picture.Height).Should().Be((640, 360));
        IsLineColour(picture.At<Vec3b>(250, 320)).Should().BeTrue();
    }

    [Fact]
    public void Render_ZoneAndTrack_DrawnInTheirColours()
    {
        var camera = Camera();
        camera.Zones.Add(new ZoneOptions { Name = "queue", Points = [[40, 200], [200, 200], [200, 340], [40, 340]] });
        var track = new Track(7, new BoundingBox(420, 100, 60, 120), 0, "person", 0.9f, IsConfirmed: true, Hits: 10, MissedFrames: 0);
        using var capture = Capture(640, 360, 640, 360, track);

        var snapshot = SnapshotRenderer.Render("door-cam", capture, camera, Status(0, 0), new SnapshotOptions { Quality = 95 });

        using var picture = Decode(snapshot);
        IsNear(picture.At<Vec3b>(270, 40), OverlayColors.Zone).Should().BeTrue("the zone's left edge is at x = 40");
        IsNear(picture.At<Vec3b>(300, 200), OverlayColors.Zone).Should().BeTrue("the zone's right edge is at x = 200");
        IsNear(picture.At<Vec3b>(180, 420), OverlayColors.Track).Should().BeTrue("the track's box starts at x = 420");
    }

    [Fact]
    public void Render_Quality_LowerQualityGivesSmallerJpeg()
    {
        using var capture = Capture(640, 360, 640, 360, noise: true);

        var best = SnapshotRenderer.Render("door-cam", capture, Camera(), null, new SnapshotOptions { Quality = 100, Overlay = false });
        var small = SnapshotRenderer.Render("door-cam", capture, Camera(), null, new SnapshotOptions { Quality = 10, Overlay = false });

        small.Jpeg.Length.Should().BeLessThan(best.Jpeg.Length);
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(101, null)]
    [InlineData(80, 8)]
    public void Validate_OutOfRange_ThrowsNamingTheOption(int quality, int? maxWidth)
    {
        var act = () => new SnapshotOptions { Quality = quality, MaxWidth = maxWidth }.Validate();

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(maxWidth is null ? "Quality" : "MaxWidth");
    }

    internal static bool IsLineColour(Vec3b pixel) => IsNear(pixel, OverlayColors.Line);

    // JPEG moves colours a little; the overlay colours are saturated, far from any grey.
    private static bool IsNear(Vec3b pixel, Scalar colour) =>
        Math.Abs(pixel.Item0 - colour.Val0) < 70 && Math.Abs(pixel.Item1 - colour.Val1) < 70 && Math.Abs(pixel.Item2 - colour.Val2) < 70;

    internal static Mat Decode(CameraSnapshot snapshot)
    {
        var picture = Cv2.ImDecode(snapshot.Jpeg.ToArray(), ImreadModes.Color);
        picture.Empty().Should().BeFalse("the snapshot is a JPEG");
        return picture;
    }

    private static CameraOptions Camera()
    {
        var camera = new CameraOptions { Name = "door-cam", Url = "synthetic:demo" };
        camera.Lines.Add(new LineOptions { Name = "door", Start = [320, 0], End = [320, 360] });
        return camera;
    }

    private static CameraStatus Status(long @in, long @out) =>
        new("door-cam", new CameraHealthInfo("door-cam", CameraHealth.Healthy, 0, null, null, 0, null, "synthetic:demo"), 10, 100, 0, 0,
            [new LineCount("door", @in, @out, new Dictionary<string, DirectionCount>())])
        {
            Zones = [new ZoneOccupancy("queue", 2, new Dictionary<string, int> { ["person"] = 2 })],
        };

    private static SnapshotCapture Capture(int width, int height, int coordinateWidth, int coordinateHeight, Track? track = null, bool noise = false)
    {
        var image = new Mat(height, width, MatType.CV_8UC3, new Scalar(Grey, Grey, Grey));
        if (noise)
        {
            Cv2.Randu(image, new Scalar(0, 0, 0), new Scalar(255, 255, 255));
        }

        return new SnapshotCapture(image, coordinateWidth, coordinateHeight, track is { } t ? [t] : [], DateTimeOffset.UnixEpoch);
    }
}
