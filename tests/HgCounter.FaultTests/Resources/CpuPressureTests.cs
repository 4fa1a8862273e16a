using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using HgCounter.FaultTests.Infrastructure;
using HgCounter.Samples.Tests;
using HgCounter.Testing;
using Xunit.Abstractions;

namespace HgCounter.FaultTests.Resources;

/// <summary>
/// Adaptive fps on the real reader and a real CPU hog: the console sample runs in a cgroup of its own (which it reads
/// as its container, as in Docker or Kubernetes), busy processes join that cgroup for a while, and the guard must lower
/// the camera's rate while they run and give it back once they stop. Other load on the machine is outside the cgroup,
/// so it neither starts nor prevents the adaptation.
/// </summary>
public partial class CpuPressureTests(ITestOutputHelper output)
{
    private const double TargetFps = 10;
    private const double MaxCpuPercent = 40;
    private const int HogProcesses = 16;
    private static readonly TimeSpan HogBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_CpuHogInTheAgentsContainer_GuardLowersTheCameraRateAndRestoresItAfter()
    {
        var figures = new Figures(output, "CPU hog");
        var work = TestPaths.NewTempDirectory();
        var config = SampleConfig.Write(work, "agent.json", new
        {
            DataDirectory = Path.Combine(work, "data"),
            Cameras = new[] { SampleConfig.SceneCamera("cam", "demo", realtime: true, loop: true) },
            // Over 40 % of the container's core the guard steps the rate down, under 30 % back up. The agent alone uses about
            // 10 % (measured); the hog's sixteen busy processes take well over 40 % even beside twenty runnable tasks of other
            // work (measured 44 % with eight of them).
            ResourceGuard = new { MaxCpuPercent, CheckInterval = "00:00:00.500" },
            Events = new { OutboxPath = Path.Combine(work, "data", "outbox.db") },
        });

        await using var cgroup = CpuCgroup.Create();
        // A container of one core, as `docker run --cpus=1` makes it: the reader's percentages are of one core.
        var oneCore = new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = "1" };
        await using (var sample = SampleProcess.StartInCgroup("HgCounter.ConsoleSample", work, cgroup.Directory, oneCore, "--config", config))
        {
            await WaitForFpsAsync(sample, 0, fps => fps >= TargetFps * 0.8, "the camera runs at its target before the hog");

            var clock = Stopwatch.StartNew();
            var hogStart = sample.Lines.Count;
            double lowest;
            await using (CpuHog.Start(cgroup, HogProcesses, HogBound))
            {
                var lowered = await WaitForAdaptiveFpsAsync(sample, hogStart, fps => fps <= TargetFps * 0.5, "the guard lowers the rate step by step while the hog runs");
                var loweredAfter = clock.Elapsed;
                lowest = await WaitForFpsAsync(sample, lowered.Index, fps => fps <= TargetFps * 0.6, "the camera is processed at the lowered rate");
                figures.Record(string.Create(CultureInfo.InvariantCulture, $"hog of {HogProcesses} processes in the agent's one-core cgroup: rate lowered to {lowered.Fps:0.##} fps {loweredAfter.TotalSeconds:0.0} s after it started ({lowered.Line.Trim()}); measured {lowest:0.0} fps"));
            }

            var hogEnd = sample.Lines.Count;
            clock.Restart();
            var restored = await WaitForAdaptiveFpsAsync(sample, hogEnd, fps => fps >= TargetFps, "the guard gives the camera its target back once the hog is gone");
            var restoredAfter = clock.Elapsed;
            var after = await WaitForFpsAsync(sample, restored.Index, fps => fps >= TargetFps * 0.8, "the camera is processed at its target again");
            figures.Record(string.Create(CultureInfo.InvariantCulture, $"hog stopped: rate back to {restored.Fps:0.##} fps {restoredAfter.TotalSeconds:0.0} s later; measured {after:0.0} fps (target {TargetFps:0})"));
            restored.Fps.Should().Be(TargetFps, "the rate goes back to the camera's target, not above it");
            sample.HasExited.Should().BeFalse("the agent keeps running under CPU pressure");
        }

        (await ProcessTable.WaitForNoChildrenAsync(work, TimeSpan.FromSeconds(10))).Should().BeEmpty("the agent does not outlive the test");
        cgroup.Processes().Should().BeEmpty("neither the hog nor anything the agent started is left in the cgroup");
    }

    // "… Adaptive fps: camera cam now 4.22 fps (CPU 97.5 %)": the guard's decision, logged at once.
    private static async Task<(double Fps, int Index, string Line)> WaitForAdaptiveFpsAsync(SampleProcess sample, int from, Func<double, bool> condition, string because)
    {
        var (value, index, line) = await WaitForValueAsync(sample, from, AdaptiveFps(), condition, because);
        return (value, index, line);
    }

    // "12:00:01 camera=cam health=Healthy fps=9.8 …": the measured rate, printed every 5 s.
    private static async Task<double> WaitForFpsAsync(SampleProcess sample, int from, Func<double, bool> condition, string because) =>
        (await WaitForValueAsync(sample, from, MeasuredFps(), condition, because)).Value;

    private static async Task<(double Value, int Index, string Line)> WaitForValueAsync(SampleProcess sample, int from, Regex pattern, Func<double, bool> condition, string because)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(45) && !sample.HasExited)
        {
            var index = 0;
            foreach (var line in sample.Lines)
            {
                if (index++ >= from && pattern.Match(line) is { Success: true } match
                    && double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) is var value && condition(value))
                {
                    return (value, index, line);
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Not seen within 45 s: {because}. Output:\n{sample.Output}");
    }

    [GeneratedRegex(@"Adaptive fps: camera cam now ([0-9.]+) fps")]
    private static partial Regex AdaptiveFps();

    [GeneratedRegex(@"camera=cam health=\w+ fps=([0-9.]+)")]
    private static partial Regex MeasuredFps();
}
