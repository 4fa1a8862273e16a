using System.Runtime.InteropServices;
using HgCounter.Tracking;

namespace HgCounter.Inference.Counting;

/// <summary>The <see cref="TrackClassTally"/> of every live track of one camera; a track no longer listed is forgotten.</summary>
internal sealed class TrackClassTallies
{
    private readonly Dictionary<long, TrackClassTally> _tallies = [];

    /// <summary>Adds this frame's observations; <paramref name="frame"/> increases by one per call.</summary>
    public void Update(IReadOnlyList<Track> tracks, long frame)
    {
        for (var i = 0; i < tracks.Count; i++)
        {
            var track = tracks[i];
            ref var tally = ref CollectionsMarshal.GetValueRefOrAddDefault(_tallies, track.Id, out _);
            tally ??= new TrackClassTally();
            tally.LastSeen = frame;
            if (track.MissedFrames == 0)
            {
                tally.Add(track.ClassId, track.Label, frame); // a coasting box carries no new evidence of its class
            }
        }

        foreach (var (id, tally) in _tallies)
        {
            if (tally.LastSeen != frame)
            {
                _tallies.Remove(id);
            }
        }
    }

    /// <summary>The majority class of <paramref name="track"/>, listed in the last <see cref="Update"/>.</summary>
    public (int ClassId, string Label) Majority(in Track track) => _tallies[track.Id].Majority(track.ClassId, track.Label);

    public void Clear() => _tallies.Clear();
}
