using HgCounter.Configuration;
using HgCounter.Counting;
using HgCounter.Detection;
using HgCounter.Inference.Counting;
using HgCounter.Tracking;

namespace HgCounter.Inference.Tests.Counting;

public sealed class LineClassFilterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly List<LineCrossing> _crossings = [];
    private readonly List<Track> _tracks = [];
    private long _sequence;

    private static LineOptions Door(string name, params string[] classes)
    {
        var line = new LineOptions { Name = name, Start = [320, 0], End = [320, 360] };
        foreach (var c in classes)
        {
            line.Classes.Add(c);
        }

        return line;
    }

    // A confirmed track whose bottom-centre anchor is at (x, y).
    private static Track Object(long id, string label, float x, float y) =>
        new(id, new BoundingBox(x - 16, y - 64, 32, 64), label == "car" ? 1 : 0, label, 0.9f, true, 10, 0);

    // A person walks in along y = 250 while a car drives out along y = 120, on the same frames.
    private void PersonInCarOut(LineCounter counter)
    {
        for (var step = 0; step <= 44; step++)
        {
            _tracks.Clear();
            _tracks.Add(Object(1, "person", 100 + (step * 10), 250));
            _tracks.Add(Object(2, "car", 540 - (step * 10), 120));
            counter.Update(_tracks, _sequence++, T0.AddSeconds(_sequence / 10.0), _crossings);
        }
    }

    [Fact]
    public void Update_LineWithCarClass_CountsOnlyTheCar()
    {
        var counter = new LineCounter("cam1", [Door("cars", "car")]);

        PersonInCarOut(counter);

        var crossing = _crossings.Should().ContainSingle().Subject;
        (crossing.Label, crossing.Direction).Should().Be(("car", CrossingDirection.Out));
        counter.GetCount("cars").Should().BeEquivalentTo(new { In = 0L, Out = 1L });
    }

    [Fact]
    public void Update_LinesWithAndWithoutClasses_EachCountsItsOwnClasses()
    {
        var counter = new LineCounter("cam1", [Door("all"), Door("people", "PERSON"), Door("both", "person", "car")]);

        PersonInCarOut(counter);

        counter.GetCount("all").Should().BeEquivalentTo(new { In = 1L, Out = 1L });
        counter.GetCount("people").Should().BeEquivalentTo(new { In = 1L, Out = 0L }, "labels match whatever their case");
        counter.GetCount("people").ByClass.Keys.Should().Equal("person");
        counter.GetCount("both").Should().BeEquivalentTo(new { In = 1L, Out = 1L });
        _crossings.Should().HaveCount(5);
    }
}
