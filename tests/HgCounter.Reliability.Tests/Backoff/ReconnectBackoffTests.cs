using CsCheck;
using HgCounter.Configuration;
using HgCounter.Reliability.Backoff;

namespace HgCounter.Reliability.Tests.Backoff;

public class ReconnectBackoffTests
{
    [Fact]
    public void GetDelay_DefaultsWithoutJitter_Doubles1To60ThenStaysAt60()
    {
        var backoff = new ReconnectBackoff(new WatchdogOptions { UseJitter = false });

        var seconds = Enumerable.Range(0, 10).Select(a => backoff.GetDelay(a).TotalSeconds);

        seconds.Should().Equal(1, 2, 4, 8, 16, 32, 60, 60, 60, 60);
    }

    [Theory]
    [InlineData(0.0, 0.75)]
    [InlineData(0.5, 1.0)]
    [InlineData(0.999999, 1.25)]
    public void GetDelay_WithJitter_ScalesWithinPlusMinus25Percent(double random, double expectedFactor)
    {
        var backoff = new ReconnectBackoff(new WatchdogOptions { UseJitter = true }, () => random);

        for (var attempt = 0; attempt < 10; attempt++)
        {
            var expected = backoff.GetBaseDelay(attempt).TotalSeconds * expectedFactor;
            backoff.GetDelay(attempt).TotalSeconds.Should().BeApproximately(expected, 0.001);
        }
    }

    [Fact]
    public void GetDelay_WithJitterFromSharedRandom_SpreadsCamerasAndStaysInBand()
    {
        var backoff = new ReconnectBackoff(new WatchdogOptions { UseJitter = true });

        var delays = Enumerable.Range(0, 200).Select(_ => backoff.GetDelay(3).TotalSeconds).ToList();

        delays.Should().OnlyContain(d => d >= 6.0 && d <= 10.0);
        delays.Distinct().Count().Should().BeGreaterThan(100, "cameras failing together must not reconnect in lock-step");
    }

    [Fact]
    public void GetDelay_ZeroInitialBackoff_IsZeroForEveryAttempt()
    {
        var backoff = new ReconnectBackoff(new WatchdogOptions { InitialBackoff = TimeSpan.Zero });

        Enumerable.Range(0, 100).Select(backoff.GetDelay).Should().OnlyContain(d => d == TimeSpan.Zero);
    }

    [Fact]
    public void GetDelay_AnyOptionsAndUpTo10000Attempts_NonNegativeAndWithinCapPlusJitter()
    {
        var gen = Gen.Select(
            Gen.Long[0, TimeSpan.FromHours(1).Ticks],
            Gen.Long[0, TimeSpan.FromDays(1).Ticks],
            Gen.Bool,
            Gen.Double[0, 1],
            Gen.Int[0, 10_000]);

        gen.Sample((initial, max, jitter, random, attempts) =>
        {
            var backoff = new ReconnectBackoff(
                new WatchdogOptions { InitialBackoff = TimeSpan.FromTicks(initial), MaxBackoff = TimeSpan.FromTicks(max), UseJitter = jitter },
                () => random);
            var cap = TimeSpan.FromTicks(max);
            var bound = jitter ? TimeSpan.FromTicks((long)(max * 1.25) + 1) : cap;
            var previous = TimeSpan.Zero;
            for (var attempt = 0; attempt <= attempts; attempt++)
            {
                var baseDelay = backoff.GetBaseDelay(attempt);
                var delay = backoff.GetDelay(attempt);
                if (delay < TimeSpan.Zero || delay > bound || baseDelay > cap || baseDelay < previous)
                {
                    return false;
                }

                previous = baseDelay;
            }

            return backoff.UpperBound <= bound;
        }, iter: 60);
    }
}
