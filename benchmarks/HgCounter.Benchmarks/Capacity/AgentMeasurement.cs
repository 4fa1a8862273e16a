using HgCounter.Runtime.Agent;
using HgCounter.Status;

namespace HgCounter.Benchmarks.Capacity;

/// <summary>
/// What the running agent did over one window after a warm-up, which starts once every camera has processed its first
/// frame (connecting and probing take seconds on a loaded box; <see cref="FirstFrameSeconds"/>): processed and dropped frames per camera (from its
/// status), CPU and memory of the agent and its ffmpeg children (from /proc, read only at both ends so the harness
/// adds next to nothing), managed allocation, the guard's machine CPU, the camera server's CPU and the load average.
/// </summary>
internal sealed record AgentMeasurement(
    double Seconds,
    IReadOnlyList<(double Fps, double Dropped)> PerCamera,
    long FramesProcessed,
    long FramesDropped,
    double CpuPercent,
    long RssBytes,
    long AllocatedBytes,
    double GuardCpuPercent,
    double ServerCpuPercent,
    double? InferenceMilliseconds,
    string LoadAverage,
    double FirstFrameSeconds)
{
    private static readonly TimeProvider Time = TimeProvider.System;
    private static readonly TimeSpan FirstFrameTimeout = TimeSpan.FromSeconds(60);

    public double MinFps => PerCamera.Min(p => p.Fps);

    public static async Task<AgentMeasurement> MeasureAsync(CounterAgent agent, TimeSpan warmup, TimeSpan window, IReadOnlySet<int> exclude, int? serverPid, AllocationSampler? sampler = null)
    {
        using var inference = new InferenceTimeListener();
        var started = Time.GetUtcNow();
        while (!Started(agent.CurrentStatus) && Time.GetUtcNow() - started < FirstFrameTimeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), Time);
        }

        var firstFrame = (Time.GetUtcNow() - started).TotalSeconds;
        await Task.Delay(warmup, Time);
        inference.TakeMean();
        var (status0, tree0, server0, at0) = (agent.CurrentStatus, ProcessTreeSample.Take(exclude), ServerCpu(serverPid), Time.GetUtcNow());
        var allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        sampler?.Recording = true;
        var guardCpu = new List<double>();
        var end = at0 + window;
        while (Time.GetUtcNow() < end)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), Time);
            if (agent.CurrentStatus.Resources is { } resources)
            {
                guardCpu.Add(resources.CpuPercent);
            }
        }

        var allocated1 = GC.GetTotalAllocatedBytes(precise: true);
        sampler?.Recording = false;
        var (status1, tree1, server1, at1) = (agent.CurrentStatus, ProcessTreeSample.Take(exclude), ServerCpu(serverPid), Time.GetUtcNow());
        var seconds = (at1 - at0).TotalSeconds;
        return new AgentMeasurement(
            seconds,
            [.. status1.Cameras.Select(c => Rate(c, status0, seconds))],
            status1.Cameras.Sum(c => c.FramesProcessed) - status0.Cameras.Sum(c => c.FramesProcessed),
            status1.Cameras.Sum(c => c.FramesDropped) - status0.Cameras.Sum(c => c.FramesDropped),
            100 * (tree1.CpuSeconds - tree0.CpuSeconds) / seconds,
            Math.Max(tree0.RssBytes, tree1.RssBytes),
            allocated1 - allocated0,
            guardCpu.Count > 0 ? guardCpu.Average() : double.NaN,
            100 * (server1 - server0) / seconds,
            inference.TakeMean(),
            MachineLoad.Read(),
            firstFrame);
    }

    private static bool Started(StatusSnapshot status) => status.Cameras.Count > 0 && status.Cameras.All(c => c.FramesProcessed > 0);

    private static (double Fps, double Dropped) Rate(CameraStatus now, StatusSnapshot before, double seconds)
    {
        var then = before.Cameras.FirstOrDefault(c => c.Name == now.Name);
        return ((now.FramesProcessed - (then?.FramesProcessed ?? 0)) / seconds, (now.FramesDropped - (then?.FramesDropped ?? 0)) / seconds);
    }

    private static double ServerCpu(int? pid) => pid is { } p ? ProcessTreeSample.ProcessCpuSeconds(p) : 0;
}
