using HgCounter.Configuration;
using HgCounter.Counting;
using HgCounter.Detection;
using HgCounter.Events;
using HgCounter.Inference.Counting;
using HgCounter.Runtime.Events;
using HgCounter.Tracking;

namespace HgCounter.Runtime.Tests.Events;

/// <summary>The one place count events and their ids are made: ids must stay exactly as they are, or a replay after a crash would store its crossings twice.</summary>
public sealed class CountEventMinterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Mint_Crossing_EventCarriesTheCrossingTheWorkerAndTheVersion5Id()
    {
        var crossing = new LineCrossing("cam1", "door", CrossingDirection.In, 7, 0, "person", 5, T0);

        var countEvent = new CountEventMinter("w").Mint(crossing);

        // uuid5(6f1c2b0e-…, "w␟cam1␟door␟7␟5"), computed independently (Python's uuid.uuid5).
        countEvent.EventId.Should().Be(new Guid("bb23f6b6-0976-506e-a283-aced308fccf7"));
        countEvent.Should().BeEquivalentTo(new { Camera = "cam1", Line = "door", Direction = CrossingDirection.In, TrackId = 7L, Label = "person", Timestamp = T0, WorkerId = "w" });
    }

    [Fact]
    public void Mint_IdScopeGiven_HashesTheScopeAndWritesTheWorker()
    {
        var crossing = new LineCrossing("cam1", "door", CrossingDirection.Out, 1, 0, "person", 42, T0);

        var countEvent = new CountEventMinter("worker-a", "worker-a/run:0123").Mint(crossing);

        countEvent.EventId.Should().Be(new Guid("fce0a954-2c53-5b28-b25e-aad051a9b2ab"));
        countEvent.WorkerId.Should().Be("worker-a");
    }

    [Fact]
    public void MintAll_SameFramesTwice_SameIds_AnotherRunScope_OtherIds()
    {
        List<Guid> Run(string? scope)
        {
            var counter = new LineCounter("cam1", [new LineOptions { Name = "door", Start = [320, 0], End = [320, 360] }]);
            var crossings = new List<LineCrossing>();
            var sequence = 0L;
            foreach (var x in Enumerable.Range(0, 23).Select(i => 200f + (10 * i)).Concat(Enumerable.Range(0, 23).Select(i => 420f - (10 * i))))
            {
                counter.Update([new Track(1, new BoundingBox(x - 16, 186, 32, 64), 0, "person", 0.9f, true, 10, 0)], sequence++, T0, crossings);
            }

            var events = new List<CountEvent>();
            new CountEventMinter("worker-a", scope).MintAll(crossings, events);
            return events.Select(e => e.EventId).ToList();
        }

        var first = Run(null);
        first.Should().HaveCount(2).And.OnlyHaveUniqueItems();
        Run(null).Should().Equal(first, "a replay of the same frames mints the same ids");
        Run("worker-a/run:2").Should().NotIntersectWith(first, "a live camera's next run must never reuse an id");
    }

    [Fact]
    public void Mint_ZoneExit_EventNamesTheZoneCarriesDwellAndHashesItsKind()
    {
        var exit = new ZoneEvent("cam1", "queue", CountEventKind.ZoneExit, 7, 0, "person", 5, T0, TimeSpan.FromSeconds(12.25));

        var countEvent = new CountEventMinter("w").Mint(exit);

        // uuid5(6f1c2b0e-…, "w␟cam1␟queue␟7␟5␟2"): the kind's number after the sequence, computed with Python's uuid.uuid5.
        countEvent.EventId.Should().Be(new Guid("68356b71-43ef-5bb7-90db-080870f25414"));
        countEvent.Should().BeEquivalentTo(new
        {
            Camera = "cam1", Line = "queue", Zone = "queue", Kind = CountEventKind.ZoneExit, Direction = CrossingDirection.Out,
            TrackId = 7L, Label = "person", Timestamp = T0, WorkerId = "w", DwellSeconds = (double?)12.25,
        });
    }

    [Fact]
    public void Mint_EnterAndLoiterOnOneFrame_DifferentIdsAndNoDwellOnEnter()
    {
        var minter = new CountEventMinter("w");
        var enter = minter.Mint(new ZoneEvent("cam1", "queue", CountEventKind.ZoneEnter, 7, 0, "person", 5, T0, TimeSpan.Zero));
        var loiter = minter.Mint(new ZoneEvent("cam1", "queue", CountEventKind.Loiter, 7, 0, "person", 5, T0, TimeSpan.FromSeconds(3)));

        enter.EventId.Should().Be(new Guid("47073f29-5f93-5f74-9f13-a804b49f4cad"));
        loiter.EventId.Should().NotBe(enter.EventId);
        enter.DwellSeconds.Should().BeNull();
        enter.Direction.Should().Be(CrossingDirection.In);
        loiter.DwellSeconds.Should().Be(3);
    }

    [Fact]
    public void CreateId_DifferentInputs_DifferentVersion5Ids()
    {
        var a = CountEventMinter.CreateId("w", "cam1", "door", 1, 10);
        var ids = new[] { a, CountEventMinter.CreateId("w", "cam1", "door", 1, 11), CountEventMinter.CreateId("w", "cam1", "door", 2, 10), CountEventMinter.CreateId("w", "cam2", "door", 1, 10), CountEventMinter.CreateId("v", "cam1", "door", 1, 10), CountEventMinter.CreateId("w", "cam1", "exit", 1, 10) };

        ids.Should().OnlyHaveUniqueItems();
        a.ToString()[14].Should().Be('5', "version nibble of a name-based SHA-1 UUID");
        "89ab".Should().Contain(a.ToString()[19].ToString(), "RFC 4122 variant");
    }
}
