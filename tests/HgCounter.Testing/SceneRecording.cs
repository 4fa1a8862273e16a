using HgCounter.Configuration;
using HgCounter.Rtsp.Synthetic;

namespace HgCounter.Testing;

/// <summary>
/// A library scene as labelled footage: rendered to an H.264 file by a real ffmpeg, with its MOTChallenge <c>gt.txt</c>
/// written from the scene's own object paths, the way a user brings a recording and its labels to <c>evaluate</c>.
/// </summary>
public static class SceneRecording
{
    /// <summary>Writes <c>NAME.mp4</c> and <c>NAME.gt.txt</c> into <paramref name="directory"/>; <paramref name="omitObject"/> leaves one object (0-based) out of the truth.</summary>
    public static (string Video, string GroundTruth) Write(string sceneName, string directory, int? omitObject = null)
    {
        var scene = SyntheticScenes.Get(sceneName);
        var video = Path.Combine(directory, sceneName + ".mp4");
        var groundTruth = Path.Combine(directory, sceneName + (omitObject is { } o ? $".without-{o}" : string.Empty) + ".gt.txt");
        if (!File.Exists(video))
        {
            RawVideoEncoder.Encode(video, scene.Width, scene.Height, scene.FramesPerSecond, scene.FrameCount, scene.Render, crf: 16);
        }

        MotGroundTruthWriter.Write(scene, groundTruth, omitObject is { } omit ? i => i == omit : null);
        return (video, groundTruth);
    }

    /// <summary>The scene's counting lines, for the camera that plays the recording.</summary>
    public static IReadOnlyList<LineOptions> Lines(string sceneName) => SyntheticScenes.Get(sceneName).Lines;

    /// <summary>Number of frames of the scene (and of its recording).</summary>
    public static int FrameCount(string sceneName) => SyntheticScenes.Get(sceneName).FrameCount;

    /// <summary>Frame rate of the scene (and of its recording).</summary>
    public static double FramesPerSecond(string sceneName) => SyntheticScenes.Get(sceneName).FramesPerSecond;

    /// <summary>Names of the library scenes.</summary>
    public static IReadOnlyCollection<string> Names => SyntheticScenes.Names;
}
