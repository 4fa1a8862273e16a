using Xunit;

namespace HgCounter.Testing;

/// <summary>A fact that needs <see cref="RealModel"/>: reported as skipped, with the reason, when the model file is absent.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RealModelFactAttribute : FactAttribute
{
    /// <summary>Skips when the model is absent.</summary>
    public RealModelFactAttribute()
    {
        if (RealModel.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
