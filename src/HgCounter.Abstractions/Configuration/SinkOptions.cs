using System.ComponentModel.DataAnnotations;

namespace HgCounter.Configuration;

/// <summary>One event sink: <c>postgres</c>, <c>http</c> or <c>jsonl</c> (or one added with the builder).</summary>
public sealed class SinkOptions
{
    /// <summary>Sink type.</summary>
    [Required]
    public string Type { get; set; } = string.Empty;

    /// <summary>Name in logs and status; defaults to the type.</summary>
    public string? Name { get; set; }

    /// <summary>postgres: Npgsql connection string (secret; never logged).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>postgres: table name, created if missing.</summary>
    [RegularExpression("^[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?$")]
    public string Table { get; set; } = "count_events";

    /// <summary>http: endpoint that receives JSON batches.</summary>
    public string? Url { get; set; }

    /// <summary>http: extra headers such as <c>apikey</c> or <c>Authorization</c> (secret values; never logged).</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>jsonl: file to append to.</summary>
    public string? Path { get; set; }

    /// <summary>jsonl: when the file is rotated and how many rotated files are kept.</summary>
    public JsonlRotationOptions Rotation { get; set; } = new();

    /// <summary>Timeout of one delivery attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
