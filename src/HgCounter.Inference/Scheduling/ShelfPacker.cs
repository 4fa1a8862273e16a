namespace HgCounter.Inference.Scheduling;

/// <summary>
/// Places rectangles left to right in rows ("shelves") of a fixed canvas, with a gap between them so one crop's
/// content does not run into its neighbour's. A placement can be tried for a group of rectangles and rolled back
/// when the whole group does not fit. No allocation.
/// </summary>
internal struct ShelfPacker(int width, int height, int gap)
{
    private int _x;
    private int _y;
    private int _shelfHeight;

    public readonly int Width => width;

    public readonly int Height => height;

    /// <summary>True when nothing was placed since the last <see cref="Reset"/>.</summary>
    public readonly bool IsEmpty => _x == 0 && _y == 0 && _shelfHeight == 0;

    public readonly (int X, int Y, int ShelfHeight) Save() => (_x, _y, _shelfHeight);

    public void Restore((int X, int Y, int ShelfHeight) state) => (_x, _y, _shelfHeight) = state;

    public void Reset() => (_x, _y, _shelfHeight) = (0, 0, 0);

    /// <summary>Places a <paramref name="w"/> × <paramref name="h"/> rectangle, or returns false when it does not fit.</summary>
    public bool TryPlace(int w, int h, out int x, out int y)
    {
        (x, y) = (0, 0);
        if (w > width || h > height)
        {
            return false;
        }

        if (_x > 0 && _x + w > width)
        {
            _y += _shelfHeight + gap;
            _x = 0;
            _shelfHeight = 0;
        }

        if (_y + h > height)
        {
            return false;
        }

        (x, y) = (_x, _y);
        _x += w + gap;
        _shelfHeight = Math.Max(_shelfHeight, h);
        return true;
    }
}
