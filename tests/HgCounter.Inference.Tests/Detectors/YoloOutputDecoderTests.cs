using HgCounter.Detection;
using HgCounter.Inference.Detectors;
using HgCounter.Inference.Imaging;

namespace HgCounter.Inference.Tests.Detectors;

public sealed class YoloOutputDecoderTests
{
    private static readonly string[] Names = ["person", "car", "dog"];
    private static readonly LetterboxTransform Identity = new(1f, 0, 0, 640, 640);

    [Fact]
    public void Decode_OverlappingBoxesSameClass_KeepsOnlyTheStrongest()
    {
        var output = V8Output(8, (100, 100, 40, 80, 0, 0.7f), (104, 102, 40, 80, 0, 0.9f), (300, 300, 40, 80, 0, 0.6f));
        var detections = new List<ObjectDetection>();

        Decoder(8).Decode(output, Identity, detections);

        detections.Select(d => d.Confidence).Should().Equal(0.9f, 0.6f);
        detections[0].Box.Should().Be(new BoundingBox(84, 62, 40, 80));
    }

    [Fact]
    public void Decode_OverlappingBoxesDifferentClasses_KeepsBoth()
    {
        var output = V8Output(8, (100, 100, 40, 80, 0, 0.9f), (100, 100, 40, 80, 2, 0.8f));
        var detections = new List<ObjectDetection>();

        Decoder(8).Decode(output, Identity, detections);

        detections.Select(d => d.Label).Should().Equal("person", "dog");
    }

    [Fact]
    public void Decode_ScoreAtOrBelowConfidence_IsDropped()
    {
        var output = V8Output(8, (100, 100, 40, 80, 1, 0.4f), (300, 100, 40, 80, 1, 0.41f));
        var detections = new List<ObjectDetection>();

        Decoder(8).Decode(output, Identity, detections);

        detections.Should().ContainSingle().Which.Confidence.Should().Be(0.41f);
    }

    [Fact]
    public void Decode_ClassFilter_DropsCandidatesWhoseBestClassIsNotAllowed()
    {
        // The first candidate is mostly a car but a little person: filtering keeps classes, it does not re-rank them.
        var output = V8Output(8, (100, 100, 40, 80, 1, 0.9f), (300, 100, 40, 80, 0, 0.8f));
        output[(4 + 0) * 8] = 0.5f;
        var detections = new List<ObjectDetection>();

        Decoder(8, allowed: [0]).Decode(output, Identity, detections);

        detections.Should().ContainSingle().Which.Box.X.Should().Be(280);
    }

    [Fact]
    public void Decode_V5Layout_ConfidenceIsObjectnessTimesClassProbability()
    {
        const int n = 4;
        var output = new float[n * (5 + Names.Length)];
        void Set(int i, float cx, float cy, float w, float h, float objectness, int cls, float probability)
        {
            var row = output.AsSpan(i * 8, 8);
            (row[0], row[1], row[2], row[3], row[4]) = (cx, cy, w, h, objectness);
            row[5 + cls] = probability;
        }

        Set(0, 100, 100, 20, 20, 0.9f, 1, 0.8f);  // 0.72: kept
        Set(2, 300, 300, 20, 20, 0.9f, 2, 0.4f);  // 0.36: dropped
        Set(3, 500, 500, 20, 20, 0.3f, 0, 1.0f);  // objectness below threshold: dropped
        var detections = new List<ObjectDetection>();

        new YoloOutputDecoder(YoloOutputLayout.V5, Names, n, null, 0.4f, 0.45f).Decode(output, Identity, detections);

        detections.Should().ContainSingle();
        detections[0].Label.Should().Be("car");
        detections[0].Confidence.Should().BeApproximately(0.72f, 1e-5f);
    }

    [Fact]
    public void Decode_Letterboxed1280x720_MapsBoxesToSourcePixelsAndClipsToFrame()
    {
        // 1280x720 -> scale 0.5, 640x360 centred with 140 px bars at the top and bottom.
        var transform = new LetterboxTransform(0.5f, 0, 140, 1280, 720);
        var output = V8Output(8, (100, 200, 20, 40, 0, 0.9f), (630, 490, 40, 40, 1, 0.9f));
        var detections = new List<ObjectDetection>();

        Decoder(8).Decode(output, transform, detections);

        detections[0].Box.Should().Be(new BoundingBox(180, 080, 40, 80));
        detections[1].Box.Should().Be(BoundingBox.FromCorners(1220, 660, 1280, 720));
    }

    [Fact]
    public void Decode_MoreCandidatesThanMaxDetections_ReportsTheBestOnes()
    {
        var candidates = Enumerable.Range(0, 10).Select(i => (20f + (60 * i), 100f, 20f, 20f, 0, 0.5f + (i / 100f))).ToArray();
        var output = V8Output(16, candidates);
        var detections = new List<ObjectDetection>();

        new YoloOutputDecoder(YoloOutputLayout.V8, Names, 16, null, 0.4f, 0.45f, maxDetections: 3).Decode(output, Identity, detections);

        detections.Select(d => d.Box.X).Should().Equal(550, 490, 430);
    }

    private static YoloOutputDecoder Decoder(int n, int[]? allowed = null) =>
        new(YoloOutputLayout.V8, Names, n, allowed, 0.4f, 0.45f);

    // [4 + C, N] with the given candidates first and the rest empty.
    private static float[] V8Output(int n, params (float Cx, float Cy, float W, float H, int Class, float Score)[] candidates)
    {
        var output = new float[(4 + Names.Length) * n];
        for (var i = 0; i < candidates.Length; i++)
        {
            var c = candidates[i];
            output[i] = c.Cx;
            output[n + i] = c.Cy;
            output[(2 * n) + i] = c.W;
            output[(3 * n) + i] = c.H;
            output[((4 + c.Class) * n) + i] = c.Score;
        }

        return output;
    }
}
