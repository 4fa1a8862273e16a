using HgCounter.Detection;
using HgCounter.Inference.Tracking;
using HgCounter.Tracking;

namespace HgCounter.Inference.Tests.Tracking;

public sealed class ByteTrackerTests
{
    private readonly List<ObjectDetection> _detections = [];
    private readonly List<Track> _tracks = [];

    private static ObjectDetection Person(float x, float y, float confidence = 0.9f) =>
        new(new BoundingBox(x, y, 32, 64), 0, "person", confidence);

    private void Step(ByteTracker tracker, params ObjectDetection[] detections)
    {
        _detections.Clear();
        _detections.AddRange(detections);
        tracker.Update(_detections, _tracks);
    }

    [Fact]
    public void Update_ObjectMovingSteadily_KeepsOneStableId()
    {
        var tracker = new ByteTracker();
        var ids = new HashSet<long>();
        for (var i = 0; i < 60; i++)
        {
            Step(tracker, Person(20 + (i * 9), 100));
            _tracks.Should().ContainSingle();
            ids.Add(_tracks[0].Id);
        }

        ids.Should().ContainSingle("a steadily moving object must keep its id");
        _tracks[0].Hits.Should().Be(60);
    }

    [Fact]
    public void Update_TwoObjectsSideBySide_KeepTheirOwnIds()
    {
        var tracker = new ByteTracker();
        Step(tracker, Person(20, 100), Person(20, 180));
        var upper = _tracks.Single(t => t.Box.Y < 150).Id;
        var lower = _tracks.Single(t => t.Box.Y >= 150).Id;
        for (var i = 1; i < 40; i++)
        {
            // Listed in alternating order so that a tracker relying on detection order would swap them.
            if (i % 2 == 0)
            {
                Step(tracker, Person(20 + (i * 10), 100), Person(20 + (i * 10), 180));
            }
            else
            {
                Step(tracker, Person(20 + (i * 10), 180), Person(20 + (i * 10), 100));
            }
        }

        _tracks.Should().HaveCount(2);
        _tracks.Single(t => t.Box.Y < 150).Id.Should().Be(upper);
        _tracks.Single(t => t.Box.Y >= 150).Id.Should().Be(lower);
    }

    [Fact]
    public void Update_NewObject_ConfirmedOnlyAfterMinHits()
    {
        var tracker = new ByteTracker(new TrackerOptions { MinHits = 3 });
        var confirmed = new List<bool>();
        for (var i = 0; i < 4; i++)
        {
            Step(tracker, Person(100 + (i * 5), 100));
            confirmed.Add(_tracks.Single().IsConfirmed);
        }

        confirmed.Should().Equal(false, false, true, true);
    }

    [Fact]
    public void Update_UnconfirmedTrackMissesAFrame_IsDropped()
    {
        var tracker = new ByteTracker(new TrackerOptions { MinHits = 3 });
        Step(tracker, Person(100, 100));
        Step(tracker);

        _tracks.Should().BeEmpty("a one-frame blip is noise, not an object");
        tracker.Count.Should().Be(0);
    }

    [Fact]
    public void Update_DetectionGapOfFewFrames_KeepsIdOnPredictedBox()
    {
        var tracker = new ByteTracker();
        for (var i = 0; i < 10; i++)
        {
            Step(tracker, Person(20 + (i * 10), 100));
        }

        var id = _tracks.Single().Id;
        var lastX = _tracks.Single().Box.X;
        for (var i = 10; i < 15; i++)
        {
            Step(tracker);
        }

        var coasting = _tracks.Single();
        coasting.Id.Should().Be(id);
        coasting.MissedFrames.Should().Be(5);
        coasting.IsConfirmed.Should().BeTrue();
        coasting.Box.X.Should().BeApproximately(lastX + 50, 10, "the box is predicted at the track's velocity while it is missed");

        Step(tracker, Person(20 + (15 * 10), 100));
        _tracks.Single().Id.Should().Be(id, "the object reappears where the prediction expects it");
        _tracks.Single().MissedFrames.Should().Be(0);
    }

    [Fact]
    public void Update_MissedLongerThanMaxAge_DropsTrackAndLaterObjectGetsNewId()
    {
        var tracker = new ByteTracker(new TrackerOptions { MaxAge = 5, MinHits = 1 });
        for (var i = 0; i < 5; i++)
        {
            Step(tracker, Person(100, 100));
        }

        var id = _tracks.Single().Id;
        for (var i = 0; i < 5; i++)
        {
            Step(tracker);
        }

        _tracks.Should().ContainSingle("the track is kept for MaxAge missed frames");
        Step(tracker);
        _tracks.Should().BeEmpty("MaxAge + 1 missed frames drops the track");

        Step(tracker, Person(100, 100));
        _tracks.Single().Id.Should().NotBe(id);
    }

    [Fact]
    public void Update_LowConfidenceDetection_ExtendsExistingTrackInSecondStage()
    {
        var tracker = new ByteTracker(new TrackerOptions { HighThreshold = 0.6f, LowThreshold = 0.1f });
        for (var i = 0; i < 5; i++)
        {
            Step(tracker, Person(100 + (i * 4), 100));
        }

        var id = _tracks.Single().Id;
        Step(tracker, Person(120, 100, confidence: 0.3f));

        var track = _tracks.Single();
        track.Id.Should().Be(id);
        track.MissedFrames.Should().Be(0, "the weak detection was matched to the track");
        track.Confidence.Should().Be(0.3f);
    }

    [Fact]
    public void Update_LowConfidenceDetectionAlone_NeverStartsTrack()
    {
        var tracker = new ByteTracker(new TrackerOptions { HighThreshold = 0.6f, LowThreshold = 0.1f, MinHits = 1 });
        for (var i = 0; i < 5; i++)
        {
            Step(tracker, Person(100, 100, confidence: 0.3f));
        }

        _tracks.Should().BeEmpty();
    }

