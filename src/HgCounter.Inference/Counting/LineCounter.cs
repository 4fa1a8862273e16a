using System.Runtime.InteropServices;
using HgCounter.Configuration;
using HgCounter.Counting;
using HgCounter.Detection;
using HgCounter.Tracking;

namespace HgCounter.Inference.Counting;

/// <summary>
/// Counts confirmed tracks crossing the counting lines of one camera. For each line and track it keeps the side the
/// track's anchor was last firmly on; a crossing counts when the anchor gets at least
/// <see cref="LineOptions.MinCrossingDistance"/> pixels past the line on the other side (hysteresis: standing on the line or
/// a flickering box counts once), and only when the anchor's path crossed the line within the segment (projection in
/// [0, 1]). Direction follows <see cref="CrossingDirection"/>. Only observed boxes are used: a track coasting on its
/// predicted box (<see cref="Track.MissedFrames"/> &gt; 0) neither moves nor counts until it is matched again. A track that is
/// not yet confirmed keeps its starting side, so it counts once confirmed if it crossed in its first frames.
/// The class of a crossing is the track's majority class over its observed frames (<see cref="TrackClassTally"/>), not
/// the class on the crossing frame. A line with <see cref="LineOptions.Classes"/> counts only crossings of those classes
/// (the track's side is still followed, so a track whose majority class changes counts only crossings made after).
/// Not thread-safe; one instance per camera. Steady-state <see cref="Update"/> allocates nothing (crossings are values).
/// </summary>
public sealed class LineCounter
{
    private readonly LineState[] _lines;
    private readonly TrackClassTallies _classes = new();
    private long _frames;

    /// <summary>Creates a counter for the lines of <paramref name="cameraName"/>.</summary>
    /// <param name="cameraName">Camera name written into crossings.</param>
    /// <param name="lines">Configured lines (names unique, points <c>[x, y]</c>).</param>
    public LineCounter(string cameraName, IEnumerable<LineOptions> lines)
    {
        ArgumentNullException.ThrowIfNull(cameraName);
        ArgumentNullException.ThrowIfNull(lines);
        CameraName = cameraName;
        _lines = lines.Select(o => new LineState(o)).ToArray();
        var duplicate = _lines.GroupBy(l => l.Line.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Camera '{cameraName}' has two lines named '{duplicate.Key}'.", nameof(lines));
        }

        Lines = _lines.Select(l => l.Line).ToArray();
    }

    /// <summary>Camera name written into crossings.</summary>
    public string CameraName { get; }

    /// <summary>The counting lines, in configuration order.</summary>
    public IReadOnlyList<CountingLine> Lines { get; }

    /// <summary>Processes the tracks of one frame and appends a <see cref="LineCrossing"/> to <paramref name="crossings"/> for each crossing.</summary>
    /// <param name="tracks">The tracker's live tracks for this frame.</param>
    /// <param name="frameSequence">The frame's number, written into the crossings (the agent derives event ids from it).</param>
    /// <param name="timestamp">The frame's capture time.</param>
    /// <param name="crossings">Receives the new crossings; not cleared.</param>
    /// <returns>Number of crossings appended.</returns>
    public int Update(IReadOnlyList<Track> tracks, long frameSequence, DateTimeOffset timestamp, List<LineCrossing> crossings)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(crossings);
        var frame = ++_frames;
        _classes.Update(tracks, frame);
        var added = 0;
        foreach (var state in _lines)
        {
            for (var i = 0; i < tracks.Count; i++)
            {
                var track = tracks[i];
                var (classId, label) = _classes.Majority(track);
                var direction = state.Observe(track, label, frame);
                if (direction is { } d)
                {
                    crossings.Add(new LineCrossing(CameraName, state.Line.Name, d, track.Id, classId, label, frameSequence, timestamp));
                    added++;
                }
            }

            state.Forget(frame);
        }

