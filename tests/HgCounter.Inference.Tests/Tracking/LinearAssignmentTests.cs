using HgCounter.Inference.Tracking;

namespace HgCounter.Inference.Tests.Tracking;

public sealed class LinearAssignmentTests
{
    private static int[] Solve(double limit, double[,] costs)
    {
        var assignment = new LinearAssignment();
        var rows = costs.GetLength(0);
        var columns = costs.GetLength(1);
        assignment.Reset(rows, columns, limit);
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                assignment.Set(r, c, costs[r, c]);
            }
        }

        var result = new int[rows];
        assignment.Solve(result);
        return result;
    }

    [Fact]
    public void Solve_GreedyBestPairWouldStrandARow_MatchesBothRows()
    {
        // Greedy takes (0,0) at 0.4 and leaves row 1 with nothing it may match; the optimum pairs (0,1) and (1,0).
        Solve(0.8, new[,] { { 0.4, 0.5 }, { 0.5, 1.0 } }).Should().Equal(1, 0);
    }

    [Fact]
    public void Solve_PairsAtOrAboveLimit_StayUnmatched()
    {
        Solve(0.8, new[,] { { 0.8, 0.9 }, { 0.95, 0.1 } }).Should().Equal(-1, 1);
    }

    [Fact]
    public void Solve_MoreRowsThanColumns_MatchesTheCheapestRows()
    {
        Solve(0.8, new[,] { { 0.7 }, { 0.2 }, { 0.5 } }).Should().Equal(-1, 0, -1);
    }

    [Fact]
    public void Solve_MoreColumnsThanRows_MatchesEachRowOptimally()
    {
        Solve(0.8, new[,] { { 0.3, 0.1, 0.6 }, { 0.2, 0.15, 0.7 } }).Should().Equal(1, 0);
    }

    [Fact]
    public void Solve_LeavingBothUnmatchedIsCheaper_DoesNotForceAPair()
    {
        // Matching (0,1)+(1,0) costs 1.5; (0,0) alone costs 0.1 + one row unmatched at the limit 0.8 = 0.9.
        Solve(0.8, new[,] { { 0.1, 0.75 }, { 0.75, 0.8 } }).Should().Equal(0, -1);
    }
}
