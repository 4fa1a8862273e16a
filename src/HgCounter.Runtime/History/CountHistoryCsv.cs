using System.Globalization;

namespace HgCounter.Runtime;

/// <summary>The CSV form of count history rows, one shape for every host: <see cref="Header"/>, then one line per row.</summary>
public static class CountHistoryCsv
{
    /// <summary>The first line.</summary>
    public const string Header = "bucket_start,camera,target,direction,class,count,covered_seconds";

    /// <summary>Writes <see cref="Header"/> and <paramref name="rows"/> (RFC 4180 quoting, invariant numbers, ISO 8601 times with their offset).</summary>
    public static async Task WriteAsync(TextWriter writer, IEnumerable<CountHistoryRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(rows);
        await writer.WriteAsync(Header.AsMemory(), cancellationToken);
        await writer.WriteAsync("\n".AsMemory(), cancellationToken);
        foreach (var row in rows)
        {
            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"{row.BucketStart:yyyy-MM-ddTHH:mm:sszzz},{Field(row.Camera)},{Field(row.Target)},{Field(row.Direction)},{Field(row.Class)},{row.Count},{row.CoveredSeconds:0.###}\n");
            await writer.WriteAsync(line.AsMemory(), cancellationToken);
        }

        await writer.FlushAsync(cancellationToken);
    }

    // Names are free text: a comma, quote or line break puts the field in quotes, with quotes doubled.
    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
