using HgCounter.Configuration;
using HgCounter.Counting;
using HgCounter.Detection;
using HgCounter.Inference.Counting;
using HgCounter.Tracking;

namespace HgCounter.Inference.Tests.Counting;

public sealed class LineCounterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly List<LineCrossing> _crossings = [];
    private readonly List<Track> _tracks = [];
    private long _sequence;

    private static LineOptions Door(float minDistance = 8) =>
        new() { Name = "door", Start = [320, 0], End = [320, 360], MinCrossingDistance = minDistance };

    // A confirmed 32x64 person whose bottom-centre anchor is at (x, y).
    private static Track Person(long id, float x, float y, bool confirmed = true, int missed = 0, string label = "person") =>
        new(id, new BoundingBox(x - 16, y - 64, 32, 64), 0, label, 0.9f, confirmed, 10, missed);

    private int Step(LineCounter counter, params Track[] tracks)
    {
        _tracks.Clear();
        _tracks.AddRange(tracks);
        return counter.Update(_tracks, _sequence++, T0.AddSeconds(_sequence / 10.0), _crossings);
    }

    private void Walk(LineCounter counter, long id, float fromX, float toX, float y, float step = 10)
    {
        var direction = MathF.Sign(toX - fromX);
        for (var x = fromX; direction > 0 ? x <= toX : x >= toX; x += direction * step)
        {
            Step(counter, Person(id, x, y));
        }
    }

    [Fact]
    public void Update_LeftToRightAcrossDocumentedDoor_CountsIn()
    {
        // The documented example: Start (320,0), End (320,360); moving left to right is In.
        var counter = new LineCounter("cam1", [Door()]);
        Walk(counter, 1, 100, 540, 250);

        var e = _crossings.Should().ContainSingle().Subject;
        e.Direction.Should().Be(CrossingDirection.In);
        e.Camera.Should().Be("cam1");
        e.Line.Should().Be("door");
        e.TrackId.Should().Be(1);
        e.Label.Should().Be("person");
        counter.GetCount("door").Should().BeEquivalentTo(new { In = 1L, Out = 0L });
    }

    [Fact]
    public void Update_RightToLeft_CountsOut()
    {
        var counter = new LineCounter("cam1", [Door()]);
        Walk(counter, 1, 540, 100, 250);

        _crossings.Should().ContainSingle().Which.Direction.Should().Be(CrossingDirection.Out);
        counter.GetCount("door").Out.Should().Be(1);
    }

    [Fact]
    public void Update_ReversedLinePoints_SwapsDirection()
    {
        var counter = new LineCounter("cam1", [new LineOptions { Name = "door", Start = [320, 360], End = [320, 0] }]);
        Walk(counter, 1, 100, 540, 250);

        _crossings.Should().ContainSingle().Which.Direction.Should().Be(CrossingDirection.Out);
    }

    [Fact]
    public void Update_CrossingTimestampAndSequence_ComeFromTheCrossingFrame()
    {
        var counter = new LineCounter("cam1", [Door()]);
        Walk(counter, 7, 280, 360, 250);

        // x = 280, 290, ..., 330 is the first point ≥ 8 px past the line: the sixth frame (sequence 5).
        var e = _crossings.Should().ContainSingle().Subject;
        e.Timestamp.Should().Be(T0.AddSeconds(6 / 10.0));
        e.FrameSequence.Should().Be(5, "the agent derives the event id from it");
        e.TrackId.Should().Be(7);
    }

    [Fact]
    public void Update_StandingOnLineWithJitter_CountsOnce()
    {
        var counter = new LineCounter("cam1", [Door(minDistance: 8)]);
        Walk(counter, 1, 200, 320, 250);
        for (var i = 0; i < 30; i++)
        {
            // ±6 px around the line: crosses it every frame but never gets 8 px past it.
            Step(counter, Person(1, 320 + (i % 2 == 0 ? 6 : -6), 250));
        }

        _crossings.Should().BeEmpty("nothing counts while the anchor stays inside the hysteresis band");
        Walk(counter, 1, 320, 450, 250);
        _crossings.Should().ContainSingle().Which.Direction.Should().Be(CrossingDirection.In);
    }

    [Fact]
    public void Update_FlickeringWithoutHysteresis_CountsEveryFlip()
    {
        // Shows what the hysteresis prevents: with MinCrossingDistance 0 every flip is a crossing.
        var counter = new LineCounter("cam1", [Door(minDistance: 0)]);
        for (var i = 0; i < 10; i++)
        {
            Step(counter, Person(1, 320 + (i % 2 == 0 ? 3 : -3), 250));
        }

        _crossings.Should().HaveCount(9);
    }

    [Fact]
    public void Update_MovesLessThanMinCrossingDistancePastLine_DoesNotCount()
    {
        var counter = new LineCounter("cam1", [Door(minDistance: 8)]);
        Walk(counter, 1, 250, 320, 250);
        Step(counter, Person(1, 327, 250));
        Step(counter, Person(1, 327.5f, 250));
        _crossings.Should().BeEmpty();

        Step(counter, Person(1, 328, 250));
        _crossings.Should().ContainSingle();
    }

    [Fact]
    public void Update_CrossThenReturn_CountsInThenOut()
    {
        var counter = new LineCounter("cam1", [Door()]);
        Walk(counter, 1, 200, 420, 250);
        Walk(counter, 1, 420, 200, 250);

        _crossings.Select(e => e.Direction).Should().Equal(CrossingDirection.In, CrossingDirection.Out);
        _crossings.Select(e => e.FrameSequence).Should().OnlyHaveUniqueItems("each crossing is confirmed on a frame of its own");
        counter.GetCount("door").Should().BeEquivalentTo(new { In = 1L, Out = 1L });
    }

    [Fact]
    public void Update_MovingOnOneSideOnly_DoesNotCount()
    {
        var counter = new LineCounter("cam1", [Door()]);
        Walk(counter, 1, 50, 300, 250);
        Walk(counter, 1, 300, 50, 250);

        _crossings.Should().BeEmpty();
    }

    [Theory]
    [InlineData(300f, 0)]  // beyond the End of the segment (projection > 1)
    [InlineData(100f, 1)]  // within the segment
    public void Update_CrossingOutsideSegmentExtent_DoesNotCount(float y, int expected)
    {
        var counter = new LineCounter("cam1", [new LineOptions { Name = "upper", Start = [320, 0], End = [320, 200] }]);
        Walk(counter, 1, 100, 540, y);

        _crossings.Should().HaveCount(expected);
    }

    [Fact]
    public void Update_PathCrossesBesideSegmentButEndsBesideIt_UsesWhereThePathCrossed()
    {
        // Walks diagonally: crosses x = 320 at y = 260 (outside a segment ending at y = 200), then climbs to y = 100
        // on the far side (where the projection is inside). The crossing point decides, not where the track ends up.
        var counter = new LineCounter("cam1", [new LineOptions { Name = "upper", Start = [320, 0], End = [320, 200] }]);
        Step(counter, Person(1, 300, 260));
        Step(counter, Person(1, 340, 260));
        Step(counter, Person(1, 345, 100));

        _crossings.Should().BeEmpty();
    }

    [Fact]
    public void Update_UnconfirmedTrack_NeverCounts()
    {
        var counter = new LineCounter("cam1", [Door()]);
        for (var x = 200f; x <= 440; x += 10)
        {
            Step(counter, Person(1, x, 250, confirmed: false));
        }

        _crossings.Should().BeEmpty();
    }

    [Fact]
    public void Update_CrossedBeforeConfirmation_CountsWhenConfirmed()
    {
        var counter = new LineCounter("cam1", [Door()]);
        Step(counter, Person(1, 300, 250, confirmed: false));
        Step(counter, Person(1, 340, 250, confirmed: false));
        _crossings.Should().BeEmpty();

        Step(counter, Person(1, 350, 250, confirmed: true));
        _crossings.Should().ContainSingle().Which.Direction.Should().Be(CrossingDirection.In);
    }

    [Fact]
    public void Update_PredictedBoxWhileMissed_DoesNotCountUntilSeenAgain()
    {
        var counter = new LineCounter("cam1", [Door()]);
        Walk(counter, 1, 200, 300, 250);
        Step(counter, Person(1, 340, 250, missed: 1));
        Step(counter, Person(1, 360, 250, missed: 2));
        _crossings.Should().BeEmpty("a predicted box is not evidence of a crossing");

        Step(counter, Person(1, 380, 250));
        _crossings.Should().ContainSingle().Which.Direction.Should().Be(CrossingDirection.In);
    }

    [Fact]
    public void Update_TrackFirstSeenOnLine_DoesNotCount()
    {
        var counter = new LineCounter("cam1", [Door()]);
        Walk(counter, 1, 320, 500, 250);

        _crossings.Should().BeEmpty("where it came from is unknown");
    }

    [Fact]
    public void Update_TwoTracksAndTwoClasses_CountsPerClass()
    {
        var counter = new LineCounter("cam1", [Door()]);
        for (var x = 100f; x <= 540; x += 10)
        {
            Step(counter, Person(1, x, 150), Person(2, 640 - x, 300, label: "car"));
        }

        var count = counter.GetCount("door");
        count.In.Should().Be(1);
        count.Out.Should().Be(1);
        count.ByClass.Should().BeEquivalentTo(new Dictionary<string, DirectionCount>
        {
            ["person"] = new(1, 0),
            ["car"] = new(0, 1),
        });
    }

    [Fact]
    public void Update_SeveralLines_CountsEachIndependently()
    {
        var counter = new LineCounter("cam1", [Door(), new LineOptions { Name = "left", Start = [160, 0], End = [160, 360] }]);
        Walk(counter, 1, 100, 250, 250);

        counter.GetCounts().Select(c => (c.Line, c.In)).Should().Equal(("door", 0L), ("left", 1L));
    }

    [Fact]
    public void Update_TrackIdGoneThenReused_StartsFresh()
    {
        var counter = new LineCounter("cam1", [Door()]);
        Walk(counter, 1, 200, 300, 250);
        Step(counter);  // the track is gone; its state is forgotten
        Step(counter, Person(1, 400, 250));

        _crossings.Should().BeEmpty("a track seen for the first time on the far side has not been seen crossing");
    }

    [Fact]
    public void Update_FortyPixelsBetweenFrames_CountsOnce()
    {
        // 3 fps: the anchor jumps from 8 px short of the line to 32 px past it in one step; the path crosses the segment.
        var counter = new LineCounter("cam1", [Door()]);
        Walk(counter, 1, 72, 552, 250, step: 40);

        _crossings.Should().ContainSingle().Which.Direction.Should().Be(CrossingDirection.In);
    }

    [Fact]
    public void Update_FastPathPassingBeyondSegmentEnd_DoesNotCount()
    {
        // One 40 px step crosses x = 320 at y = 230, beyond the End (320, 200) of the segment, though it ends near it.
        var counter = new LineCounter("cam1", [new LineOptions { Name = "upper", Start = [320, 0], End = [320, 200] }]);
        Step(counter, Person(1, 260, 250));
        Step(counter, Person(1, 300, 240));
        Step(counter, Person(1, 340, 220));
        Step(counter, Person(1, 380, 205));

        _crossings.Should().BeEmpty();
    }

    [Fact]
    public void Update_ClassFlipsOnTheCrossingFrame_UsesTheTracksMajorityClass()
    {
        var counter = new LineCounter("cam1", [Door()]);
        for (var x = 200f; x < 320; x += 10)
        {
            Step(counter, Person(1, x, 250));
        }

        Step(counter, new Track(1, new BoundingBox(330 - 16, 250 - 64, 32, 64), 2, "car", 0.9f, true, 10, 0));

        var e = _crossings.Should().ContainSingle().Subject;
        (e.ClassId, e.Label).Should().Be((0, "person"));
        counter.GetCount("door").ByClass.Should().ContainKey("person").And.NotContainKey("car");
    }

    [Fact]
    public void Update_ClassTie_GoesToTheMostRecentClass()
    {
        var counter = new LineCounter("cam1", [Door()]);
        Step(counter, new Track(1, new BoundingBox(260 - 16, 250 - 64, 32, 64), 2, "car", 0.9f, true, 10, 0));
        Step(counter, new Track(1, new BoundingBox(280 - 16, 250 - 64, 32, 64), 2, "car", 0.9f, true, 10, 0));
        Step(counter, Person(1, 300, 250));
        Step(counter, Person(1, 340, 250));

        _crossings.Should().ContainSingle().Which.Label.Should().Be("person");
    }

    [Fact]
    public void Update_LostAtTheLineAndReFoundPastIt_CountsOnceAndNotAgain()
    {
        // Occluded right at the line for 4 frames (the tracker coasts it), found again past it with the same id.
        var counter = new LineCounter("cam1", [Door()]);
        Walk(counter, 1, 200, 316, 250, step: 4);
        for (var missed = 1; missed <= 4; missed++)
        {
            Step(counter, Person(1, 316 + (missed * 4), 250, missed: missed));
        }

        Walk(counter, 1, 336, 500, 250, step: 4);

        _crossings.Should().ContainSingle().Which.Direction.Should().Be(CrossingDirection.In);
    }

    [Fact]
    public void Update_GroupStandingOnTheLineForAMinute_NeverCountsThenCountsWhoWalksOn()
    {
        // Four people sway ±6 px on the line for 600 frames (60 s at 10 fps); then 1 and 3 walk on, 2 and 4 go back.
        var counter = new LineCounter("cam1", [Door(minDistance: 8)]);
        for (var x = 200f; x <= 320; x += 10)
        {
            Step(counter, Person(1, x, 100), Person(2, x, 170), Person(3, x, 240), Person(4, x, 310));
        }

        for (var i = 0; i < 600; i++)
        {
            float Sway(int id) => 320 + (((i + id) % 3) - 1) * 6;
            Step(counter, Person(1, Sway(1), 100), Person(2, Sway(2), 170), Person(3, Sway(3), 240), Person(4, Sway(4), 310));
        }

        _crossings.Should().BeEmpty("nobody left the hysteresis band");
        for (var k = 1; k <= 20; k++)
        {
            Step(counter, Person(1, 320 + (k * 10), 100), Person(2, 320 - (k * 10), 170), Person(3, 320 + (k * 10), 240), Person(4, 320 - (k * 10), 310));
        }

        _crossings.Select(c => (c.TrackId, c.Direction)).Should().BeEquivalentTo([(1L, CrossingDirection.In), (3L, CrossingDirection.In)]);
    }

    [Fact]
    public void Update_SteadyStateWithoutCrossings_AllocatesNothing()
    {
        var counter = new LineCounter("cam1", [Door()]);
        var tracks = new List<Track>();
        var crossings = new List<LineCrossing>();
        void Frame(int i)
        {
            tracks.Clear();
            for (var k = 0; k < 20; k++)
            {
                tracks.Add(Person(k, 50 + (i % 100), 20 + (k * 16)));
            }

            counter.Update(tracks, i, T0, crossings);
        }

        for (var i = 0; i < 10; i++)
        {
            Frame(i);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 10; i < 200; i++)
        {
            Frame(i);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        crossings.Should().BeEmpty();
    }

    [Fact]
    public void Constructor_DuplicateLineNames_Throws()
    {
        var act = () => new LineCounter("cam1", [Door(), Door()]);
        act.Should().Throw<ArgumentException>().WithMessage("*door*");
    }
}
