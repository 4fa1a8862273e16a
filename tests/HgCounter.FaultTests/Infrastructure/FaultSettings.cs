using System.Globalization;

namespace HgCounter.FaultTests.Infrastructure;

/// <summary>
/// The switch between the CI variants and the long ones: <c>HGCOUNTER_LONG=1</c> runs 20 churn cycles, a 60 s backend
/// outage and a 10-minute soak; <c>HGCOUNTER_SOAK_MINUTES</c> overrides the soak length, <c>HGCOUNTER_SEED</c> the seed.
/// </summary>
internal static class FaultSettings
{
    public static bool Long => Environment.GetEnvironmentVariable("HGCOUNTER_LONG") == "1";

    public static int ChurnCycles => Long ? 20 : 6;

    public static TimeSpan BackendOutage => Long ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(25);

    public static TimeSpan SoakDuration =>
        double.TryParse(Environment.GetEnvironmentVariable("HGCOUNTER_SOAK_MINUTES"), NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes) && minutes > 0
            ? TimeSpan.FromMinutes(minutes)
            : TimeSpan.FromMinutes(Long ? 10 : 2);

    public static int Seed =>
        int.TryParse(Environment.GetEnvironmentVariable("HGCOUNTER_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : 8;
}