        return added;
    }

    /// <summary>Totals of every line, in configuration order.</summary>
    public IReadOnlyList<LineCount> GetCounts() => _lines.Select(l => l.Snapshot()).ToArray();

    /// <summary>Totals of the line named <paramref name="lineName"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such line.</exception>
    public LineCount GetCount(string lineName) =>
        (_lines.FirstOrDefault(l => l.Line.Name == lineName) ?? throw new KeyNotFoundException($"No line named '{lineName}' on camera '{CameraName}'.")).Snapshot();

    /// <summary>Forgets every track's side (call with <see cref="ITracker.Reset"/> after a reconnect); totals are kept.</summary>
    public void ResetTracks()
    {
        foreach (var state in _lines)
        {
            state.Tracks.Clear();
        }

        _classes.Clear();
    }

    private static CountingLine ToLine(LineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Name) || options.Start is not { Length: 2 } || options.End is not { Length: 2 })
        {
            throw new ArgumentException($"Line '{options.Name}' needs a name and Start/End points of the form [x, y].", nameof(options));
        }

        var line = new CountingLine(options.Name, new Point2(options.Start[0], options.Start[1]), new Point2(options.End[0], options.End[1]));
        return line.Length > 0 ? line : throw new ArgumentException($"Line '{options.Name}' has zero length.", nameof(options));
    }

    private sealed class LineState(LineOptions options)
    {
        public CountingLine Line { get; } = ToLine(options);

        public Dictionary<long, TrackSide> Tracks { get; } = [];

        private readonly TrackAnchor _anchor = options.Anchor;
        private readonly string[] _classes = [.. options.Classes.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim())];
        private readonly float _minDistance = options.MinCrossingDistance;
        private readonly Dictionary<string, DirectionCount> _byClass = new(StringComparer.Ordinal);
        private readonly Lock _totalsLock = new();
        private long _in;
        private long _out;

        public CrossingDirection? Observe(in Track track, string label, long frame)
        {
            ref var s = ref CollectionsMarshal.GetValueRefOrAddDefault(Tracks, track.Id, out var known);
            if (!known)
            {
                s.CrossProjection = float.NaN;
            }

            s.LastSeen = frame;
            if (track.MissedFrames > 0)
            {
                return null;
            }

            var p = track.Box.AnchorPoint(_anchor);
            var d = Line.SignedDistance(p);
            if (d == 0)
            {
                s.CrossProjection = Line.Projection(p);
            }
            else if (s.HasPrevious && ((s.PreviousDistance > 0 && d < 0) || (s.PreviousDistance < 0 && d > 0)))
            {
                // Where the anchor's path met the line, interpolated between the two observations.
                var t = s.PreviousDistance / (s.PreviousDistance - d);
                var crossing = new Point2(s.Previous.X + (t * (p.X - s.Previous.X)), s.Previous.Y + (t * (p.Y - s.Previous.Y)));
                s.CrossProjection = Line.Projection(crossing);
            }

            s.Previous = p;
            s.PreviousDistance = d;
            s.HasPrevious = true;

            if (d == 0 || MathF.Abs(d) < _minDistance)
            {
                return null;
            }

            var side = (sbyte)(d > 0 ? 1 : -1);
            if (s.Side == 0)
            {
                s.Side = side;
                return null;
            }

            if (side == s.Side || !track.IsConfirmed)
            {
                return null;
            }

            s.Side = side;
            if (s.CrossProjection is < 0f or > 1f or float.NaN)
            {
                return null; // crossed the infinite line beside the segment
            }

            if (!Counts(label))
            {
                return null;
            }

            var direction = side < 0 ? CrossingDirection.In : CrossingDirection.Out;
            lock (_totalsLock)
            {
                ref var perClass = ref CollectionsMarshal.GetValueRefOrAddDefault(_byClass, label, out _);
                if (direction == CrossingDirection.In)
                {
                    _in++;
                    perClass = perClass with { In = perClass.In + 1 };
                }
                else
                {
                    _out++;
                    perClass = perClass with { Out = perClass.Out + 1 };
                }
            }

            return direction;
        }

        private bool Counts(string label)
        {
            if (_classes.Length == 0)
            {
                return true;
            }

            foreach (var c in _classes)
            {
                if (string.Equals(c, label, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        public void Forget(long frame)
        {
            foreach (var (id, s) in Tracks)
            {
                if (s.LastSeen != frame)
                {
                    Tracks.Remove(id); // allowed while enumerating since .NET Core 3.0
                }
            }
        }

        // Status publishers read totals from another thread while the camera loop counts; crossings are rare, so a lock is free.
        public LineCount Snapshot()
        {
            lock (_totalsLock)
            {
                return new(Line.Name, _in, _out, new Dictionary<string, DirectionCount>(_byClass, StringComparer.Ordinal));
            }
        }
    }

    private struct TrackSide
    {
        public sbyte Side;
        public bool HasPrevious;
        public Point2 Previous;
        public float PreviousDistance;
        public float CrossProjection;
        public long LastSeen;
    }
}
