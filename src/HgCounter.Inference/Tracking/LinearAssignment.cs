namespace HgCounter.Inference.Tracking;

/// <summary>
/// Optimal one-to-one assignment of rows (tracks) to columns (detections) over a whole cost matrix (Hungarian method with
/// potentials, O(n²m)), as ByteTrack's <c>linear_assignment</c> does with <c>lap.lapjv</c>. Greedy matching (best pair first)
/// swaps ids when two people pass close by: the best single pair can leave the other person with no match at all.
/// A pair costing <see cref="CostLimit"/> or more is never matched: such pairs are priced at the limit, which makes leaving
/// both unmatched exactly as good (the same objective as <c>lapjv</c>'s <c>cost_limit</c>), and are dropped afterwards.
/// Buffers are reused, so a steady-state <see cref="Solve"/> allocates nothing. Not thread-safe.
/// </summary>
internal sealed class LinearAssignment
{
    private double[] _cost = new double[64];
    private double[] _u = new double[9];
    private double[] _v = new double[9];
    private double[] _minV = new double[9];
    private int[] _p = new int[9];
    private int[] _way = new int[9];
    private bool[] _used = new bool[9];
    private int _rows;
    private int _columns;

    /// <summary>Pairs costing this much or more are never matched.</summary>
    public double CostLimit { get; private set; }

    /// <summary>Starts a problem of <paramref name="rows"/> × <paramref name="columns"/>, every pair unmatched until <see cref="Set"/>.</summary>
    public void Reset(int rows, int columns, double costLimit)
    {
        _rows = rows;
        _columns = columns;
        CostLimit = costLimit;
        var n = rows * columns;
        if (_cost.Length < n)
        {
            _cost = new double[Math.Max(n, _cost.Length * 2)];
        }

        _cost.AsSpan(0, n).Fill(costLimit);
        var size = Math.Max(rows, columns) + 1;
        if (_u.Length < size)
        {
            size = Math.Max(size, _u.Length * 2);
            _u = new double[size];
            _v = new double[size];
            _minV = new double[size];
            _p = new int[size];
            _way = new int[size];
            _used = new bool[size];
        }
    }

    /// <summary>Sets the cost of matching <paramref name="row"/> with <paramref name="column"/> (values at or above the limit mean "never").</summary>
    public void Set(int row, int column, double cost) => _cost[(row * _columns) + column] = Math.Min(cost, CostLimit);

    /// <summary>Solves the problem; <paramref name="rowToColumn"/>[r] receives the column of row r, or -1.</summary>
    public void Solve(Span<int> rowToColumn)
    {
        rowToColumn[.._rows].Fill(-1);
        if (_rows == 0 || _columns == 0)
        {
            return;
        }

        // The method needs rows ≤ columns; solve the transposed problem otherwise.
        var transposed = _rows > _columns;
        var n = transposed ? _columns : _rows;
        var m = transposed ? _rows : _columns;
        Array.Clear(_u, 0, n + 1);
        Array.Clear(_v, 0, m + 1);
        Array.Clear(_p, 0, m + 1);
        for (var i = 1; i <= n; i++)
        {
            _p[0] = i;
            var j0 = 0;
            _minV.AsSpan(0, m + 1).Fill(double.PositiveInfinity);
            Array.Clear(_used, 0, m + 1);
            do
            {
                _used[j0] = true;
                var i0 = _p[j0];
                var delta = double.PositiveInfinity;
                var j1 = 0;
                for (var j = 1; j <= m; j++)
                {
                    if (_used[j])
                    {
                        continue;
                    }

                    var current = Cost(i0 - 1, j - 1, transposed) - _u[i0] - _v[j];
                    if (current < _minV[j])
                    {
                        _minV[j] = current;
                        _way[j] = j0;
                    }

                    if (_minV[j] < delta)
                    {
                        delta = _minV[j];
                        j1 = j;
                    }
                }

                for (var j = 0; j <= m; j++)
                {
                    if (_used[j])
                    {
                        _u[_p[j]] += delta;
                        _v[j] -= delta;
                    }
                    else
                    {
                        _minV[j] -= delta;
                    }
                }

                j0 = j1;
            }
            while (_p[j0] != 0);

            do
            {
                var j1 = _way[j0];
                _p[j0] = _p[j1];
                j0 = j1;
            }
            while (j0 != 0);
        }

        for (var j = 1; j <= m; j++)
        {
            if (_p[j] == 0)
            {
                continue;
            }

            var (row, column) = transposed ? (j - 1, _p[j] - 1) : (_p[j] - 1, j - 1);
            if (_cost[(row * _columns) + column] < CostLimit)
            {
                rowToColumn[row] = column;
            }
        }
    }

    private double Cost(int i, int j, bool transposed) => transposed ? _cost[(j * _columns) + i] : _cost[(i * _columns) + j];
}
