using HgCounter.Detection;
using HgCounter.Tracking;

namespace HgCounter.Inference.Tracking;

/// <summary>
/// ByteTrack-style multi-object tracker (Zhang et al., 2022): every track's box is predicted with a constant-velocity
/// model, then matched by IoU in two stages: high-confidence detections first, then low-confidence detections to the
/// tracks still unmatched. Only unmatched high-confidence detections start tracks; a track is confirmed after
/// <see cref="TrackerOptions.MinHits"/> matches and kept on its predicted box for up to <see cref="TrackerOptions.MaxAge"/>
/// missed frames. Unconfirmed tracks die on their first miss. A third stage re-attaches tracks whose box no longer
/// overlaps: an unmatched confident detection whose centre is within <see cref="TrackerOptions.ReattachDistance"/> box
/// sizes of the track's predicted or last seen centre continues that track (a person who moved further than a box between
/// frames at a low frame rate, who stood still long enough to fade from a motion detector, or whose box changed shape
/// while unseen); the velocity is then the average over the gap. Each stage is an optimal assignment over the whole cost
/// matrix (<see cref="LinearAssignment"/>), not greedy, so close passes do not swap ids; buffers are reused, so a
/// steady-state <see cref="Update"/> allocates nothing. One instance per camera; not thread-safe.
/// </summary>
public sealed class ByteTracker : ITracker
{
    // Velocity gain of the alpha-beta filter (alpha = 1: the box follows the matched detection exactly).
    private const float VelocityGain = 0.5f;

    private readonly TrackerOptions _options;
    private Slot[] _slots = new Slot[16];
    private int _count;
    private long _nextId = 1;

    private int[] _high = new int[32];
    private int[] _low = new int[32];
    private bool[] _detectionUsed = new bool[32];
    private int[] _trackMatch = new int[16];
    private bool[] _recovered = new bool[16];
    private int[] _stageTracks = new int[16];
    private int[] _stageDetections = new int[32];
    private int[] _stageMatch = new int[16];
    private readonly LinearAssignment _assignment = new();

    /// <summary>Creates a tracker with <paramref name="options"/> (defaults when null).</summary>
    public ByteTracker(TrackerOptions? options = null)
    {
        _options = options ?? new TrackerOptions();
        _options.Validate();
    }

    /// <summary>Number of live tracks (confirmed or not, matched or predicted).</summary>
    public int Count => _count;

    /// <inheritdoc />
    public void Update(IReadOnlyList<ObjectDetection> detections, List<Track> tracks)
    {
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(tracks);

        Predict();
        Split(detections, out var highCount, out var lowCount);
        EnsureTrackCapacity(_count);
        Array.Fill(_trackMatch, -1, 0, _count);
        Array.Clear(_recovered, 0, _count);

        // Stage 1: every live track against the confident detections.
        Associate(detections, _high.AsSpan(0, highCount), recovery: false);

        // Stage 2: tracks left over against the weak detections (occlusion, blur); these never start tracks.
        Associate(detections, _low.AsSpan(0, lowCount), recovery: false);

        // Stage 3: tracks still unmatched (lost confirmed ones, and any seen last frame) against confident detections near them.
        Associate(detections, _high.AsSpan(0, highCount), recovery: true);

        ApplyMatches(detections);
        StartTracks(detections, _high.AsSpan(0, highCount));
        RemoveDead();

        tracks.Clear();
        for (var i = 0; i < _count; i++)
        {
            ref var s = ref _slots[i];
            tracks.Add(new Track(s.Id, s.Box, s.ClassId, s.Label, s.Confidence, s.Confirmed, s.Hits, s.Missed));
        }
    }

    /// <inheritdoc />
    public void Reset()
    {
        Array.Clear(_slots, 0, _count);
        _count = 0;
    }

    private void Predict()
    {
        for (var i = 0; i < _count; i++)
        {
            ref var s = ref _slots[i];
            s.Cx += s.Vx;
            s.Cy += s.Vy;
            s.Box = new BoundingBox(s.Cx - (s.Box.Width / 2), s.Cy - (s.Box.Height / 2), s.Box.Width, s.Box.Height);
        }
    }

    private void Split(IReadOnlyList<ObjectDetection> detections, out int highCount, out int lowCount)
    {
        var n = detections.Count;
        if (_high.Length < n)
        {
            var size = Math.Max(n, _high.Length * 2);
            _high = new int[size];
            _low = new int[size];
            _detectionUsed = new bool[size];
        }

        highCount = 0;
        lowCount = 0;
        for (var d = 0; d < n; d++)
        {
            _detectionUsed[d] = false;
            var confidence = detections[d].Confidence;
            if (confidence >= _options.HighThreshold)
            {
                _high[highCount++] = d;
            }
            else if (confidence >= _options.LowThreshold)
            {
                _low[lowCount++] = d;
            }
        }
    }

