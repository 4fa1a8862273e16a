using HgCounter.Testing;

namespace HgCounter.Inference.Tests.Gating;

/// <summary>A fact that needs <see cref="RealModel"/>: reported as skipped, with the reason, when the model file is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
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
