using HgCounter.Inference.Imaging;

namespace HgCounter.Inference.Tests.Detectors;

public sealed class LetterboxPreprocessorTests
{
    private const float Tolerance = 1e-6f;

    [Fact]
    public void Process_1280x720_CentresImageBetweenGreyBarsAsPlanarRgb()
    {
        using var frame = SyntheticScene.Create(1280, 720);
        SyntheticScene.Fill(frame, 0, 0, 1280, 720, (10, 20, 200));  // B, G, R
        using var letterbox = new LetterboxPreprocessor(640, 640);

        var transform = letterbox.Process(frame.Buffer, frame.Width, frame.Height);

        transform.Should().Be(new LetterboxTransform(0.5f, 0, 140, 1280, 720));
        var plane = 640 * 640;
        var t = letterbox.Tensor;
        var inside = (300 * 640) + 320;
        t[inside].Should().BeApproximately(200 / 255f, Tolerance, "red plane first");
        t[plane + inside].Should().BeApproximately(20 / 255f, Tolerance);
        t[(2 * plane) + inside].Should().BeApproximately(10 / 255f, Tolerance);
        t[(20 * 640) + 320].Should().BeApproximately(114 / 255f, Tolerance);
        t[(639 * 640) + 320].Should().BeApproximately(114 / 255f, Tolerance);
        t[(140 * 640) + 320].Should().BeApproximately(200 / 255f, Tolerance, "the first image row starts right after the top bar");
        t[(139 * 640) + 320].Should().BeApproximately(114 / 255f, Tolerance, "the row above is still the bar");
    }

    [Fact]
    public void Process_SmallerFrameAfterLargerOne_RepaintsThePadding()
    {
        using var letterbox = new LetterboxPreprocessor(640, 640);
        using var wide = SyntheticScene.Create(1280, 720);
        using var tall = SyntheticScene.Create(360, 640);
        letterbox.Process(wide.Buffer, wide.Width, wide.Height);

        var transform = letterbox.Process(tall.Buffer, tall.Width, tall.Height);

        transform.PadX.Should().Be(140);
        transform.PadY.Should().Be(0);
        letterbox.Tensor[320].Should().BeApproximately(40 / 255f, Tolerance, "the image now covers the top rows");
        letterbox.Tensor[(320 * 640) + 10].Should().BeApproximately(114 / 255f, Tolerance, "the left bar is padding now");
    }

    [Fact]
    public void Process_BufferTooSmall_Throws()
    {
        using var letterbox = new LetterboxPreprocessor(640, 640);

        var act = () => letterbox.Process(new byte[100], 640, 360);

        act.Should().Throw<ArgumentException>().WithMessage("*640x360*");
    }
}
