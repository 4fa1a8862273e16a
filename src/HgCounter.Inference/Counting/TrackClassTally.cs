namespace HgCounter.Inference.Counting;

/// <summary>
/// How often one track was observed with each class. The class of a crossing is the track's majority class over its
/// life (ties go to the class seen most recently), so a track whose box is read as a car for a frame or two at the line
/// is still counted as the person it was on every other frame. One instance per live track; steady state allocates nothing.
/// </summary>
internal sealed class TrackClassTally
{
    private int[] _classIds = new int[2];
    private string[] _labels = new string[2];
    private long[] _counts = new long[2];
    private long[] _lastObserved = new long[2];
    private int _classes;

    /// <summary>Frame number of the counter on which the track was last listed (observed or coasting).</summary>
    public long LastSeen { get; set; }

    /// <summary>Adds one observation of the track as <paramref name="classId"/> on <paramref name="frame"/>.</summary>
    public void Add(int classId, string label, long frame)
    {
        var i = Array.IndexOf(_classIds, classId, 0, _classes);
        if (i < 0)
        {
            if (_classes == _classIds.Length)
            {
                var size = _classes * 2;
                Array.Resize(ref _classIds, size);
                Array.Resize(ref _labels, size);
                Array.Resize(ref _counts, size);
                Array.Resize(ref _lastObserved, size);
            }

            i = _classes++;
            _classIds[i] = classId;
            _counts[i] = 0;
        }

        _labels[i] = label;
        _counts[i]++;
        _lastObserved[i] = frame;
    }

    /// <summary>The majority class and its label, or <paramref name="fallbackClassId"/>/<paramref name="fallbackLabel"/> before any observation.</summary>
    public (int ClassId, string Label) Majority(int fallbackClassId, string fallbackLabel)
    {
        var best = -1;
        for (var i = 0; i < _classes; i++)
        {
            if (best < 0 || _counts[i] > _counts[best] || (_counts[i] == _counts[best] && _lastObserved[i] > _lastObserved[best]))
            {
                best = i;
            }
        }

        return best < 0 ? (fallbackClassId, fallbackLabel) : (_classIds[best], _labels[best]);
    }
}
