namespace HgCounter.Runtime;

/// <summary>The length of a count history bucket, in the configured time zone (<c>HgCounter:TimeZone</c>).</summary>
public enum CountBucketSize
{
    /// <summary>15 minutes of local time (<c>15m</c>).</summary>
    QuarterHour,

    /// <summary>One hour of local time (<c>1h</c>); a day with a DST change has 23 or 25 of them.</summary>
    Hour,

    /// <summary>One local calendar day, midnight to midnight (<c>1d</c>): 23, 24 or 25 hours long.</summary>
    Day,
}
