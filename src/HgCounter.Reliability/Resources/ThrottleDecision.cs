namespace HgCounter.Reliability.Resources;

/// <summary>Whether a limit is exceeded, and why.</summary>
/// <param name="ShouldThrottle">True when the limit is exceeded.</param>
/// <param name="Reason">What is over which limit (e.g. <c>memory 82.0 % &gt; 80 %</c>), or <c>null</c>.</param>
public readonly record struct ThrottleDecision(bool ShouldThrottle, string? Reason)
{
    /// <summary>Nothing exceeded.</summary>
    public static ThrottleDecision None => new(false, null);
}
