namespace HgCounter.Diagnostics;

/// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> every HgCounter instrument belongs to.</summary>
public static class HgCounterMeter
{
    /// <summary>Meter name, for <c>AddMeter(HgCounterMeter.Name)</c> in OpenTelemetry or a <c>MeterListener</c>.</summary>
    public const string Name = "HgCounter";
}
