using HgCounter.Frames;
using HgCounter.Testing;

namespace HgCounter.Inference.Tests.Detectors;

/// <summary>Draws the synthetic model's scene straight into frame pixels: dark grey background, filled rectangles.</summary>
internal static class SyntheticScene
{
    public static readonly (byte B, byte G, byte R) Background = (40, 40, 40);
    public static readonly (byte B, byte G, byte R) Person = (60, 180, 255);
    public static readonly (byte B, byte G, byte R) Car = (255, 160, 60);

    public static string V8ModelPath => Path.Combine(TestPaths.RepositoryRoot, "models", "synthetic-yolov8.onnx");

    public static string V5ModelPath => Path.Combine(TestPaths.RepositoryRoot, "models", "synthetic-yolov5.onnx");

    public static string WrongShapeModelPath =>
        Path.Combine(TestPaths.RepositoryRoot, "tests", "HgCounter.Inference.Tests", "Detectors", "Models", "wrong-output-shape.onnx");

    /// <summary>A frame filled with the background colour.</summary>
    public static Frame Create(int width, int height)
    {
        var frame = Frame.CreateUnpooled(width, height, "test");
        Clear(frame);
        return frame;
    }

    public static void Clear(Frame frame) => Fill(frame, 0, 0, frame.Width, frame.Height, Background);

    /// <summary>Fills the rectangle (clipped to the frame) with one BGR colour.</summary>
    public static void Fill(Frame frame, int x, int y, int width, int height, (byte B, byte G, byte R) colour)
    {
        var pixels = frame.Pixels;
        for (var row = Math.Max(0, y); row < Math.Min(frame.Height, y + height); row++)
        {
            for (var col = Math.Max(0, x); col < Math.Min(frame.Width, x + width); col++)
            {
                var i = ((row * frame.Width) + col) * 3;
                pixels[i] = colour.B;
                pixels[i + 1] = colour.G;
                pixels[i + 2] = colour.R;
            }
        }
    }
}
