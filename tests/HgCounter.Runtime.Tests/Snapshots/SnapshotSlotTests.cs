using HgCounter.Detection;
using HgCounter.Frames;
using HgCounter.Snapshots;
using HgCounter.Tracking;
using Microsoft.Extensions.Time.Testing;
using OpenCvSharp;

namespace HgCounter.Runtime.Tests.Snapshots;

public class SnapshotSlotTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public void Offer_NoRequest_CopiesNothing()
    {
        var slot = new SnapshotSlot(new FakeTimeProvider());
        using var frame = Frame.CreateUnpooled(64, 32);

        for (var i = 0; i < 100; i++)
        {
            slot.Offer(frame, []);
        }

        slot.Copies.Should().Be(0);
    }

    [Fact]
    public async Task TakeAsync_Request_NextFrameIsCopiedWithItsConfirmedTracks()
    {
        var slot = new SnapshotSlot(new FakeTimeProvider());
        using var frame = Filled(64, 32, 77);
        Track[] tracks = [Track(1, confirmed: true), Track(2, confirmed: false)];

        var taking = slot.TakeAsync(Wait, live: true, CancellationToken.None);
        slot.Offer(frame, tracks);
        using var capture = await taking.WaitAsync(Wait);

        slot.Copies.Should().Be(1);
        capture.Should().NotBeNull();
        (capture!.Image.Width, capture.Image.Height).Should().Be((64, 32));
        capture.Image.At<Vec3b>(10, 10).Item0.Should().Be(77);
        capture.Tracks.Select(t => t.Id).Should().Equal(1);
    }

    [Fact]
    public async Task TakeAsync_WithinMaxAge_ReusesTheLastCopy()
    {
        var time = new FakeTimeProvider();
        var slot = new SnapshotSlot(time);
        using var frame = Filled(64, 32, 10);
        var first = slot.TakeAsync(Wait, live: true, CancellationToken.None);
        slot.Offer(frame, []);
        (await first.WaitAsync(Wait))!.Dispose();

        time.Advance(SnapshotSlot.MaxAge / 2);
        using (var again = await slot.TakeAsync(Wait, live: true, CancellationToken.None).WaitAsync(Wait))
        {
            again.Should().NotBeNull();
        }

        slot.Offer(frame, []);
        slot.Copies.Should().Be(1, "a request within MaxAge of a copy reuses it and leaves the loop alone");

        time.Advance(SnapshotSlot.MaxAge);
        var later = slot.TakeAsync(Wait, live: true, CancellationToken.None);
        later.IsCompleted.Should().BeFalse("an older copy is refreshed by the loop");
        slot.Offer(frame, []);
        (await later.WaitAsync(Wait))!.Dispose();
        slot.Copies.Should().Be(2);
    }

    [Fact]
    public async Task TakeAsync_NoFrameWithinTimeout_ReturnsNull()
    {
        var time = new FakeTimeProvider();
        var slot = new SnapshotSlot(time);

        var taking = slot.TakeAsync(TimeSpan.FromSeconds(2), live: true, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(2));

        (await taking.WaitAsync(Wait)).Should().BeNull();
    }

    [Fact]
    public async Task TakeAsync_Cancelled_ThrowsOperationCanceled()
    {
        var slot = new SnapshotSlot(new FakeTimeProvider());
        using var cancel = new CancellationTokenSource();

        var taking = slot.TakeAsync(TimeSpan.FromMinutes(1), live: true, cancel.Token);
        await cancel.CancelAsync();

        await taking.Invoking(t => t.WaitAsync(Wait)).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task TakeAsync_LoopEnded_ReturnsLastCopyAtOnce()
    {
        var time = new FakeTimeProvider();
        var slot = new SnapshotSlot(time);
        using var frame = Filled(64, 32, 10);
        (await slot.TakeAsync(Wait, live: false, CancellationToken.None)).Should().BeNull("nothing was ever copied");
        var first = slot.TakeAsync(Wait, live: true, CancellationToken.None);
        slot.Offer(frame, []);
        (await first.WaitAsync(Wait))!.Dispose();
        time.Advance(TimeSpan.FromMinutes(10));

        using var last = await slot.TakeAsync(Wait, live: false, CancellationToken.None);

        last.Should().NotBeNull("a finished camera shows its last frame");
    }

    private static Frame Filled(int width, int height, byte value)
    {
        var frame = Frame.CreateUnpooled(width, height);
        frame.Pixels.Fill(value);
        return frame;
    }

    private static Track Track(long id, bool confirmed) => new(id, new BoundingBox(1, 1, 5, 5), 0, "person", 0.9f, confirmed, 5, 0);
}
