using HgCounter.Rtsp.Synthetic;
using HgCounter.Testing;

namespace HgCounter.Inference.Tests.Pipeline;

/// <summary>Library scenes at twice their size (1280x720), rendered to H.264 clips once for a test class.</summary>
public sealed class ScaledSceneClips : IDisposable
{
    public const int Factor = 2;
    private readonly string _directory = TestPaths.NewTempDirectory("hgcounter-scaled-scenes");
    private readonly Dictionary<string, string> _clips = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>The scene at twice its size (its lines too).</summary>
    internal static SyntheticScene Scene(string name) => SyntheticScenes.Get(name).Scaled(Factor);

    /// <summary>The clip of the scene, rendered on first use.</summary>
    public string ClipOf(string name)
    {
        lock (_lock)
        {
            if (!_clips.TryGetValue(name, out var path))
            {
                var scene = Scene(name);
                path = Path.Combine(_directory, name + ".mp4");
                RawVideoEncoder.Encode(path, scene.Width, scene.Height, scene.FramesPerSecond, scene.FrameCount, scene.Render, crf: 16);
                _clips[name] = path;
            }

            return path;
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
