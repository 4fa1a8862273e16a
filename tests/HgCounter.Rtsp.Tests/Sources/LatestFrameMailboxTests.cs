using HgCounter.Frames;
using HgCounter.Rtsp.Sources;
using Microsoft.Extensions.Time.Testing;

namespace HgCounter.Rtsp.Tests.Sources;

public sealed class LatestFrameMailboxTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FramePool _pool = new();
    private int _failures;

    private LatestFrameMailbox Create(bool dropOld = true) => new(dropOld, "rtsp://***@cam/x", _time, () => Interlocked.Increment(ref _failures));

    private Frame NewFrame(long sequence) => _pool.Rent(4, 2, "cam", sequence, default);

    [Fact]
    public async Task TakeAsync_NoFrameWithinTimeout_FailsStalledAndStopsTheProducer()
    {
        using var mailbox = Create();
        var pending = mailbox.TakeAsync(TimeSpan.FromSeconds(5), CancellationToken.None).AsTask();

        _time.Advance(TimeSpan.FromSeconds(4.9));
        pending.IsCompleted.Should().BeFalse();
        _time.Advance(TimeSpan.FromSeconds(0.2));

        (await pending.Invoking(t => t).Should().ThrowAsync<FrameSourceException>()).Which.Kind.Should().Be(FrameSourceErrorKind.Stalled);
        _failures.Should().Be(1);
        mailbox.Post(NewFrame(1)).Should().BeFalse("a stalled mailbox is closed");
    }

    [Fact]
    public async Task Post_ConsumerBehind_KeepsOnlyTheLatestAndCountsDrops()
    {
        using var mailbox = Create();
        for (var i = 0; i < 5; i++)
        {
            mailbox.Post(NewFrame(i)).Should().BeTrue();
        }

        using var frame = await mailbox.TakeAsync(TimeSpan.FromSeconds(1), CancellationToken.None);

        frame!.Sequence.Should().Be(4);
        mailbox.Dropped.Should().Be(4);
    }

    [Fact]
    public async Task Post_WhileConsumerWaits_HandsTheFrameOver()
    {
        using var mailbox = Create();
        var pending = mailbox.TakeAsync(TimeSpan.FromSeconds(1), CancellationToken.None).AsTask();

        mailbox.Post(NewFrame(7));
        using var frame = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        frame!.Sequence.Should().Be(7);
        _time.Advance(TimeSpan.FromSeconds(5));
        _failures.Should().Be(0, "the read timeout stops once a frame arrived");
    }

    [Fact]
    public async Task Post_LosslessMode_QueuesAFewThenWaitsForTheConsumerInsteadOfDropping()
    {
        using var mailbox = Create(dropOld: false);
        for (var i = 0; i < 3; i++)
        {
            mailbox.Post(NewFrame(i)).Should().BeTrue();
        }

        var fourth = Task.Run(() => mailbox.Post(NewFrame(3)));
        await Task.Delay(200);
        fourth.IsCompleted.Should().BeFalse("the queue is full, so the reader (and ffmpeg behind it) waits");

        var sequences = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            using var frame = await mailbox.TakeAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
            sequences.Add(frame!.Sequence);
        }

        (await fourth.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        sequences.Should().Equal(0, 1, 2, 3);
        mailbox.Dropped.Should().Be(0);
    }

    [Fact]
    public async Task Complete_CleanEnd_DeliversTheLastFrameThenNull()
    {
        using var mailbox = Create();
        mailbox.Post(NewFrame(3));
        mailbox.Complete(null);

        using var last = await mailbox.TakeAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        var end = await mailbox.TakeAsync(TimeSpan.FromSeconds(1), CancellationToken.None);

        last!.Sequence.Should().Be(3);
        end.Should().BeNull();
    }

    [Fact]
    public async Task Complete_WithErrorWhileWaiting_FailsTheWaiterWithThatError()
    {
        using var mailbox = Create();
        var pending = mailbox.TakeAsync(TimeSpan.FromSeconds(5), CancellationToken.None).AsTask();

        mailbox.Complete(new FrameSourceException(FrameSourceErrorKind.Unauthorized, "x", "401"));

        (await pending.Invoking(t => t.WaitAsync(TimeSpan.FromSeconds(10))).Should().ThrowAsync<FrameSourceException>()).Which.Kind.Should().Be(FrameSourceErrorKind.Unauthorized);
    }

    [Fact]
    public async Task TakeAsync_CancelledWhileWaiting_ThrowsAndStopsTheProducer()
    {
        using var mailbox = Create();
        using var cts = new CancellationTokenSource();
        var pending = mailbox.TakeAsync(TimeSpan.FromSeconds(5), cts.Token).AsTask();

        await cts.CancelAsync();

        await pending.Invoking(t => t.WaitAsync(TimeSpan.FromSeconds(10))).Should().ThrowAsync<OperationCanceledException>();
        _failures.Should().Be(1);
    }
}
