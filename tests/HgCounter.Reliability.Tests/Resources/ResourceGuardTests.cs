using HgCounter.Configuration;
using HgCounter.Reliability.Resources;
using HgCounter.Reliability.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace HgCounter.Reliability.Tests.Resources;

public sealed class ResourceGuardTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeSystemFiles _files = FakeSystemFiles.ProcMachine(memoryPercent: 50);
    private readonly ResourceGuardOptions _options = new();
    private ResourceGuard? _guard;

    public void Dispose() => _guard?.Dispose();

    private ResourceGuard Create()
    {
        _guard = new ResourceGuard(_options, new LinuxResourceReader(_files, _time, processorCount: 2), _time);
        return _guard;
    }

    /// <summary>One second later, a sample that sees this much CPU over that second.</summary>
    private void SampleAt(double cpuPercent, double? memoryPercent = null)
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        SampleNow(cpuPercent, memoryPercent);
    }

    /// <summary>Samples without moving the clock (at least a second must have passed since the previous sample).</summary>
    private void SampleNow(double cpuPercent, double? memoryPercent = null)
    {
        _files.AddProcCpu(busy: cpuPercent, idle: 100 - cpuPercent);
        if (memoryPercent is { } m)
        {
            _files.SetProcMemoryPercent(m);
        }

        _guard!.Sample();
    }

    /// <summary>Offers frames at <paramref name="sourceFps"/> for <paramref name="seconds"/>; returns how many were accepted.</summary>
    private int Offer(ResourceGuard guard, string camera, double sourceFps, double seconds)
    {
        var accepted = 0;
        var step = TimeSpan.FromSeconds(1 / sourceFps);
        for (var i = 0; i < (int)(sourceFps * seconds); i++)
        {
            if (guard.ShouldProcessFrame(camera))
            {
                accepted++;
                guard.RecordFrame(camera);
            }

            _time.Advance(step);
        }

        return accepted;
    }

    [Fact]
    public void ShouldProcessFrame_SourceAbove_MaxFps_PacedToTheCap()
    {
        _options.MaxFps = 10;
        var guard = Create();

        var accepted = Offer(guard, "door", sourceFps: 25, seconds: 20);

        accepted.Should().BeInRange(198, 202);
        guard.GetFps("door").Should().BeApproximately(10, 0.5);
        guard.CheckFpsLimit("door").ShouldThrottle.Should().BeFalse();
    }

    [Fact]
    public void ShouldProcessFrame_CameraTargetBelowMaxFps_PacedToTheTarget()
    {
        _options.MaxFps = 30;
        var guard = Create();
        guard.SetTargetFps("door", 5);
        guard.SetTargetFps("yard", 50);

        Offer(guard, "door", sourceFps: 25, seconds: 20).Should().BeInRange(98, 102, "the camera's TargetFps of 5 applies");
        guard.GetAllowedFps("yard").Should().Be(30, "MaxFps still caps a higher target");
    }

    [Fact]
    public void ShouldProcessFrame_SourceBelowMaxFps_EveryFrameProcessed()
    {
        _options.MaxFps = 30;
        var guard = Create();

        Offer(guard, "door", sourceFps: 12, seconds: 10).Should().Be(120);
    }

    [Fact]
    public void ShouldProcessFrame_FramesAtTheCapWithJitter_EveryFrameProcessed()
    {
        _options.MaxFps = 10;
        var guard = Create();
        var random = new Random(7);
        var accepted = 0;
        var previousJitter = 0;
        for (var i = 0; i < 300; i++)
        {
            // A decoder that already delivers 10 fps: each frame 100 ms after the last, give or take 20 ms.
            var jitter = random.Next(-20, 21);
            if (i > 0)
            {
                _time.Advance(TimeSpan.FromMilliseconds(100 + jitter - previousJitter));
            }

            previousJitter = jitter;
            if (guard.ShouldProcessFrame("door"))
            {
                accepted++;
                guard.RecordFrame("door");
            }
        }

        accepted.Should().Be(300, "a frame a few ms early is not a frame too many");
        guard.GetFps("door").Should().BeApproximately(10, 0.5);
    }

    [Fact]
    public void ShouldProcessFrame_FrameEarlierThanTheTolerance_Skipped()
    {
        _options.MaxFps = 10;
        var guard = Create();
        guard.ShouldProcessFrame("door").Should().BeTrue();

        _time.Advance(TimeSpan.FromMilliseconds(40));
        guard.ShouldProcessFrame("door").Should().BeFalse("60 ms early is more than half of the 100 ms interval");
        _time.Advance(TimeSpan.FromMilliseconds(15));
        guard.ShouldProcessFrame("door").Should().BeTrue("45 ms early is within half an interval");
        _time.Advance(TimeSpan.FromMilliseconds(90));
        guard.ShouldProcessFrame("door").Should().BeFalse("the next frame is due at 200 ms, an interval after the one the early frame stood for, so 145 ms is too early");
        _time.Advance(TimeSpan.FromMilliseconds(10));
        guard.ShouldProcessFrame("door").Should().BeTrue();
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12.5)]
    [InlineData(15)]
    [InlineData(19)]
    public void ShouldProcessFrame_SourceSlightlyAboveTheCap_AverageStaysAtTheCap(double sourceFps)
    {
        _options.MaxFps = 10;
        var guard = Create();

        Offer(guard, "door", sourceFps, seconds: 30).Should().BeInRange(299, 302, "early frames are taken only while the average allows");
        guard.CheckFpsLimit("door").ShouldThrottle.Should().BeFalse();
    }

    [Fact]
    public void GetCeilingFps_TargetCappedByMaxFps_IgnoresAdaptiveAndThrottling()
    {
        _options.MaxFps = 8;
        var guard = Create();
        guard.SetTargetFps("door", 5);
        guard.SetTargetFps("yard", 25);
        SampleAt(20, memoryPercent: 85);

        guard.GetCeilingFps("door").Should().Be(5);
        guard.GetCeilingFps("yard").Should().Be(8);
        guard.GetAllowedFps("yard").Should().Be(4, "throttling halves the allowed rate, not the ceiling");
    }

    [Fact]
    public void CheckFpsLimit_FramesRecordedAboveCapWithoutPacing_Exceeded()
    {
        _options.MaxFps = 10;
        var guard = Create();
        for (var i = 0; i < 200; i++)
        {
            guard.RecordFrame("door");
            _time.Advance(TimeSpan.FromMilliseconds(40));
        }

        var check = guard.CheckFpsLimit("door");

        check.ShouldThrottle.Should().BeTrue();
        check.Reason.Should().Contain("door").And.Contain("25");
    }

    [Fact]
    public void ShouldThrottle_MemoryAt82On_At78StillOn_At75Off()
    {
        var guard = Create();

        SampleAt(20, memoryPercent: 79);
        guard.ShouldThrottle().ShouldThrottle.Should().BeFalse();

        SampleAt(20, memoryPercent: 82);
        var on = guard.ShouldThrottle();
        on.ShouldThrottle.Should().BeTrue();
        on.Reason.Should().Contain("memory 82.0 %").And.Contain("80");

        SampleAt(20, memoryPercent: 78);
        guard.ShouldThrottle().ShouldThrottle.Should().BeTrue("throttling clears 5 points below the limit, not at it");

        SampleAt(20, memoryPercent: 75);
        guard.ShouldThrottle().Should().Be(ThrottleDecision.None);
    }

    [Fact]
    public void ShouldProcessFrame_WhileThrottled_HalvesTheRate()
    {
        _options.MaxFps = 10;
        var guard = Create();
        SampleAt(20, memoryPercent: 85);

        Offer(guard, "door", sourceFps: 25, seconds: 20).Should().BeInRange(98, 102);
    }

    [Fact]
    public void ShouldThrottle_QueueOverLimit_OnWithQueueNameUntilItDrains()
    {
        _options.MaxQueueSize = 1000;
        var guard = Create();

        guard.RecordQueueSize("outbox", 1000);
        guard.ShouldThrottle().ShouldThrottle.Should().BeFalse();
        guard.RecordQueueSize("outbox", 1500);
        var decision = guard.ShouldThrottle();
        decision.ShouldThrottle.Should().BeTrue();
        decision.Reason.Should().Be("queue outbox 1500 > limit 1000");

        guard.RecordQueueSize("outbox", 10);
        guard.CheckQueueSizes().ShouldThrottle.Should().BeFalse();
    }

    [Fact]
    public void Sample_CpuOverLimit_StepsEveryCameraDownFairlyThenUpWhenLoadFalls()
    {
        _options.MaxFps = 20;
        _options.MaxCpuPercent = 80;
        var guard = Create();
        guard.ShouldProcessFrame("a");
        guard.ShouldProcessFrame("b");

        var down = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            SampleAt(95);
            down.Add(guard.GetAllowedFps("a"));
            guard.GetAllowedFps("b").Should().Be(guard.GetAllowedFps("a"), "both cameras keep the same share");
        }

        down.Take(4).Should().Equal(15, 11.25, 8.4375, 6.328125);
        down.Should().BeInDescendingOrder().And.OnlyContain(f => f >= guard.MinimumFps);
        down[^1].Should().Be(guard.MinimumFps, "every camera keeps a non-zero share");
        guard.IsCpuLimited.Should().BeTrue();

        SampleAt(75);
        guard.GetAllowedFps("a").Should().Be(guard.MinimumFps, "between limit-10 and limit the rate holds");

        var up = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            SampleAt(40);
            up.Add(guard.GetAllowedFps("a"));
        }

        up.Should().BeInAscendingOrder();
        up[0].Should().Be(1.25);
        up[^1].Should().Be(20);
        guard.IsCpuLimited.Should().BeFalse();
    }

    [Fact]
    public void Sample_CpuOverLimit_StepsDownFromTheMeasuredRateNotTheCap()
    {
        _options.MaxFps = 30;
        _options.MaxCpuPercent = 80;
        var guard = Create();
        Offer(guard, "slow", sourceFps: 10, seconds: 6);

        SampleNow(95);

        guard.GetAllowedFps("slow").Should().BeApproximately(7.5, 0.3);
    }

    [Fact]
    public void Start_BackgroundLoop_SamplesEveryCheckInterval()
    {
        _options.CheckInterval = TimeSpan.FromSeconds(5);
        var guard = Create();
        guard.Start();
        _files.SetProcMemoryPercent(90);

        _time.Advance(TimeSpan.FromSeconds(4));
        guard.ShouldThrottle().ShouldThrottle.Should().BeFalse();
        _time.Advance(TimeSpan.FromSeconds(1));

        guard.ShouldThrottle().ShouldThrottle.Should().BeTrue();
    }

    [Fact]
    public void GetMetrics_AfterSample_SnapshotCarriesFpsCpuMemoryQueuesAndThrottle()
    {
        _options.MaxFps = 10;
        var guard = Create();
        Offer(guard, "door", sourceFps: 10, seconds: 5);
        guard.RecordQueueSize("outbox", 3);
        SampleNow(30, memoryPercent: 50);

        var snapshot = guard.GetMetrics();

        snapshot.Timestamp.Should().Be(_time.GetUtcNow());
        snapshot.FpsPerCamera.Should().ContainKey("door").WhoseValue.Should().BeApproximately(10, 1);
        snapshot.CpuPercent.Should().BeApproximately(30, 0.5);
        snapshot.MemoryPercent.Should().BeApproximately(50, 0.01);
        snapshot.MemoryMegabytes.Should().BeApproximately(FakeSystemFiles.TotalKb / 2 / 1024.0, 0.01);
        snapshot.QueueSizes.Should().Equal(new Dictionary<string, long> { ["outbox"] = 3 });
        snapshot.IsThrottling.Should().BeFalse();
        snapshot.ThrottleReason.Should().BeNull();
    }
}
