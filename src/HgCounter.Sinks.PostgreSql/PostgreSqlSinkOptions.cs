using System.ComponentModel.DataAnnotations;

namespace HgCounter.Configuration;

/// <summary>Options of the <c>postgres</c> sink: writes count events into <see cref="Table"/>.</summary>
public sealed class PostgreSqlSinkOptions : SinkOptions
{
    /// <summary>The <see cref="SinkOptions.Type"/> of this sink.</summary>
    public const string SinkType = "postgres";

    /// <summary>Pattern of <see cref="Table"/>: <c>table</c> or <c>schema.table</c>, plain identifiers.</summary>
    internal const string TablePattern = "^[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?$";

    /// <summary>Creates the options with <see cref="SinkOptions.Type"/> set to <see cref="SinkType"/>.</summary>
    public PostgreSqlSinkOptions() => Type = SinkType;

    /// <summary>Npgsql connection string (secret; never logged).</summary>
    [Required]
    public string? ConnectionString { get; set; }

    /// <summary>Table name (<c>table</c> or <c>schema.table</c>), created if missing.</summary>
    [RegularExpression(TablePattern)]
    public string Table { get; set; } = "count_events";
}
