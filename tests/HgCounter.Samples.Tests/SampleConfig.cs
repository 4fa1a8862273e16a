using System.Text.Json;

namespace HgCounter.Samples.Tests;

/// <summary>Writes an <c>HgCounter</c> configuration file the samples read with <c>--config</c>.</summary>
internal static class SampleConfig
{
    public static string Write(string directory, string name, object hgCounterSection)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, JsonSerializer.Serialize(new { HgCounter = hgCounterSection }));
        return path;
    }

    /// <summary>A library scene read as a recording (as fast as the pipeline goes), with the scene's own lines and zones.</summary>
    public static object SceneCamera(string name, string scene, bool realtime = false, bool loop = false) => new
    {
        Name = name,
        Url = "synthetic:" + scene,
        Detector = "motion",
        Realtime = realtime,
        Loop = loop,
        Lines = HgCounter.Rtsp.Synthetic.SyntheticScenes.Get(scene).Lines.Select(l => new { l.Name, l.Start, l.End }),
        Zones = HgCounter.Rtsp.Synthetic.SyntheticScenes.Get(scene).Zones.Select(z => new { z.Name, z.Points, z.MinFrames, z.LoiterAfter }),
    };

    /// <summary>A looping scene without lines: keeps the process alive and counts nothing.</summary>
    public static object IdleCamera() => new { Name = "idle", Url = "synthetic:demo", Detector = "motion", Realtime = true, Loop = true, TargetFps = 2 };
}