    // One association stage, solved optimally over the whole cost matrix: IoU of the predicted box (stages 1 and 2), or
    // closeness of tracks left unmatched (stage 3, re-attachment). Only tracks and detections still free take part.
    private void Associate(IReadOnlyList<ObjectDetection> detections, ReadOnlySpan<int> detectionIndices, bool recovery)
    {
        if (detectionIndices.Length == 0 || _count == 0)
        {
            return;
        }

        EnsureStageCapacity(_count, detectionIndices.Length);
        var rows = 0;
        for (var t = 0; t < _count; t++)
        {
            ref var s = ref _slots[t];
            if (_trackMatch[t] < 0 && (!recovery || s.Confirmed || s.Missed == 0))
            {
                _stageTracks[rows++] = t;
            }
        }

        var columns = 0;
        foreach (var d in detectionIndices)
        {
            if (!_detectionUsed[d])
            {
                _stageDetections[columns++] = d;
            }
        }

        if (rows == 0 || columns == 0)
        {
            return;
        }

        // IoU must reach MatchIoU (cost 1 - IoU at most 1 - MatchIoU); closeness must be above 0.
        _assignment.Reset(rows, columns, recovery ? 1.0 : 1.0 - _options.MatchIoU + 1e-6);
        for (var r = 0; r < rows; r++)
        {
            ref var s = ref _slots[_stageTracks[r]];
            for (var c = 0; c < columns; c++)
            {
                var box = detections[_stageDetections[c]].Box;
                var score = recovery ? Closeness(s, box, _options.ReattachDistance) : s.Box.IoU(box);
                _assignment.Set(r, c, 1.0 - score);
            }
        }

        _assignment.Solve(_stageMatch.AsSpan(0, rows));
        for (var r = 0; r < rows; r++)
        {
            if (_stageMatch[r] >= 0)
            {
                var t = _stageTracks[r];
                var d = _stageDetections[_stageMatch[r]];
                _trackMatch[t] = d;
                _detectionUsed[d] = true;
                _recovered[t] = recovery;
            }
        }
    }

    // 1 when the box centre is on the track's predicted or last seen centre, falling to 0 at `reach` times the track's larger side.
    private static float Closeness(in Slot s, BoundingBox box, float reach)
    {
        var gate = reach * Math.Max(s.Box.Width, s.Box.Height);
        var c = box.Center;
        var distance = MathF.Min(Distance(c.X - s.Cx, c.Y - s.Cy), Distance(c.X - s.SeenX, c.Y - s.SeenY));
        return gate > 0 ? Math.Max(0, 1 - (distance / gate)) : 0;
    }

    private static float Distance(float dx, float dy) => MathF.Sqrt((dx * dx) + (dy * dy));

    private void ApplyMatches(IReadOnlyList<ObjectDetection> detections)
    {
        for (var t = 0; t < _count; t++)
        {
            ref var s = ref _slots[t];
            var d = _trackMatch[t];
            if (d < 0)
            {
                s.Missed++;
                continue;
            }

            var det = detections[d];
            var center = det.Box.Center;
            if (_recovered[t])
            {
                // The box jumped too far for IoU (low frame rate) or the track was unseen: constant velocity over the gap.
                s.Vx = (center.X - s.SeenX) / (s.Missed + 1);
                s.Vy = (center.Y - s.SeenY) / (s.Missed + 1);
            }
            else
            {
                s.Vx += VelocityGain * (center.X - s.Cx);
                s.Vy += VelocityGain * (center.Y - s.Cy);
            }

            s.Cx = center.X;
            s.Cy = center.Y;
            s.SeenX = center.X;
            s.SeenY = center.Y;
            s.Box = det.Box;
            s.Confidence = det.Confidence;
            if (det.Confidence >= _options.HighThreshold)
            {
                // A weak detection may carry a wrong class; only confident ones relabel the track.
                s.ClassId = det.ClassId;
                s.Label = det.Label;
            }

            s.Hits++;
            s.Missed = 0;
            s.Confirmed |= s.Hits >= _options.MinHits;
        }
    }

    private void StartTracks(IReadOnlyList<ObjectDetection> detections, ReadOnlySpan<int> high)
    {
        foreach (var d in high)
        {
            if (_detectionUsed[d])
            {
                continue;
            }

            if (_count == _slots.Length)
            {
                Array.Resize(ref _slots, _slots.Length * 2);
            }

            var det = detections[d];
            var center = det.Box.Center;
            _slots[_count++] = new Slot
            {
                Id = _nextId++,
                Box = det.Box,
                Cx = center.X,
                Cy = center.Y,
                SeenX = center.X,
                SeenY = center.Y,
                ClassId = det.ClassId,
                Label = det.Label,
                Confidence = det.Confidence,
                Hits = 1,
                Confirmed = _options.MinHits <= 1,
            };
        }
    }

    private void RemoveDead()
    {
        var kept = 0;
        for (var i = 0; i < _count; i++)
        {
            ref var s = ref _slots[i];
            var dead = s.Missed > 0 && (!s.Confirmed || s.Missed > _options.MaxAge);
            if (!dead)
            {
                if (kept != i)
                {
                    _slots[kept] = s;
                }

                kept++;
            }
        }

        Array.Clear(_slots, kept, _count - kept);
        _count = kept;
    }

    private void EnsureTrackCapacity(int n)
    {
        if (_trackMatch.Length < n)
        {
            _trackMatch = new int[Math.Max(n, _trackMatch.Length * 2)];
            _recovered = new bool[_trackMatch.Length];
        }
    }

    private void EnsureStageCapacity(int tracks, int detections)
    {
        if (_stageTracks.Length < tracks)
        {
            _stageTracks = new int[Math.Max(tracks, _stageTracks.Length * 2)];
            _stageMatch = new int[_stageTracks.Length];
        }

        if (_stageDetections.Length < detections)
        {
            _stageDetections = new int[Math.Max(detections, _stageDetections.Length * 2)];
        }
    }

    private struct Slot
    {
        public long Id;
        public BoundingBox Box;
        public float Cx;
        public float Cy;
        public float Vx;
        public float Vy;
        public float SeenX;
        public float SeenY;
        public int ClassId;
        public string Label;
        public float Confidence;
        public int Hits;
        public int Missed;
        public bool Confirmed;
    }
}
