using System.ComponentModel.DataAnnotations;

namespace HgCounter.Configuration;

/// <summary>
/// What every event sink has: its type, name and attempt timeout. Each sink type derives its own options from it
/// (<c>HttpSinkOptions</c>, <c>JsonlSinkOptions</c>, <c>PostgreSqlSinkOptions</c>); an <c>HgCounter:Events:Sinks:N</c>
/// section is bound to the options type registered for its <see cref="Type"/>.
/// </summary>
public class SinkOptions
{
    /// <summary>Sink type: <c>http</c>, <c>jsonl</c>, <c>postgres</c> (with <c>HgCounter.Sinks.PostgreSql</c>), <c>mqtt</c> (with <c>HgCounter.Sinks.Mqtt</c>) or one added with the builder.</summary>
    [Required]
    public string Type { get; set; } = string.Empty;

    /// <summary>Name in logs and status; defaults to the type.</summary>
    public string? Name { get; set; }

    /// <summary>Timeout of one delivery attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
