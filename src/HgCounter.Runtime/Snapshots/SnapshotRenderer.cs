using System.Globalization;
using HgCounter.Configuration;
using HgCounter.Counting;
using HgCounter.Status;
using OpenCvSharp;

namespace HgCounter.Snapshots;

/// <summary>
/// Draws a camera's overlay on a captured frame and encodes it as JPEG, off the camera loop. The picture is in the
/// camera's coordinate space (the size its lines and zones are configured in), scaled down to <see cref="SnapshotOptions.MaxWidth"/>.
/// </summary>
internal static class SnapshotRenderer
{
    private const HersheyFonts Font = HersheyFonts.HersheySimplex;

    public static CameraSnapshot Render(string camera, SnapshotCapture capture, CameraOptions options, CameraStatus? status, SnapshotOptions snapshot)
    {
        var width = Math.Min(capture.CoordinateWidth, snapshot.MaxWidth ?? int.MaxValue);
        var height = Math.Max(1, (int)Math.Round(capture.CoordinateHeight * (double)width / capture.CoordinateWidth, MidpointRounding.AwayFromZero));
        using var picture = new Mat();
        if (capture.Image.Width == width && capture.Image.Height == height)
        {
            capture.Image.CopyTo(picture);
        }
        else
        {
            Cv2.Resize(capture.Image, picture, new Size(width, height), 0, 0, InterpolationFlags.Area);
        }

        if (snapshot.Overlay)
        {
            var overlay = new Overlay(picture, (double)width / capture.CoordinateWidth);
            foreach (var zone in options.Zones)
            {
                overlay.DrawZone(zone, status?.Zones.FirstOrDefault(z => string.Equals(z.Zone, zone.Name, StringComparison.Ordinal)));
            }

            foreach (var line in options.Lines)
            {
                overlay.DrawLine(line, status?.Lines.FirstOrDefault(l => string.Equals(l.Line, line.Name, StringComparison.Ordinal)));
            }

            foreach (var track in capture.Tracks)
            {
                overlay.DrawTrack(track);
            }
        }

        Cv2.ImEncode(".jpg", picture, out var jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, snapshot.Quality));
        return new CameraSnapshot(camera, jpeg, width, height, capture.CapturedAt, snapshot.Overlay);
    }

    private sealed class Overlay(Mat picture, double scale)
    {
        private readonly int _thickness = Math.Max(2, (int)Math.Round(3 * scale));
        private readonly double _fontScale = Math.Max(0.35, 0.55 * scale);
        private readonly int _arrow = Math.Max(12, (int)Math.Round(36 * scale));

        public void DrawLine(LineOptions line, LineCount? count)
        {
            if (line.Start.Length < 2 || line.End.Length < 2)
            {
                return;
            }

            var start = ToPixel(line.Start[0], line.Start[1]);
            var end = ToPixel(line.End[0], line.End[1]);
            Cv2.Line(picture, start, end, OverlayColors.Line, _thickness, LineTypes.AntiAlias);

            // In crossings go from the positive side of Start→End (see CountingLine.SignedDistance) to the other one:
            // the In arrow points along (dy, -dx).
            double dx = end.X - start.X, dy = end.Y - start.Y;
            var length = Math.Sqrt((dx * dx) + (dy * dy));
            if (length < 1)
            {
                return;
            }

            var (nx, ny) = (dy / length, -dx / length);
            var middle = new Point((start.X + end.X) / 2, (start.Y + end.Y) / 2);
            var inTip = new Point(middle.X + (nx * _arrow), middle.Y + (ny * _arrow));
            var outTip = new Point(middle.X - (nx * _arrow), middle.Y - (ny * _arrow));
            Cv2.ArrowedLine(picture, outTip, inTip, OverlayColors.Line, _thickness, LineTypes.AntiAlias, 0, 0.3);
            Label("In", new Point(inTip.X + (nx * 6), inTip.Y + (ny * 6)), OverlayColors.Line);
            Label("Out", new Point(outTip.X - (nx * 6) - 24, outTip.Y - (ny * 6)), OverlayColors.Line);
            var totals = count is null
                ? line.Name
                : string.Create(CultureInfo.InvariantCulture, $"{line.Name}  In {count.In}  Out {count.Out}");
            Label(totals, new Point(Math.Min(start.X, end.X) + 6, Math.Min(start.Y, end.Y) + 6), OverlayColors.Text);
        }

        public void DrawZone(ZoneOptions zone, ZoneOccupancy? occupancy)
        {
            if (zone.Points.Length < 3 || zone.Points.Any(p => p.Length < 2))
            {
                return;
            }

            var corners = zone.Points.Select(p => ToPixel(p[0], p[1])).ToArray();
            Cv2.Polylines(picture, [corners], isClosed: true, OverlayColors.Zone, _thickness, LineTypes.AntiAlias);
            var text = occupancy is null
                ? zone.Name
                : string.Create(CultureInfo.InvariantCulture, $"{zone.Name}: {occupancy.Count}");
            var top = corners.MinBy(c => c.Y);
            Label(text, new Point(top.X, top.Y + 4), OverlayColors.Zone);
        }

        public void DrawTrack(Tracking.Track track)
        {
            var box = track.Box;
            var topLeft = ToPixel(box.X, box.Y);
            var bottomRight = ToPixel(box.Right, box.Bottom);
            Cv2.Rectangle(picture, topLeft, bottomRight, OverlayColors.Track, Math.Max(1, _thickness - 1));
            Label(string.Create(CultureInfo.InvariantCulture, $"#{track.Id} {track.Label}"), new Point(topLeft.X, topLeft.Y - 18), OverlayColors.Track);
        }

        // Text on a black box so it reads on any picture; kept inside the frame.
        private void Label(string text, Point at, Scalar colour)
        {
            var size = Cv2.GetTextSize(text, Font, _fontScale, 1, out var baseline);
            var x = Math.Clamp(at.X, 0, Math.Max(0, picture.Width - size.Width - 4));
            var y = Math.Clamp(at.Y, 0, Math.Max(0, picture.Height - size.Height - baseline - 4));
            Cv2.Rectangle(picture, new Rect(x, y, size.Width + 4, size.Height + baseline + 4), OverlayColors.TextBackground, -1);
            Cv2.PutText(picture, text, new Point(x + 2, y + size.Height + 2), Font, _fontScale, colour, 1, LineTypes.AntiAlias);
        }

        private Point ToPixel(float x, float y) => new((int)Math.Round(x * scale), (int)Math.Round(y * scale));
    }
}
