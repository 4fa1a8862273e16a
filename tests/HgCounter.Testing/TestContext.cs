namespace HgCounter.Testing;

/// <summary>Bounded waits for tests: nothing in a test may wait forever.</summary>
public static class TestContext
{
    /// <summary>A token cancelled after <paramref name="seconds"/> (default 30 s).</summary>
    public static CancellationToken Timeout(double seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
