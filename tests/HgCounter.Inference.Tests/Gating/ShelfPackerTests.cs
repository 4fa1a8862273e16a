using HgCounter.Inference.Scheduling;

namespace HgCounter.Inference.Tests.Gating;

public sealed class ShelfPackerTests
{
    [Fact]
    public void TryPlace_FourQuarterFrames_FillTheCanvasTwoByTwo()
    {
        var packer = new ShelfPacker(640, 640, 4);
        var places = new List<(int X, int Y)>();
        for (var i = 0; i < 4; i++)
        {
            packer.TryPlace(320, 240, out var x, out var y).Should().BeTrue($"tile {i} fits");
            places.Add((x, y));
        }

        places.Should().Equal((0, 0), (320, 0), (0, 244), (320, 244));
        packer.TryPlace(320, 240, out _, out _).Should().BeFalse("a fifth does not fit below");
    }

    [Fact]
    public void TryPlace_SmallTiles_KeepTheGapBetweenThem()
    {
        var packer = new ShelfPacker(640, 640, 4);
        packer.TryPlace(100, 50, out var x1, out _).Should().BeTrue();
        packer.TryPlace(100, 80, out var x2, out _).Should().BeTrue();
        packer.TryPlace(500, 60, out var x3, out var y3).Should().BeTrue("a wide tile opens a new shelf");

        (x1, x2).Should().Be((0, 104));
        (x3, y3).Should().Be((0, 84), "below the tallest tile of the first shelf, past the gap");
    }

    [Fact]
    public void RestoreAfterFailedGroup_PlacesAsBefore()
    {
        var packer = new ShelfPacker(640, 640, 4);
        packer.TryPlace(600, 600, out _, out _).Should().BeTrue();
        var saved = packer.Save();
        packer.TryPlace(30, 30, out _, out _).Should().BeTrue();
        packer.TryPlace(640, 100, out _, out _).Should().BeFalse();
        packer.Restore(saved);

        packer.TryPlace(36, 600, out var x, out var y).Should().BeTrue();
        (x, y).Should().Be((604, 0));
    }
}
