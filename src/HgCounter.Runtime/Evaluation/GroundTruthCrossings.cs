using HgCounter.Configuration;
using HgCounter.Inference.Counting;
using HgCounter.Tracking;

namespace HgCounter.Runtime.Evaluation;

/// <summary>
/// The true crossings of labelled trajectories: every object is fed, frame by frame, through the same
/// <see cref="LineCounter"/> the pipeline counts with, so truth and count share one definition of a crossing (anchor,
/// segment, hysteresis, direction). An object missing from some frames of its life is an occluded object, not a new one:
/// it coasts on its last box, so its side is kept, exactly as the tracker keeps a lost track.
/// </summary>
internal static class GroundTruthCrossings
{
    private const string Label = "object";

    public static List<LineCrossing> Derive(MotGroundTruth truth, string camera, IEnumerable<LineOptions> lines)
    {
        var counter = new LineCounter(camera, lines);
        var crossings = new List<LineCrossing>();
        if (truth.Boxes.Count == 0)
        {
            return crossings;
        }

        var lastFrame = truth.Boxes.GroupBy(b => b.Id).ToDictionary(g => g.Key, g => g.Max(b => b.Frame));
        var alive = new SortedDictionary<long, Track>();
        var tracks = new List<Track>();
        var row = 0;
        var end = truth.Boxes[^1].Frame;
        for (var frame = 1L; frame <= end; frame++)
        {
            foreach (var (id, track) in alive.ToArray())
            {
                alive[id] = track with { MissedFrames = track.MissedFrames + 1 };
            }

            for (; row < truth.Boxes.Count && truth.Boxes[row].Frame == frame; row++)
            {
                var box = truth.Boxes[row];
                alive[box.Id] = alive.TryGetValue(box.Id, out var known)
                    ? known with { Box = box.Box, Hits = known.Hits + 1, MissedFrames = 0 }
                    : new Track(box.Id, box.Box, 0, Label, 1f, IsConfirmed: true, Hits: 1, MissedFrames: 0);
            }

            tracks.Clear();
            tracks.AddRange(alive.Values);
            counter.Update(tracks, frame, DateTimeOffset.UnixEpoch, crossings);
            foreach (var id in alive.Keys.Where(id => lastFrame[id] == frame).ToArray())
            {
                alive.Remove(id);
            }
        }

        return crossings;
    }
}
