using HgCounter.Configuration;

namespace HgCounter.Runtime.History;

/// <summary><c>HgCounter:TimeZone</c>: an IANA id looked up in the machine's time zone database, or the machine's own zone.</summary>
internal static class TimeZoneSetting
{
    public const string Key = $"{HgCounterOptions.SectionName}:{nameof(HgCounterOptions.TimeZone)}";

    /// <summary>The zone <paramref name="id"/> names, or <paramref name="time"/>'s local zone when it is null or empty.</summary>
    /// <exception cref="ArgumentException">The id is unknown; the message names <see cref="Key"/>.</exception>
    public static TimeZoneInfo Resolve(string? id, TimeProvider time) =>
        TryResolve(id, time, out var zone, out var problem) ? zone : throw new ArgumentException(problem, nameof(id));

    public static bool TryResolve(string? id, TimeProvider time, out TimeZoneInfo zone, out string problem)
    {
        problem = string.Empty;
        if (string.IsNullOrWhiteSpace(id))
        {
            zone = time.LocalTimeZone;
            return true;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = TimeZoneInfo.Utc;
            problem = $"{Key}: '{id}' is not a time zone id this machine knows; give an IANA id such as Europe/Berlin or America/New_York (the system's time zone database, package tzdata, must be installed).";
            return false;
        }
    }
}
