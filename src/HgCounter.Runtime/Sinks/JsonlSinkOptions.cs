using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace HgCounter.Configuration;

/// <summary>Options of the <c>jsonl</c> sink: appends one JSON object per line to <see cref="Path"/>.</summary>
public sealed class JsonlSinkOptions : SinkOptions
{
    /// <summary>The <see cref="SinkOptions.Type"/> of this sink.</summary>
    public const string SinkType = "jsonl";

    /// <summary>Creates the options with <see cref="SinkOptions.Type"/> set to <see cref="SinkType"/>.</summary>
    public JsonlSinkOptions() => Type = SinkType;

    /// <summary>File to append to.</summary>
    [Required]
    public string? Path { get; set; }

    /// <summary>When the file is rotated and how many rotated files are kept.</summary>
    [ValidateObjectMembers]
    public JsonlRotationOptions Rotation { get; set; } = new();
}
