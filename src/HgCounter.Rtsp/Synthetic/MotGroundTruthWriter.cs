using System.Globalization;

namespace HgCounter.Rtsp.Synthetic;

/// <summary>
/// Writes a scene's ground truth in MOTChallenge <c>gt.txt</c> format from its own object paths: one row per object and
/// frame of its life, <c>frame,id,left,top,width,height,1,1,visibility</c>, frames from 1 (scene frame 0 is MOT frame 1),
/// ids from 1 in the scene's object order. The box is the noise-free path box (the truth, not the jittered drawing),
/// also while the object is hidden in a gap (visibility 0 then, as MOTChallenge labels occluded people).
/// </summary>
internal static class MotGroundTruthWriter
{
    /// <summary>Writes the rows of <paramref name="scene"/>, leaving out the objects whose index <paramref name="omit"/> accepts.</summary>
    public static void Write(SyntheticScene scene, TextWriter writer, Func<int, bool>? omit = null)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(writer);
        for (var frame = 0; frame < scene.FrameCount; frame++)
        {
            for (var i = 0; i < scene.Objects.Count; i++)
            {
                var obj = scene.Objects[i];
                if (omit?.Invoke(i) == true || obj.PathAt(frame) is not { } p)
                {
                    continue;
                }

                var (w, h) = scene.SizeOf(obj.Kind);
                var visibility = obj.IsVisible(frame) ? 1 : 0;
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{frame + 1},{i + 1},{p.X - (w / 2f):0.##},{p.Y - h:0.##},{w},{h},1,1,{visibility}"));
            }
        }
    }

    /// <summary>Writes the rows of <paramref name="scene"/> to the file <paramref name="path"/>.</summary>
    public static void Write(SyntheticScene scene, string path, Func<int, bool>? omit = null)
    {
        using var writer = new StreamWriter(path);
        Write(scene, writer, omit);
    }
}
