namespace HgCounter.WorkerSample;

/// <summary>The embedded default camera when none is configured.</summary>
internal static class WorkerDefaults
{
    public static IEnumerable<KeyValuePair<string, string?>> DemoCamera { get; } = new Dictionary<string, string?>
    {
        ["HgCounter:Cameras:0:Name"] = "demo",
        ["HgCounter:Cameras:0:Url"] = "synthetic:demo",
        ["HgCounter:Cameras:0:Detector"] = "motion",
        ["HgCounter:Cameras:0:Lines:0:Name"] = "door",
        ["HgCounter:Cameras:0:Lines:0:Start:0"] = "320",
        ["HgCounter:Cameras:0:Lines:0:Start:1"] = "0",
        ["HgCounter:Cameras:0:Lines:0:End:0"] = "320",
        ["HgCounter:Cameras:0:Lines:0:End:1"] = "360",
    };
}
