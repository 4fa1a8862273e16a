using System.Text;
using HgCounter.Configuration;
using HgCounter.Runtime.Tests.Agent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HgCounter.Runtime.Tests.Configuration;

/// <summary>A zone that cannot work is refused at start-up with the key of what is wrong.</summary>
public sealed class ZoneValidationTests
{
    private static ZoneOptions Zone(string name, params float[][] points) => new() { Name = name, Points = points };

    private static Task<string> StartWithZonesAsync(params ZoneOptions[] zones) => StartupError.Of(o =>
    {
        var camera = AgentHost.SceneCamera("cam1", "side-by-side");
        foreach (var zone in zones)
        {
            camera.Zones.Add(zone);
        }

        o.Cameras.Add(camera);
    });

    private static readonly float[][] Square = [[100, 100], [300, 100], [300, 300], [100, 300]];

    [Fact]
    public async Task Start_ZoneWithTwoPoints_NamesThePointsKey()
    {
        var error = await StartWithZonesAsync(Zone("ok", Square), Zone("flat", [10, 10], [50, 50]));

        error.Should().Contain("HgCounter:Cameras:0:Zones:1:Points: a zone needs at least 3 points");
    }

    [Fact]
    public async Task Start_BowTieZone_SaysTheOutlineCrossesItself()
    {
        var error = await StartWithZonesAsync(Zone("bow", [100, 100], [300, 300], [300, 100], [100, 300]));

        error.Should().Contain("HgCounter:Cameras:0:Zones:0:Points: the outline crosses itself (edge 0→1 meets edge 2→3)");
    }

    [Fact]
    public async Task Start_CollinearPoints_SaysTheZoneEnclosesNoArea()
    {
        var error = await StartWithZonesAsync(Zone("line", [0, 0], [100, 100], [200, 200]));

        error.Should().Contain("HgCounter:Cameras:0:Zones:0:Points: the points lie on one line");
    }

    [Fact]
    public async Task Start_PointWithOneValue_NamesThatPoint()
    {
        var error = await StartWithZonesAsync(Zone("bad", [0, 0], [100], [200, 200]));

        error.Should().Contain("HgCounter:Cameras:0:Zones:0:Points:1: expected a point [x, y]");
    }

    [Fact]
    public async Task Start_DuplicateZoneNames_NamesTheSecond()
    {
        var error = await StartWithZonesAsync(Zone("queue", Square), Zone("Queue", Square));

        error.Should().Contain("HgCounter:Cameras:0:Zones:1:Name: duplicate zone name 'Queue'");
    }

    [Fact]
    public async Task Start_ZoneNamedLikeALine_SaysBothAreCountTargets()
    {
        var error = await StartWithZonesAsync(Zone("door", Square));

        error.Should().Contain("HgCounter:Cameras:0:Zones:0:Name: 'door' is also the name of a line").And.Contain("distinct names");
    }

    [Fact]
    public async Task Start_MinFramesZeroAndNameWithSlash_NamesBothKeys()
    {
        var zone = Zone("a/b", Square);
        zone.MinFrames = 0;

        var error = await StartWithZonesAsync(zone);

        error.Should().Contain("HgCounter:Cameras:0:Zones:0:MinFrames").And.Contain("HgCounter:Cameras:0:Zones:0:Name: the zone name contains '/'");
    }

    [Fact]
    public void Bind_DocumentedZoneShape_BindsEveryKey()
    {
        const string Json = """
            { "HgCounter": { "Cameras": [ { "Name": "cam1", "Url": "synthetic:zone-visits",
                "Zones": [ { "Name": "queue", "Points": [[100, 160], [280, 160], [280, 320], [100, 320]], "Classes": ["person"],
                             "Anchor": "Center", "MinFrames": 5, "LoiterAfter": "00:01:00" } ] } ] } }
            """;
        var services = new ServiceCollection();
        services.AddHgCounter(new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(Json))).Build());
        using var provider = services.BuildServiceProvider();

        var zone = provider.GetRequiredService<IOptions<HgCounterOptions>>().Value.Cameras.Single().Zones.Should().ContainSingle().Subject;

        zone.Name.Should().Be("queue");
        zone.Points.Should().BeEquivalentTo(new[] { new[] { 100f, 160f }, [280f, 160f], [280f, 320f], [100f, 320f] }, o => o.WithStrictOrdering());
        zone.Classes.Should().Equal("person");
        (zone.Anchor, zone.MinFrames, zone.LoiterAfter).Should().Be((HgCounter.Detection.TrackAnchor.Center, 5, TimeSpan.FromMinutes(1)));
    }
}
