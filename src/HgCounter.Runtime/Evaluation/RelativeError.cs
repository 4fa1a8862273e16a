namespace HgCounter.Runtime.Evaluation;

/// <summary>Absolute error divided by the true count, per direction; null where the truth is 0 (undefined).</summary>
/// <param name="In">Relative error of the In direction.</param>
/// <param name="Out">Relative error of the Out direction.</param>
public readonly record struct RelativeError(double? In, double? Out);
