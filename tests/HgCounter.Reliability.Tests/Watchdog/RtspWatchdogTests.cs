using HgCounter.Configuration;
using HgCounter.Health;
using HgCounter.Reliability.Watchdog;
using Microsoft.Extensions.Time.Testing;

namespace HgCounter.Reliability.Tests.Watchdog;

public sealed class RtspWatchdogTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly List<CameraStateChangedEventArgs> _offline = [];
    private readonly List<CameraStateChangedEventArgs> _online = [];
    private RtspWatchdog? _watchdog;

    public void Dispose() => _watchdog?.Dispose();

    private RtspWatchdog Create(Action<WatchdogOptions>? configure = null)
    {
        var options = new WatchdogOptions { UseJitter = false };
        configure?.Invoke(options);
        _watchdog = new RtspWatchdog(options, _time);
        _watchdog.CameraOffline += (_, e) => _offline.Add(e);
        _watchdog.CameraOnline += (_, e) => _online.Add(e);
        return _watchdog;
    }

    private static void FailUntilOffline(RtspWatchdog watchdog, string camera, int failures = 3)
    {
        for (var i = 0; i < failures; i++)
        {
            watchdog.MarkFrameFailed(camera, "read timeout");
        }
    }

    [Fact]
    public void MarkFrameReceived_FirstFrame_HealthyAndOnlineRaised()
    {
        var watchdog = Create();
        watchdog.Register("door", "rtsp://cam/stream");

        watchdog.MarkFrameReceived("door", 1);

        var camera = watchdog.GetCamera("door")!;
        camera.Health.Should().Be(CameraHealth.Healthy);
        camera.LastFrameAt.Should().Be(_time.GetUtcNow());
        _online.Should().ContainSingle().Which.Previous.Should().Be(CameraHealth.Starting);
    }

    [Fact]
    public void CheckStalls_SubscriberThrows_OtherSubscribersRunAndTheWatchdogCarriesOn()
    {
        var watchdog = Create(o => o.StallTimeout = TimeSpan.FromSeconds(5));
        watchdog.StateChanged += (_, _) => throw new InvalidOperationException("a broken dashboard handler");
        watchdog.Register("door");
        watchdog.Register("yard");

        _time.Advance(TimeSpan.FromSeconds(6));
        var check = () => watchdog.CheckStalls();

        check.Should().NotThrow("a subscriber's fault must not reach the stall timer's thread or a camera loop");
        _offline.Select(e => e.Camera.Name).Should().BeEquivalentTo(["door", "yard"], "every camera is still judged and announced");
    }

    [Fact]
    public void MarkFrameFailed_OneFailure_Degraded()
    {
        var watchdog = Create();
        watchdog.Register("door");
        watchdog.MarkFrameReceived("door", 1);

        watchdog.MarkFrameFailed("door", "decode error");

        var camera = watchdog.GetCamera("door")!;
        camera.Health.Should().Be(CameraHealth.Degraded);
        camera.ConsecutiveFailures.Should().Be(1);
        camera.LastError.Should().Be("decode error");
        _offline.Should().BeEmpty();
    }

    [Fact]
    public void MarkFrameFailed_OfflineAfterFailuresReached_OfflineOnceWithFirstAttemptAfter1s()
    {
        var watchdog = Create(o => o.OfflineAfterFailures = 3);
        watchdog.Register("door");
        watchdog.MarkFrameReceived("door", 1);

        watchdog.MarkFrameFailed("door", "eof");
        watchdog.MarkFrameFailed("door", "eof");
        watchdog.GetCamera("door")!.Health.Should().Be(CameraHealth.Degraded);
        watchdog.MarkFrameFailed("door", "eof");
        watchdog.MarkFrameFailed("door", "eof");

        var camera = watchdog.GetCamera("door")!;
        camera.Health.Should().Be(CameraHealth.Offline);
        camera.NextAttemptAt.Should().Be(_time.GetUtcNow() + TimeSpan.FromSeconds(1));
        _offline.Should().ContainSingle().Which.Reason.Should().Contain("3 consecutive failures");
    }

    [Fact]
    public void Reconnect_CameraDisconnectsAndReturns_BackAfterThe1sBackoff()
    {
        var watchdog = Create();
        watchdog.Register("door");
        watchdog.MarkFrameReceived("door", 1);
        FailUntilOffline(watchdog, "door");

        _time.Advance(TimeSpan.FromMilliseconds(900));
        watchdog.GetDueReconnects().Should().BeEmpty("the first attempt waits the 1 s backoff");
        watchdog.TryBeginReconnect("door").Should().BeFalse();

        _time.Advance(TimeSpan.FromMilliseconds(100));
        watchdog.GetDueReconnects().Should().Equal("door");
        watchdog.TryBeginReconnect("door").Should().BeTrue();
        watchdog.GetCamera("door")!.Health.Should().Be(CameraHealth.Reconnecting);
        watchdog.TryBeginReconnect("door").Should().BeFalse("an attempt is already running");

        watchdog.ReconnectSucceeded("door");
        watchdog.GetCamera("door")!.Health.Should().Be(CameraHealth.Starting);
        watchdog.MarkFrameReceived("door", 2);

        var camera = watchdog.GetCamera("door")!;
        camera.Health.Should().Be(CameraHealth.Healthy);
        camera.ReconnectAttempts.Should().Be(0);
        camera.NextAttemptAt.Should().BeNull();
        _online.Should().HaveCount(2);
        _online[^1].Previous.Should().Be(CameraHealth.Starting);
    }

    [Fact]
    public void ReconnectFailed_PersistentFailure_Follows1_2_4_8_16_32_60_60()
    {
        var watchdog = Create();
        watchdog.Register("door");
        FailUntilOffline(watchdog, "door");
        var delays = new List<double>();

        for (var attempt = 0; attempt < 9; attempt++)
        {
            var camera = watchdog.GetCamera("door")!;
            var delay = camera.NextAttemptAt!.Value - _time.GetUtcNow();
            delays.Add(delay.TotalSeconds);
            _time.Advance(delay);
            watchdog.TryBeginReconnect("door").Should().BeTrue();
            watchdog.ReconnectFailed("door", "Connection refused");
        }

        delays.Should().Equal(1, 2, 4, 8, 16, 32, 60, 60, 60);
        _offline.Should().ContainSingle("one outage is announced once, not once per failed attempt");
    }

    [Fact]
    public void ReconnectFailed_WithJitter_EachDelayWithinJitterBoundsOfTheSchedule()
    {
        var options = new WatchdogOptions { UseJitter = true };
        using var watchdog = new RtspWatchdog(options, _time);
        watchdog.Register("door");
        FailUntilOffline(watchdog, "door");
        double[] schedule = [1, 2, 4, 8, 16, 32, 60, 60, 60];

        foreach (var expected in schedule)
        {
            var delay = watchdog.GetCamera("door")!.NextAttemptAt!.Value - _time.GetUtcNow();
            delay.TotalSeconds.Should().BeInRange(expected * 0.75, expected * 1.25);
            _time.Advance(delay);
            watchdog.TryBeginReconnect("door").Should().BeTrue();
            watchdog.ReconnectFailed("door", "refused");
        }
    }

    [Fact]
    public void ReconnectFailed_MaxRetriesReached_GivesUpUntilRequestReconnect()
    {
        var watchdog = Create(o => o.MaxRetries = 3);
        watchdog.Register("door");
        FailUntilOffline(watchdog, "door");
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(60));
            watchdog.TryBeginReconnect("door").Should().BeTrue();
            watchdog.ReconnectFailed("door", "refused");
        }

        _time.Advance(TimeSpan.FromDays(1));
        watchdog.GetDueReconnects().Should().BeEmpty();
        var gaveUp = watchdog.GetCamera("door")!;
        gaveUp.Health.Should().Be(CameraHealth.Offline);
        gaveUp.NextAttemptAt.Should().BeNull();

        watchdog.RequestReconnect("door").Should().BeTrue();

        watchdog.GetDueReconnects().Should().Equal("door");
        watchdog.TryBeginReconnect("door").Should().BeTrue();
        watchdog.GetCamera("door")!.ReconnectAttempts.Should().Be(1, "a manual reconnect starts a fresh backoff");
    }

    [Fact]
    public void ReconnectFailed_DefaultMaxRetries_NeverGivesUp()
    {
        var watchdog = Create();
        watchdog.Register("door");
        FailUntilOffline(watchdog, "door");

        for (var i = 0; i < 500; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(60));
            watchdog.TryBeginReconnect("door").Should().BeTrue();
            watchdog.ReconnectFailed("door", "refused");
        }

        var camera = watchdog.GetCamera("door")!;
        camera.ReconnectAttempts.Should().Be(500);
        camera.NextAttemptAt.Should().Be(_time.GetUtcNow() + TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void CheckStalls_SocketOpenButNoFrames_OfflineAfterStallTimeout()
    {
        var watchdog = Create(o => o.StallTimeout = TimeSpan.FromSeconds(10));
        watchdog.Register("door");
        watchdog.MarkFrameReceived("door", 1);

        _time.Advance(TimeSpan.FromSeconds(9));
        watchdog.GetCamera("door")!.Health.Should().Be(CameraHealth.Healthy);
        _time.Advance(TimeSpan.FromSeconds(1));

        var camera = watchdog.GetCamera("door")!;
        camera.Health.Should().Be(CameraHealth.Offline, "the watchdog's own timer catches a silent stream");
        camera.LastError.Should().Contain("stall");
        _offline.Should().ContainSingle();
    }

    [Fact]
    public void CheckStalls_RegisteredCameraNeverDelivers_OfflineAfterStallTimeout()
    {
        var watchdog = Create(o => o.StallTimeout = TimeSpan.FromSeconds(5));
        watchdog.Register("door");

        _time.Advance(TimeSpan.FromSeconds(5));

        watchdog.GetCamera("door")!.Health.Should().Be(CameraHealth.Offline);
    }

    [Fact]
    public void CheckStalls_ReconnectedButNoFrame_OfflineAgainWithLongerBackoff()
    {
        var watchdog = Create(o => o.StallTimeout = TimeSpan.FromSeconds(5));
        watchdog.Register("door");
        watchdog.MarkFrameReceived("door", 1);
        FailUntilOffline(watchdog, "door");
        _time.Advance(TimeSpan.FromSeconds(1));
        watchdog.TryBeginReconnect("door").Should().BeTrue();
        watchdog.ReconnectSucceeded("door");

        _time.Advance(TimeSpan.FromSeconds(5));

        var camera = watchdog.GetCamera("door")!;
        camera.Health.Should().Be(CameraHealth.Offline);
        (camera.NextAttemptAt! - _time.GetUtcNow()).Should().Be(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void MarkFrameReceived_SameContentForFrozenTimeout_OfflineAsFrozen()
    {
        var watchdog = Create(o => { o.FrozenTimeout = TimeSpan.FromSeconds(30); o.StallTimeout = TimeSpan.FromSeconds(10); });
        watchdog.Register("door");

        for (var second = 0; second < 29; second++)
        {
            watchdog.MarkFrameReceived("door", 0xABCDEF);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        watchdog.GetCamera("door")!.Health.Should().Be(CameraHealth.Healthy);
        _time.Advance(TimeSpan.FromSeconds(1));
        watchdog.MarkFrameReceived("door", 0xABCDEF);

        var camera = watchdog.GetCamera("door")!;
        camera.Health.Should().Be(CameraHealth.Offline);
        camera.LastError.Should().Contain("frozen");
        camera.LastFailure.Should().Be(CameraFailureReason.Frozen);
        _offline.Should().ContainSingle().Which.Cause.Should().Be(CameraFailureReason.Frozen);
        watchdog.MarkFrameReceived("door", 0xABCDEF);
        watchdog.GetCamera("door")!.Health.Should().Be(CameraHealth.Offline, "more copies of the frozen frame do not revive it");
    }

    [Fact]
    public void MarkFrameReceived_SameContent_VerdictTurnsFrozenAtFrozenTimeoutAndStaysFrozen()
    {
        var watchdog = Create(o => { o.FrozenTimeout = TimeSpan.FromSeconds(30); o.StallTimeout = TimeSpan.FromSeconds(10); });
        watchdog.Register("door");
        var verdicts = new List<FrameVerdict>();

        for (var second = 0; second <= 31; second++)
        {
            verdicts.Add(watchdog.MarkFrameReceived("door", 0xABCDEF));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        verdicts.Take(30).Should().AllBeEquivalentTo(FrameVerdict.Live);
        verdicts.Skip(30).Should().AllBeEquivalentTo(FrameVerdict.Frozen, "the caller reconnects on this verdict, no second look at the health needed");
        watchdog.MarkFrameReceived("door", 0x123456).Should().Be(FrameVerdict.Live, "a changed picture is live again");
        watchdog.MarkFrameReceived("unknown", 1).Should().Be(FrameVerdict.NotWatched);
    }

    [Fact]
    public void ReconnectFailed_ClassifiedReason_ReachesHealthAndTheOfflineEvent()
    {
        var watchdog = Create();
        watchdog.Register("door");
        watchdog.MarkFrameFailed("door", CameraFailureReason.Timeout, "no answer");
        FailUntilOffline(watchdog, "door", failures: 2);
        _time.Advance(TimeSpan.FromSeconds(1));
        watchdog.TryBeginReconnect("door").Should().BeTrue();

        watchdog.ReconnectFailed("door", CameraFailureReason.AuthFailed, "Server returned 401 Unauthorized");

        var camera = watchdog.GetCamera("door")!;
        camera.LastFailure.Should().Be(CameraFailureReason.AuthFailed);
        camera.LastError.Should().Be("Server returned 401 Unauthorized", "the text users read is kept");
        _offline.Should().ContainSingle("one announcement per outage").Which.Cause.Should().Be(CameraFailureReason.Unknown, "the outage began with unclassified read failures");
    }

    [Fact]
    public void CheckStalls_NoFrames_LastFailureIsStalled()
    {
        var watchdog = Create(o => o.StallTimeout = TimeSpan.FromSeconds(5));
        watchdog.Register("door");
        watchdog.MarkFrameFailed("door", CameraFailureReason.Timeout, "slow");

        _time.Advance(TimeSpan.FromSeconds(5));

        var camera = watchdog.GetCamera("door")!;
        camera.LastFailure.Should().Be(CameraFailureReason.Stalled, "the watchdog found this failure itself");
        camera.LastError.Should().Contain("(stall)");
        _offline.Should().ContainSingle().Which.Cause.Should().Be(CameraFailureReason.Stalled);
    }

    [Fact]
    public void MarkFrameReceived_ChangingContent_StaysHealthyBeyondFrozenTimeout()
    {
        var watchdog = Create(o => o.FrozenTimeout = TimeSpan.FromSeconds(5));
        watchdog.Register("door");

        for (ulong i = 0; i < 100; i++)
        {
            watchdog.MarkFrameReceived("door", i);
            _time.Advance(TimeSpan.FromMilliseconds(200));
        }

        watchdog.GetCamera("door")!.Health.Should().Be(CameraHealth.Healthy);
        _offline.Should().BeEmpty();
    }

    [Fact]
    public void ReconnectSucceeded_AfterFrozen_FrozenWindowStartsAgain()
    {
        var watchdog = Create(o => { o.FrozenTimeout = TimeSpan.FromSeconds(5); o.StallTimeout = TimeSpan.FromSeconds(10); });
        watchdog.Register("door");
        for (var i = 0; i < 6; i++)
        {
            watchdog.MarkFrameReceived("door", 7);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        watchdog.GetCamera("door")!.Health.Should().Be(CameraHealth.Offline);
        watchdog.TryBeginReconnect("door").Should().BeTrue();
        watchdog.ReconnectSucceeded("door");
        watchdog.MarkFrameReceived("door", 7);

        watchdog.GetCamera("door")!.Health.Should().Be(CameraHealth.Healthy);
    }

    [Fact]
    public void GetHealth_KnownAndUnknownCameras_CurrentStateOrNull()
    {
        var watchdog = Create();
        watchdog.Register("door");
        watchdog.MarkFrameReceived("door", 1);
        FailUntilOffline(watchdog, "door");

        watchdog.GetHealth("door").Should().Be(CameraHealth.Offline);
        watchdog.GetHealth("nope").Should().BeNull();
    }

    [Fact]
    public void MarkFinished_FileEnded_NoStallAndNoReconnect()
    {
        var watchdog = Create(o => o.StallTimeout = TimeSpan.FromSeconds(1));
        watchdog.Register("file");
        watchdog.MarkFrameReceived("file", 1);

        watchdog.MarkFinished("file");
        _time.Advance(TimeSpan.FromMinutes(10));
        watchdog.MarkFrameFailed("file", "eof");

        watchdog.GetCamera("file")!.Health.Should().Be(CameraHealth.Finished);
        watchdog.GetDueReconnects().Should().BeEmpty();
        _offline.Should().BeEmpty();
    }

    [Fact]
    public void RegisterAndMarkFrameFailed_CredentialsInSourceAndError_Redacted()
    {
        var watchdog = Create();
        watchdog.Register("door", "rtsp://admin:s3cret@10.0.0.5/live");

        watchdog.MarkFrameFailed("door", "ffmpeg: rtsp://admin:s3cret@10.0.0.5/live: 401 Unauthorized");

        var camera = watchdog.GetCamera("door")!;
        camera.Source.Should().NotContain("s3cret").And.Contain("10.0.0.5");
        camera.LastError.Should().NotContain("s3cret").And.Contain("401");
    }

    [Fact]
    public void GoOffline_ManyCamerasFailTogetherWithJitter_NextAttemptsSpread()
    {
        using var watchdog = new RtspWatchdog(new WatchdogOptions(), _time);
        var names = Enumerable.Range(0, 20).Select(i => $"cam{i}").ToList();
        names.ForEach(n => watchdog.Register(n));

        names.ForEach(n => FailUntilOffline(watchdog, n));

        var attempts = names.Select(n => watchdog.GetCamera(n)!.NextAttemptAt!.Value).ToList();
        attempts.Distinct().Count().Should().BeGreaterThan(15);
        attempts.Should().OnlyContain(a => a >= _time.GetUtcNow() + TimeSpan.FromSeconds(0.75) && a <= _time.GetUtcNow() + TimeSpan.FromSeconds(1.25));
    }

    [Fact]
    public void GetStatusSummary_MixedCameras_TotalsAndDetails()
    {
        var watchdog = Create();
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            watchdog.Register(name);
        }

        watchdog.MarkFrameReceived("a", 1);
        watchdog.MarkFrameReceived("b", 1);
        watchdog.MarkFrameFailed("b", "x");
        FailUntilOffline(watchdog, "c");

        var summary = watchdog.GetStatusSummary();

        summary.Total.Should().Be(4);
        summary.Healthy.Should().Be(1);
        summary.Degraded.Should().Be(1);
        summary.Offline.Should().Be(1);
        summary.Cameras.Select(c => (c.Name, c.Health)).Should().Equal(
            ("a", CameraHealth.Healthy), ("b", CameraHealth.Degraded), ("c", CameraHealth.Offline), ("d", CameraHealth.Starting));
    }

    [Fact]
    public async Task MarkFrame_ManyThreads_StateStaysConsistent()
    {
        var watchdog = Create(o => o.OfflineAfterFailures = 1_000_000);
        var names = Enumerable.Range(0, 8).Select(i => $"cam{i}").ToList();
        names.ForEach(n => watchdog.Register(n));

        await Task.WhenAll(names.Select(n => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                if (i % 2 == 0)
                {
                    watchdog.MarkFrameReceived(n, (ulong)i);
                }
                else
                {
                    watchdog.MarkFrameFailed(n, "x");
                }

                _ = watchdog.GetStatusSummary().Total;
            }
        })));

        var summary = watchdog.GetStatusSummary();
        summary.Total.Should().Be(8);
        summary.Cameras.Should().OnlyContain(c => c.Health == CameraHealth.Degraded && c.ConsecutiveFailures == 1);
    }
}
