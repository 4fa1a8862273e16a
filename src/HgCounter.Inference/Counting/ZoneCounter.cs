using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HgCounter.Configuration;
using HgCounter.Counting;
using HgCounter.Detection;
using HgCounter.Events;
using HgCounter.Tracking;

namespace HgCounter.Inference.Counting;

/// <summary>
/// Watches the polygon zones of one camera. For each zone and confirmed track it tests the track's anchor
/// (<see cref="ZoneOptions.Anchor"/>) against the polygon, with inertia (as Frigate's zones have): a track has entered
/// once its anchor was inside on <see cref="ZoneOptions.MinFrames"/> consecutive frames, and has left once it was outside,
/// or not listed by the tracker at all (lost), on as many consecutive frames; a box flickering over the edge therefore
/// makes one visit. A coasting track (<see cref="Track.MissedFrames"/> &gt; 0) is tested at its predicted box, so a short
/// occlusion does not end a visit. A visit's dwell runs from the first frame of the streak that entered to the first frame
/// of the streak that left. Loitering is reported once per visit, when the dwell first reaches
/// <see cref="ZoneOptions.LoiterAfter"/>. <see cref="ZoneOptions.Classes"/> filters by the track's majority class
/// (<see cref="TrackClassTally"/>) when it enters; the visit keeps that class until it leaves.
/// Not thread-safe, except <see cref="GetOccupancy"/>; one instance per camera. Steady-state <see cref="Update"/> allocates
/// nothing (events are values, per-track state lives in reused dictionaries).
/// </summary>
public sealed class ZoneCounter
{
    private readonly ZoneState[] _zones;
    private readonly TrackClassTallies _classes = new();
    private long _frames;

    /// <summary>Creates a counter for the zones of <paramref name="cameraName"/>.</summary>
    /// <param name="cameraName">Camera name written into events.</param>
    /// <param name="zones">Configured zones (names unique, at least 3 points <c>[x, y]</c> each).</param>
    /// <exception cref="ArgumentException">A zone without a name or with fewer than 3 finite points, or two zones of one name.</exception>
    public ZoneCounter(string cameraName, IEnumerable<ZoneOptions> zones)
    {
        ArgumentNullException.ThrowIfNull(cameraName);
        ArgumentNullException.ThrowIfNull(zones);
        CameraName = cameraName;
        _zones = [.. zones.Select(z => new ZoneState(z))];
        var duplicate = _zones.GroupBy(z => z.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Camera '{cameraName}' has two zones named '{duplicate.Key}'.", nameof(zones));
        }

        ZoneNames = [.. _zones.Select(z => z.Name)];
    }

    /// <summary>Camera name written into events.</summary>
    public string CameraName { get; }

    /// <summary>The zone names, in configuration order.</summary>
    public IReadOnlyList<string> ZoneNames { get; }

    /// <summary>Processes the tracks of one frame and appends a <see cref="ZoneEvent"/> to <paramref name="events"/> for each enter, exit and loiter.</summary>
    /// <param name="tracks">The tracker's live tracks for this frame.</param>
    /// <param name="frameSequence">The frame's number, written into the events (the agent derives event ids from it).</param>
    /// <param name="timestamp">The frame's capture time; dwell is measured in it.</param>
    /// <param name="events">Receives the new events; not cleared.</param>
    /// <returns>Number of events appended.</returns>
    public int Update(IReadOnlyList<Track> tracks, long frameSequence, DateTimeOffset timestamp, List<ZoneEvent> events)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(events);
        var frame = ++_frames;
        _classes.Update(tracks, frame);
        var before = events.Count;
        var at = new Moment(frameSequence, timestamp);
        foreach (var zone in _zones)
        {
            for (var i = 0; i < tracks.Count; i++)
            {
                var track = tracks[i];
                zone.Observe(this, track, frame, at, events);
            }

            zone.Absent(this, frame, at, events);
        }

