using System.ComponentModel.DataAnnotations;

namespace HgCounter.Configuration;

/// <summary>
/// When a JSONL sink starts a new file: the current file is renamed <c>NAME.yyyy-MM-dd.N.EXT</c> (the local day it was
/// started, then a counter), and the oldest renamed files beyond <see cref="RetainFiles"/> are deleted.
/// </summary>
public sealed class JsonlRotationOptions
{
    /// <summary>Size in MB after which the next batch goes to a new file.</summary>
    [Range(1, 1_000_000)]
    public int MaxFileMegabytes { get; set; } = 100;

    /// <summary>Also start a new file on the first write of each local day.</summary>
    public bool RotateDaily { get; set; } = true;

    /// <summary>Renamed (rotated) files kept next to the current one.</summary>
    [Range(1, 100_000)]
    public int RetainFiles { get; set; } = 30;
}
