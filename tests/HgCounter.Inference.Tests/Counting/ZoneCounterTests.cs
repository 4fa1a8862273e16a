using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Events;
using HgCounter.Inference.Counting;
using HgCounter.Tracking;

namespace HgCounter.Inference.Tests.Counting;

public sealed class ZoneCounterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan FrameInterval = TimeSpan.FromMilliseconds(100); // 10 fps
    private readonly List<ZoneEvent> _events = [];
    private readonly List<Track> _tracks = [];
    private long _frame;

    // The square (100,100)-(300,300).
    private static ZoneOptions Queue(int minFrames = 3, TimeSpan? loiterAfter = null, params string[] classes)
    {
        var zone = new ZoneOptions { Name = "queue", Points = [[100, 100], [300, 100], [300, 300], [100, 300]], MinFrames = minFrames, LoiterAfter = loiterAfter };
        foreach (var c in classes)
        {
            zone.Classes.Add(c);
        }

        return zone;
    }

    // A confirmed 32x64 box whose bottom-centre anchor is at (x, y).
    private static Track Person(long id, float x, float y, bool confirmed = true, int missed = 0, string label = "person", int classId = 0) =>
        new(id, new BoundingBox(x - 16, y - 64, 32, 64), classId, label, 0.9f, confirmed, 10, missed);

    private static DateTimeOffset At(long frame) => T0 + (FrameInterval * frame);

    private int Step(ZoneCounter counter, params Track[] tracks)
    {
        _tracks.Clear();
        _tracks.AddRange(tracks);
        var frame = _frame++;
        return counter.Update(_tracks, frame, At(frame), _events);
    }

    private void Repeat(ZoneCounter counter, int frames, Func<Track[]> tracks)
    {
        for (var i = 0; i < frames; i++)
        {
            Step(counter, tracks());
        }
    }

    private IEnumerable<CountEventKind> Kinds => _events.Select(e => e.Kind);

    [Fact]
    public void Update_InsideForMinFrames_EntersOnTheLastOfThem()
    {
        var counter = new ZoneCounter("cam1", [Queue(minFrames: 3)]);
        Step(counter, Person(1, 50, 200));
        Step(counter, Person(1, 150, 200));
        Step(counter, Person(1, 160, 200));
        _events.Should().BeEmpty("two frames inside are not yet an entry");

        Step(counter, Person(1, 170, 200));

        var e = _events.Should().ContainSingle().Subject;
        e.Kind.Should().Be(CountEventKind.ZoneEnter);
        e.Camera.Should().Be("cam1");
        e.Zone.Should().Be("queue");
        e.TrackId.Should().Be(1);
        e.Label.Should().Be("person");
        e.FrameSequence.Should().Be(3);
        e.Timestamp.Should().Be(At(3));
        counter.GetOccupancy().Should().ContainSingle().Which.Count.Should().Be(1);
    }

    [Fact]
    public void Update_LeavesAfterMinFramesOutside_ExitCarriesDwellFromFirstInsideToFirstOutsideFrame()
    {
        var counter = new ZoneCounter("cam1", [Queue(minFrames: 3)]);
        Repeat(counter, 50, () => [Person(1, 200, 200)]); // frames 0..49 inside
        Repeat(counter, 3, () => [Person(1, 400, 200)]);  // frames 50..52 outside

        Kinds.Should().Equal(CountEventKind.ZoneEnter, CountEventKind.ZoneExit);
        var exit = _events[1];
        exit.FrameSequence.Should().Be(52);
        exit.Dwell.Should().Be(TimeSpan.FromSeconds(5));
        counter.GetOccupancy()[0].Count.Should().Be(0);
        counter.GetOccupancy()[0].ByClass["person"].Should().Be(0);
    }

    [Fact]
    public void Update_BoxFlickeringOverTheEdge_MakesOneVisit()
    {
        var counter = new ZoneCounter("cam1", [Queue(minFrames: 3)]);
        Repeat(counter, 5, () => [Person(1, 290, 200)]);
        // The box jitters across the right edge (x = 300): never three frames in a row on either side.
        float[] xs = [305, 310, 295, 306, 294, 296, 308, 307, 290];
        for (var round = 0; round < 10; round++)
        {
            foreach (var x in xs)
            {
                Step(counter, Person(1, x, 200));
            }
        }

        Kinds.Should().Equal(CountEventKind.ZoneEnter);
        counter.GetOccupancy()[0].Count.Should().Be(1);

        Repeat(counter, 3, () => [Person(1, 400, 200)]);
        Kinds.Should().Equal(CountEventKind.ZoneEnter, CountEventKind.ZoneExit);
    }

    [Fact]
    public void Update_OutsideFlickeringIn_NeverEnters()
    {
        var counter = new ZoneCounter("cam1", [Queue(minFrames: 3)]);
        for (var round = 0; round < 20; round++)
        {
            Step(counter, Person(1, 295, 200));
            Step(counter, Person(1, 295, 200));
            Step(counter, Person(1, 310, 200));
        }

        _events.Should().BeEmpty();
        counter.GetOccupancy()[0].Count.Should().Be(0);
    }

    [Fact]
    public void Update_StaysPastLoiterAfter_ReportsLoiterOncePerVisit()
    {
        var counter = new ZoneCounter("cam1", [Queue(minFrames: 3, loiterAfter: TimeSpan.FromSeconds(2))]);
        Repeat(counter, 60, () => [Person(1, 200, 200)]); // 6 s inside
        Repeat(counter, 3, () => [Person(1, 400, 200)]);
        Repeat(counter, 30, () => [Person(1, 200, 200)]); // a second visit of 3 s
        Repeat(counter, 3, () => [Person(1, 400, 200)]);

        Kinds.Should().Equal(
            CountEventKind.ZoneEnter, CountEventKind.Loiter, CountEventKind.ZoneExit,
            CountEventKind.ZoneEnter, CountEventKind.Loiter, CountEventKind.ZoneExit);
        var firstLoiter = _events[1];
        firstLoiter.FrameSequence.Should().Be(20, "the visit began on frame 0 and 2 s at 10 fps is frame 20");
        firstLoiter.Dwell.Should().Be(TimeSpan.FromSeconds(2));
        _events[2].Dwell.Should().Be(TimeSpan.FromSeconds(6));
        _events[5].Dwell.Should().Be(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Update_ShortVisitWithLoiterAfter_ReportsNoLoiter()
    {
        var counter = new ZoneCounter("cam1", [Queue(minFrames: 3, loiterAfter: TimeSpan.FromSeconds(2))]);
        Repeat(counter, 15, () => [Person(1, 200, 200)]);
        Repeat(counter, 3, () => [Person(1, 400, 200)]);

        Kinds.Should().Equal(CountEventKind.ZoneEnter, CountEventKind.ZoneExit);
    }

    [Fact]
    public void Update_ClassFilter_IgnoresOtherClassesAndCountsOccupancyPerClass()
    {
        var counter = new ZoneCounter("cam1", [Queue(3, null, "person")]);
        Repeat(counter, 10, () => [Person(1, 150, 200), Person(2, 250, 250, label: "car", classId: 2), Person(3, 200, 150)]);

        _events.Select(e => (e.TrackId, e.Kind)).Should().BeEquivalentTo([(1L, CountEventKind.ZoneEnter), (3L, CountEventKind.ZoneEnter)]);
        var occupancy = counter.GetOccupancy().Should().ContainSingle().Subject;
        occupancy.Count.Should().Be(2);
        occupancy.ByClass.Should().BeEquivalentTo(new Dictionary<string, int> { ["person"] = 2 });
    }

    [Fact]
    public void Update_NoClassFilter_CountsEveryClassSeparately()
    {
        var counter = new ZoneCounter("cam1", [Queue()]);
        Repeat(counter, 5, () => [Person(1, 150, 200), Person(2, 250, 250, label: "car", classId: 2)]);

        counter.GetOccupancy()[0].ByClass.Should().BeEquivalentTo(new Dictionary<string, int> { ["person"] = 1, ["car"] = 1 });
    }

    [Fact]
    public void Update_TrackLostInside_ExitsAfterMinFramesWithDwellUntilLost()
    {
        var counter = new ZoneCounter("cam1", [Queue(minFrames: 3)]);
        Repeat(counter, 20, () => [Person(1, 200, 200)]); // frames 0..19
        Step(counter);
        Step(counter);
        Kinds.Should().Equal(CountEventKind.ZoneEnter);

        Step(counter); // third frame without the track

        Kinds.Should().Equal(CountEventKind.ZoneEnter, CountEventKind.ZoneExit);
        _events[1].Dwell.Should().Be(TimeSpan.FromSeconds(2));
        counter.GetOccupancy()[0].Count.Should().Be(0);
    }

    [Fact]
    public void Update_TrackCoastingInside_StaysInside()
    {
        var counter = new ZoneCounter("cam1", [Queue(minFrames: 3)]);
        Repeat(counter, 10, () => [Person(1, 200, 200)]);
        for (var missed = 1; missed <= 20; missed++)
        {
            Step(counter, Person(1, 200, 200, missed: missed));
        }

        Kinds.Should().Equal(CountEventKind.ZoneEnter);
        counter.GetOccupancy()[0].Count.Should().Be(1);
    }

    [Fact]
    public void Update_UnconfirmedTrack_NeverEnters()
    {
        var counter = new ZoneCounter("cam1", [Queue(minFrames: 3)]);
        Repeat(counter, 10, () => [Person(1, 200, 200, confirmed: false)]);

        _events.Should().BeEmpty();
    }

    [Fact]
    public void Update_TrackInsideTwoOverlappingZones_EntersBoth()
    {
        var right = new ZoneOptions { Name = "till", Points = [[200, 100], [400, 100], [400, 300], [200, 300]], MinFrames = 3 };
        var counter = new ZoneCounter("cam1", [Queue(), right]);
        Repeat(counter, 3, () => [Person(1, 250, 200)]);

        _events.Select(e => e.Zone).Should().BeEquivalentTo(["queue", "till"]);
        counter.GetOccupancy().Select(o => o.Count).Should().Equal(1, 1);
    }

    [Fact]
    public void Update_ConcavePolygon_AnchorInTheNotchIsOutside()
    {
        // An L: the square (100,100)-(300,300) without its top-right quarter (200..300, 100..200).
        var l = new ZoneOptions { Name = "l", Points = [[100, 100], [200, 100], [200, 200], [300, 200], [300, 300], [100, 300]], MinFrames = 1 };
        var counter = new ZoneCounter("cam1", [l]);
        Repeat(counter, 3, () => [Person(1, 250, 150), Person(2, 150, 150), Person(3, 250, 250)]);

        _events.Select(e => e.TrackId).Should().BeEquivalentTo([2L, 3L]);
    }

    [Fact]
    public void Update_SteadyStateWithTracksInsideAndOutside_AllocatesNothing()
    {
        var counter = new ZoneCounter("cam1", [Queue(3, TimeSpan.FromHours(1), "person")]);
        var tracks = new List<Track>();
        var events = new List<ZoneEvent>(64);
        void Frame(int i)
        {
            tracks.Clear();
            for (var k = 0; k < 20; k++)
            {
                // Half the tracks stand inside the zone (moving a little), half walk outside it.
                var x = k % 2 == 0 ? 150 + (i % 20) : 400 + (i % 100);
                tracks.Add(Person(k, x, 110 + (k * 9), label: k % 4 == 0 ? "person" : "car"));
            }

            counter.Update(tracks, i, At(i), events);
        }

        for (var i = 0; i < 10; i++)
        {
            Frame(i);
        }

        events.Clear();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 10; i < 200; i++)
        {
            Frame(i);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        counter.GetOccupancy()[0].Count.Should().Be(5, "the five inside tracks labelled person");
    }

    [Fact]
    public void Constructor_DuplicateZoneNames_Throws()
    {
        var act = () => new ZoneCounter("cam1", [Queue(), Queue()]);
        act.Should().Throw<ArgumentException>().WithMessage("*queue*");
    }

    [Fact]
    public void Constructor_TwoPoints_Throws()
    {
        var act = () => new ZoneCounter("cam1", [new ZoneOptions { Name = "flat", Points = [[0, 0], [10, 10]] }]);
        act.Should().Throw<ArgumentException>().WithMessage("*flat*3 points*");
    }
}
