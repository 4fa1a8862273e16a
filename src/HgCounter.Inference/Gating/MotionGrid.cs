using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HgCounter.Detection;

namespace HgCounter.Inference.Gating;

/// <summary>
/// The cheap motion stage of gated detection: the frame is reduced to a grid of cells (the mean brightness of a sparse
/// sample of each cell's pixels), compared with a running-average background of the same grid, and cells that differ
/// by more than a threshold are grouped into boxes (8-connected, one cell of dilation). A 640×480 frame is read at
/// one pixel in sixteen, so the stage costs a small fraction of a millisecond. Fixed-size arrays are made when the
/// frame size changes and reused, so steady-state calls allocate nothing. Not thread-safe: one per camera.
/// </summary>
internal sealed class MotionGrid
{
    private const int SampleStep = 4; // pixels between samples on both axes, inside a cell
    private float[] _background = [];
    private float[] _current = [];
    private bool[] _moving = [];
    private bool[] _dilated = [];
    private int[] _stack = [];
    private bool[] _visited = [];
    private int _columns;
    private int _rows;
    private int _cellWidth;
    private int _cellHeight;
    private int _frameWidth;
    private int _frameHeight;
    private bool _hasBackground;

    /// <param name="cellSize">Cell edge in frame pixels (at least <see cref="SampleStep"/>).</param>
    /// <param name="threshold">Difference of mean brightness (0–255) from the background that makes a cell move.</param>
    /// <param name="learningRate">Weight of the current frame in the background average (0–1).</param>
    public MotionGrid(int cellSize, float threshold, float learningRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cellSize, SampleStep);
        CellSize = cellSize;
        Threshold = threshold;
        LearningRate = learningRate;
    }

    public int CellSize { get; }

    public float Threshold { get; }

    public float LearningRate { get; }

    /// <summary>Share of cells that moved in the last frame (0–1).</summary>
    public float MovingFraction { get; private set; }

    /// <summary>Forgets the background (after a reconnect the scene may have changed).</summary>
    public void Reset() => _hasBackground = false;

    /// <summary>
    /// Finds moving areas of a packed BGR24 frame and appends their boxes (frame pixels) to <paramref name="boxes"/>.
    /// The first frame after a reset only learns the background and reports the whole frame as moving.
    /// </summary>
    public void Find(ReadOnlySpan<byte> bgr, int width, int height, List<BoundingBox> boxes)
    {
        if (width != _frameWidth || height != _frameHeight)
        {
            Configure(width, height);
        }

        Sample(bgr);
        if (!_hasBackground)
        {
            _current.AsSpan().CopyTo(_background);
            _hasBackground = true;
            MovingFraction = 1;
            boxes.Add(new BoundingBox(0, 0, width, height));
            return;
        }

        var moving = 0;
        for (var i = 0; i < _current.Length; i++)
        {
            var difference = MathF.Abs(_current[i] - _background[i]);
            _moving[i] = difference > Threshold;
            moving += _moving[i] ? 1 : 0;

            // Moving cells learn slowly, so a person who stops fades into the background over seconds, not at once.
            var rate = _moving[i] ? LearningRate * 0.25f : LearningRate;
            _background[i] += (_current[i] - _background[i]) * rate;
        }

        MovingFraction = (float)moving / _current.Length;
        if (moving == 0)
        {
            return;
        }

        Dilate();
        Group(boxes);
    }

    private void Configure(int width, int height)
    {
        _frameWidth = width;
        _frameHeight = height;
        _cellWidth = Math.Min(CellSize, width);
        _cellHeight = Math.Min(CellSize, height);
        _columns = Math.Max(1, width / _cellWidth);
        _rows = Math.Max(1, height / _cellHeight);
        var cells = _columns * _rows;
        _background = new float[cells];
        _current = new float[cells];
        _moving = new bool[cells];
        _dilated = new bool[cells];
        _visited = new bool[cells];
        _stack = new int[cells];
        _hasBackground = false;
    }

    // Mean of the green-weighted brightness of a sparse sample of each cell; the last partial row/column of pixels
    // belongs to the last cell.
    private void Sample(ReadOnlySpan<byte> bgr)
    {
        ref var pixels = ref MemoryMarshal.GetReference(bgr);
        var stride = _frameWidth * 3;
        for (var row = 0; row < _rows; row++)
        {
            var y0 = row * _cellHeight;
            var y1 = row == _rows - 1 ? _frameHeight : y0 + _cellHeight;
            for (var column = 0; column < _columns; column++)
            {
                var x0 = column * _cellWidth;
                var x1 = column == _columns - 1 ? _frameWidth : x0 + _cellWidth;
                var sum = 0;
                var count = 0;
                for (var y = y0 + (SampleStep / 2); y < y1; y += SampleStep)
                {
                    ref var line = ref Unsafe.Add(ref pixels, y * stride);
                    for (var x = x0 + (SampleStep / 2); x < x1; x += SampleStep)
                    {
                        ref var p = ref Unsafe.Add(ref line, x * 3);
                        sum += p + (Unsafe.Add(ref p, 1) << 1) + Unsafe.Add(ref p, 2);
                        count++;
                    }
                }

                _current[(row * _columns) + column] = count == 0 ? 0 : sum / (4f * count);
            }
        }
    }

    // One cell of dilation joins the fragments of one moving object and gives the box a margin.
    private void Dilate()
    {
        Array.Clear(_dilated);
        for (var row = 0; row < _rows; row++)
        {
            for (var column = 0; column < _columns; column++)
            {
                if (!_moving[(row * _columns) + column])
                {
                    continue;
                }

                for (var dy = -1; dy <= 1; dy++)
                {
                    var r = row + dy;
                    if ((uint)r >= (uint)_rows)
                    {
                        continue;
                    }

                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var c = column + dx;
                        if ((uint)c < (uint)_columns)
                        {
                            _dilated[(r * _columns) + c] = true;
                        }
                    }
                }
            }
        }
    }

    // 8-connected components of the dilated cells, by an explicit stack (no recursion, no allocation).
    private void Group(List<BoundingBox> boxes)
    {
        Array.Clear(_visited);
        for (var start = 0; start < _dilated.Length; start++)
        {
            if (!_dilated[start] || _visited[start])
            {
                continue;
            }

            int minRow = int.MaxValue, minColumn = int.MaxValue, maxRow = -1, maxColumn = -1;
            var top = 0;
            _stack[top++] = start;
            _visited[start] = true;
            while (top > 0)
            {
                var cell = _stack[--top];
                var row = cell / _columns;
                var column = cell % _columns;
                minRow = Math.Min(minRow, row);
                maxRow = Math.Max(maxRow, row);
                minColumn = Math.Min(minColumn, column);
                maxColumn = Math.Max(maxColumn, column);
                for (var dy = -1; dy <= 1; dy++)
                {
                    var r = row + dy;
                    if ((uint)r >= (uint)_rows)
                    {
                        continue;
                    }

                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var c = column + dx;
                        var next = (r * _columns) + c;
                        if ((uint)c < (uint)_columns && _dilated[next] && !_visited[next])
                        {
                            _visited[next] = true;
                            _stack[top++] = next;
                        }
                    }
                }
            }

            var left = minColumn * _cellWidth;
            var topPx = minRow * _cellHeight;
            var right = maxColumn == _columns - 1 ? _frameWidth : (maxColumn + 1) * _cellWidth;
            var bottom = maxRow == _rows - 1 ? _frameHeight : (maxRow + 1) * _cellHeight;
            boxes.Add(BoundingBox.FromCorners(left, topPx, right, bottom));
        }
    }
}
