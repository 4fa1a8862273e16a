using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace HgCounter.Runtime.Tests.Events;

/// <summary>Drives a <see cref="FakeTimeProvider"/> forward until background work reached a state, with a real-time bound.</summary>
internal static class FakeClock
{
    public static async Task<bool> AdvanceUntilAsync(FakeTimeProvider time, Func<bool> condition, TimeSpan step, double boundSeconds = 30)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(boundSeconds))
            {
                return false;
            }

            time.Advance(step);
            await Task.Delay(20); // let the background loops run on the thread pool
        }

        return true;
    }

    /// <summary>Waits in real time (bounded) for work that needs no clock advance, such as a wake-up.</summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> condition, double boundSeconds = 30)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(boundSeconds))
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }
}
