namespace HgCounter.Inference.Scheduling;

/// <summary>
/// Places rectangles left to right in rows ("shelves") of a fixed canvas, with a gap between them where there is room,
/// so one crop's content does not run into its neighbour's. A placement can be tried for a group of rectangles and rolled back
/// when the whole group does not fit. No allocation.
/// </summary>
internal struct ShelfPacker(int width, int height, int gap)
{
    private int _x;
    private int _y;
    private int _shelfHeight;
    private long _used;

    public readonly int Width => width;

    public readonly int Height => height;

    /// <summary>Share of the canvas covered by placed rectangles.</summary>
    public readonly float UsedFraction => (float)_used / ((long)width * height);

    public readonly (int X, int Y, int ShelfHeight, long Used) Save() => (_x, _y, _shelfHeight, _used);

    public void Restore((int X, int Y, int ShelfHeight, long Used) state) => (_x, _y, _shelfHeight, _used) = state;

    public void Reset() => (_x, _y, _shelfHeight, _used) = (0, 0, 0, 0);

    /// <summary>Places a <paramref name="w"/> × <paramref name="h"/> rectangle, or returns false when it does not fit.</summary>
    /// <remarks>The gap is left where there is room for it; two tiles that fill the canvas exactly touch instead.</remarks>
    public bool TryPlace(int w, int h, out int x, out int y)
    {
        (x, y) = (0, 0);
        if (w > width || h > height)
        {
            return false;
        }

        var left = _x == 0 ? 0 : Math.Min(_x + gap, width - w);
        if (_x > 0 && left < _x)
        {
            // A new shelf below this one.
            var top = Math.Min(_y + _shelfHeight + gap, height - h);
            if (top < _y + _shelfHeight)
            {
                return false;
            }

            (_x, _y, _shelfHeight) = (0, top, 0);
            left = 0;
        }

        if (_y + h > height)
        {
            return false;
        }

        (x, y) = (left, _y);
        _x = left + w;
        _used += (long)w * h;
        _shelfHeight = Math.Max(_shelfHeight, h);
        return true;
    }
}