    [Fact]
    public void Update_DetectionBelowLowThreshold_IsIgnored()
    {
        var tracker = new ByteTracker(new TrackerOptions { HighThreshold = 0.6f, LowThreshold = 0.2f });
        for (var i = 0; i < 5; i++)
        {
            Step(tracker, Person(100, 100));
        }

        Step(tracker, Person(100, 100, confidence: 0.1f));
        _tracks.Single().MissedFrames.Should().Be(1);
    }

    [Fact]
    public void Update_HighConfidenceWinsOverLowForTheSameTrack()
    {
        var tracker = new ByteTracker(new TrackerOptions { HighThreshold = 0.6f, LowThreshold = 0.1f });
        for (var i = 0; i < 5; i++)
        {
            Step(tracker, Person(100, 100));
        }

        // The weak box overlaps better, but confident detections are associated first.
        Step(tracker, Person(100, 100, confidence: 0.3f), Person(108, 100, confidence: 0.8f));
        _tracks.Should().ContainSingle();
        _tracks[0].Box.X.Should().Be(108);
    }

    [Fact]
    public void Update_LostTrackReappearsNearLastSeenPlace_RecoversItsId()
    {
        // A person walks, stops, fades from a motion detector for 2 s, then shows up again as a narrower box:
        // the predicted box has moved on and no longer overlaps, but the detection is where the person was last seen.
        var tracker = new ByteTracker();
        for (var i = 0; i < 10; i++)
        {
            Step(tracker, Person(100 + (i * 10), 100));
        }

        var id = _tracks.Single().Id;
        for (var i = 0; i < 20; i++)
        {
            Step(tracker);
        }

        _tracks.Single().Box.X.Should().BeGreaterThan(250, "the prediction kept walking");
        Step(tracker, new ObjectDetection(new BoundingBox(200, 100, 16, 64), 0, "person", 0.9f));

        _tracks.Should().ContainSingle().Which.Id.Should().Be(id);
    }

    [Fact]
    public void Update_DetectionFarFromLostTrack_StartsNewTrack()
    {
        var tracker = new ByteTracker();
        for (var i = 0; i < 10; i++)
        {
            Step(tracker, Person(100, 100));
        }

        var id = _tracks.Single().Id;
        Step(tracker);
        Step(tracker, Person(180, 100)); // 80 px: beyond ReattachDistance (one box height, 64 px)

        _tracks.Should().HaveCount(2);
        _tracks.Should().ContainSingle(t => t.MissedFrames == 0).Which.Id.Should().NotBe(id);
    }

    [Fact]
    public void Update_FortyPixelsBetweenFrames_KeepsOneConfirmedId()
    {
        // 3 fps: consecutive boxes (32 px wide) never overlap, so IoU alone would start a new track on every frame.
        var tracker = new ByteTracker();
        var ids = new HashSet<long>();
        for (var i = 0; i < 12; i++)
        {
            Step(tracker, Person(20 + (i * 40), 100));
            ids.Add(_tracks.Single(t => t.MissedFrames == 0).Id);
        }

        ids.Should().ContainSingle();
        _tracks.Should().ContainSingle().Which.IsConfirmed.Should().BeTrue();
    }

    [Fact]
    public void Update_TwoPeoplePassingClose_KeepTheirIds()
    {
        // Walking towards each other on lanes 40 px apart, so their 64 px boxes overlap while they pass.
        var tracker = new ByteTracker();
        Step(tracker, Person(100, 100), Person(540, 140));
        var rightward = _tracks.Single(t => t.Box.X < 320).Id;
        var leftward = _tracks.Single(t => t.Box.X >= 320).Id;
        for (var i = 1; i <= 60; i++)
        {
            Step(tracker, Person(100 + (i * 7), 100), Person(540 - (i * 7), 140));
        }

        _tracks.Where(t => t.MissedFrames == 0).Should().HaveCount(2);
        _tracks.Single(t => t.Box.Y < 120).Id.Should().Be(rightward);
        _tracks.Single(t => t.Box.Y >= 120).Id.Should().Be(leftward);
    }

    [Fact]
    public void Reset_ForgetsTracks_IdsStayUnique()
    {
        var tracker = new ByteTracker(new TrackerOptions { MinHits = 1 });
        Step(tracker, Person(100, 100));
        var first = _tracks.Single().Id;

        tracker.Reset();
        tracker.Count.Should().Be(0);
        Step(tracker, Person(100, 100));
        _tracks.Single().Id.Should().NotBe(first);
    }

    [Fact]
    public void Update_SteadyStateWithTwentyObjects_AllocatesNothing()
    {
        var tracker = new ByteTracker();
        var detections = new List<ObjectDetection>(20);
        var tracks = new List<Track>(20);
        void Frame(int i)
        {
            detections.Clear();
            for (var k = 0; k < 20; k++)
            {
                detections.Add(Person((k * 40) + (i * 2), (k % 4) * 90, k % 3 == 0 ? 0.3f : 0.9f));
            }

            tracker.Update(detections, tracks);
        }

        for (var i = 0; i < 20; i++)
        {
            Frame(i);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 20; i < 220; i++)
        {
            Frame(i);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        tracks.Count(t => t.IsConfirmed).Should().BeGreaterThanOrEqualTo(13);
        allocated.Should().Be(0);
    }

    [Fact]
    public void Constructor_LowAboveHigh_Throws()
    {
        var act = () => new ByteTracker(new TrackerOptions { HighThreshold = 0.3f, LowThreshold = 0.5f });
        act.Should().Throw<ArgumentException>().WithMessage("*LowThreshold*");
    }
}