        return events.Count - before;
    }

    /// <summary>Who is in each zone now, in configuration order; safe to call from any thread.</summary>
    public IReadOnlyList<ZoneOccupancy> GetOccupancy() => [.. _zones.Select(z => z.Snapshot())];

    private ZoneEvent Event(ZoneState zone, CountEventKind kind, long trackId, in Visit visit, Moment at, TimeSpan dwell) =>
        new(CameraName, zone.Name, kind, trackId, visit.ClassId, visit.Label!, at.Sequence, at.Timestamp, dwell);

    private readonly record struct Moment(long Sequence, DateTimeOffset Timestamp);

    private sealed class ZoneState
    {
        private readonly ZonePolygon _polygon;
        private readonly TrackAnchor _anchor;
        private readonly int _minFrames;
        private readonly TimeSpan? _loiterAfter;
        private readonly HashSet<string>? _classFilter;
        private readonly Dictionary<long, Visit> _tracks = [];
        private readonly Dictionary<string, int> _byClass = new(StringComparer.OrdinalIgnoreCase);
        private readonly Lock _occupancyLock = new();
        private int _inside;

        public ZoneState(ZoneOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            if (string.IsNullOrWhiteSpace(options.Name) || ZonePolygon.TryParse(options.Points) is not { Length: >= 3 } points)
            {
                throw new ArgumentException($"Zone '{options.Name}' needs a name and at least 3 points of the form [x, y].", nameof(options));
            }

            Name = options.Name;
            _polygon = new ZonePolygon(points);
            _anchor = options.Anchor;
            _minFrames = Math.Max(1, options.MinFrames);
            _loiterAfter = options.LoiterAfter;
            if (options.Classes.Count > 0)
            {
                _classFilter = new HashSet<string>(options.Classes, StringComparer.OrdinalIgnoreCase);
                foreach (var label in options.Classes)
                {
                    _byClass.TryAdd(label, 0); // watched classes show from the start, at 0
                }
            }
        }

        public string Name { get; }

        public void Observe(ZoneCounter counter, in Track track, long frame, Moment at, List<ZoneEvent> events)
        {
            var contains = _polygon.Contains(track.Box.AnchorPoint(_anchor));
            ref var visit = ref CollectionsMarshal.GetValueRefOrNullRef(_tracks, track.Id);
            if (Unsafe.IsNullRef(ref visit))
            {
                if (!contains || !track.IsConfirmed)
                {
                    return; // nothing to remember about a track outside
                }

                visit = ref CollectionsMarshal.GetValueRefOrAddDefault(_tracks, track.Id, out _);
            }

            visit.LastSeen = frame;
            if (!visit.Entered)
            {
                var (classId, label) = counter._classes.Majority(track);
                if (!contains || !track.IsConfirmed || (_classFilter is not null && !_classFilter.Contains(label)))
                {
                    _tracks.Remove(track.Id);
                    return;
                }

                if (visit.Streak++ == 0)
                {
                    visit.StreakStart = at.Timestamp;
                }

                if (visit.Streak < _minFrames)
                {
                    return;
                }

                visit = new Visit { Entered = true, EnteredAt = visit.StreakStart, ClassId = classId, Label = label, LastSeen = frame };
                ChangeOccupancy(label, +1);
                events.Add(counter.Event(this, CountEventKind.ZoneEnter, track.Id, visit, at, TimeSpan.Zero));
                CheckLoiter(counter, track.Id, ref visit, at, events);
                return;
            }

            if (contains)
            {
                visit.Streak = 0;
                CheckLoiter(counter, track.Id, ref visit, at, events);
                return;
            }

            Leaving(counter, track.Id, ref visit, at, events);
        }

        /// <summary>Tracks the tracker no longer lists: leaving (after the same inertia) if inside, else forgotten.</summary>
        public void Absent(ZoneCounter counter, long frame, Moment at, List<ZoneEvent> events)
        {
            foreach (var id in _tracks.Keys)
            {
                ref var visit = ref CollectionsMarshal.GetValueRefOrNullRef(_tracks, id);
                if (visit.LastSeen == frame)
                {
                    continue;
                }

                if (!visit.Entered)
                {
                    _tracks.Remove(id); // allowed while enumerating since .NET Core 3.0
                    continue;
                }

                Leaving(counter, id, ref visit, at, events);
            }
        }

        private void Leaving(ZoneCounter counter, long trackId, ref Visit visit, Moment at, List<ZoneEvent> events)
        {
            if (visit.Streak++ == 0)
            {
                visit.StreakStart = at.Timestamp;
            }

            if (visit.Streak < _minFrames)
            {
                return;
            }

            ChangeOccupancy(visit.Label!, -1);
            events.Add(counter.Event(this, CountEventKind.ZoneExit, trackId, visit, at, visit.StreakStart - visit.EnteredAt));
            _tracks.Remove(trackId);
        }

        private void CheckLoiter(ZoneCounter counter, long trackId, ref Visit visit, Moment at, List<ZoneEvent> events)
        {
            if (visit.Loitered || _loiterAfter is not { } after)
            {
                return;
            }

            var dwell = at.Timestamp - visit.EnteredAt;
            if (dwell >= after)
            {
                visit.Loitered = true;
                events.Add(counter.Event(this, CountEventKind.Loiter, trackId, visit, at, dwell));
            }
        }

        // Status publishers read occupancy from another thread while the camera loop counts; changes are rare, so a lock is free.
        private void ChangeOccupancy(string label, int delta)
        {
            lock (_occupancyLock)
            {
                _inside += delta;
                ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_byClass, label, out _);
                count += delta;
            }
        }

        public ZoneOccupancy Snapshot()
        {
            lock (_occupancyLock)
            {
                return new ZoneOccupancy(Name, _inside, new Dictionary<string, int>(_byClass, StringComparer.OrdinalIgnoreCase));
            }
        }
    }

    // One track's state in one zone: entering (streak of inside frames) or entered (streak of outside or absent frames).
    private struct Visit
    {
        public bool Entered;
        public bool Loitered;
        public int Streak;
        public DateTimeOffset StreakStart;
        public DateTimeOffset EnteredAt;
        public int ClassId;
        public string? Label;
        public long LastSeen;
    }
}
