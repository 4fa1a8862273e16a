using System.Diagnostics.CodeAnalysis;

namespace HgCounter.Runtime;

/// <summary>The short names of <see cref="CountBucketSize"/> used in URLs, files and command lines: <c>15m</c>, <c>1h</c>, <c>1d</c>.</summary>
public static class CountBucketSizeText
{
    /// <summary>The names accepted by <see cref="TryParse"/>, for error messages.</summary>
    public const string Accepted = "15m, 1h or 1d";

    /// <summary>Reads <c>15m</c>, <c>1h</c> or <c>1d</c>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out CountBucketSize size)
    {
        switch (text)
        {
            case "15m": size = CountBucketSize.QuarterHour; return true;
            case "1h": size = CountBucketSize.Hour; return true;
            case "1d": size = CountBucketSize.Day; return true;
            default: size = default; return false;
        }
    }

    /// <summary>The short name of <paramref name="size"/>.</summary>
    public static string Format(CountBucketSize size) => size switch
    {
        CountBucketSize.QuarterHour => "15m",
        CountBucketSize.Hour => "1h",
        CountBucketSize.Day => "1d",
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "Not a bucket size."),
    };
}
