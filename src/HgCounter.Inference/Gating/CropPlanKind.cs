namespace HgCounter.Inference.Gating;

/// <summary>What the model must look at in one frame.</summary>
internal enum CropPlanKind
{
    /// <summary>Nothing moved and nothing is due for a re-check: the model does not run.</summary>
    None,

    /// <summary>Only the planned crops.</summary>
    Crops,

    /// <summary>The whole frame.</summary>
    FullFrame,
}
