using HgCounter.Configuration;
using HgCounter.Reliability.Resources;
using HgCounter.Reliability.Tests.Fakes;
using HgCounter.Reliability.Watchdog;

namespace HgCounter.Reliability.Tests.Resources;

/// <summary>The calls the agent makes for every frame allocate nothing once warmed up.</summary>
public class PerFrameAllocationTests
{
    [Fact]
    public void PerFrameCalls_SteadyState_AllocateNothing()
    {
        var time = new ManualTimeProvider();
        var guard = new ResourceGuard(new ResourceGuardOptions { MaxFps = 15 }, new LinuxResourceReader(FakeSystemFiles.ProcMachine(), time), time);
        using var watchdog = new RtspWatchdog(new WatchdogOptions(), time);
        watchdog.Register("door");
        var pixels = new byte[320 * 240 * 3];
        var processed = 0;

        void Frames(int count)
        {
            for (var i = 0; i < count; i++)
            {
                pixels[i % pixels.Length]++;
                if (guard.ShouldProcessFrame("door"))
                {
                    processed++;
                    guard.RecordFrame("door");
                    watchdog.MarkFrameReceived("door", FrameContentHash.Compute(pixels));
                }

                time.Advance(TimeSpan.FromMilliseconds(40));
            }
        }

        Frames(2_000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Frames(10_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        processed.Should().BeGreaterThan(4_000);
        allocated.Should().Be(0);
    }
}
