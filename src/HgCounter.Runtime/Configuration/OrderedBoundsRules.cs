using System.Globalization;
using HgCounter.Configuration;

namespace HgCounter.Runtime.Configuration;

/// <summary>Pairs of settings where one must not be below the other (a cap and its start, an error level and its warning level).</summary>
internal static class OrderedBoundsRules
{
    private const string Root = HgCounterOptions.SectionName;

    public static void Check(HgCounterOptions options, List<string> failures)
    {
        var watchdog = options.Watchdog;
        NotBelow($"{Root}:Watchdog", nameof(watchdog.MaxBackoff), watchdog.MaxBackoff, nameof(watchdog.InitialBackoff), watchdog.InitialBackoff, failures);

        var health = options.HealthChecks;
        NotBelow($"{Root}:HealthChecks", nameof(health.DiskErrorPercent), health.DiskErrorPercent, nameof(health.DiskWarningPercent), health.DiskWarningPercent, failures);
        NotBelow($"{Root}:HealthChecks", nameof(health.MemoryErrorPercent), health.MemoryErrorPercent, nameof(health.MemoryWarningPercent), health.MemoryWarningPercent, failures);

        var tracker = options.Tracker;
        NotBelow($"{Root}:Tracker", nameof(tracker.HighThreshold), tracker.HighThreshold, nameof(tracker.LowThreshold), tracker.LowThreshold, failures);
    }

    private static void NotBelow<T>(string section, string upperName, T upper, string lowerName, T lower, List<string> failures)
        where T : IComparable<T>, IFormattable
    {
        if (upper.CompareTo(lower) < 0)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{section}:{upperName}: {upper} is less than {lowerName} {lower}."));
        }
    }
}
