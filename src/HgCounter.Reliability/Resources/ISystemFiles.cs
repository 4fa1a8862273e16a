namespace HgCounter.Reliability.Resources;

/// <summary>
/// The few file-system reads the resource readers and health checks need (/proc, cgroup files, free disk space),
/// behind an interface so tests can present any machine state (as dotnet/extensions' ResourceMonitoring does).
/// </summary>
internal interface ISystemFiles
{
    /// <summary>The whole text of a small file, or <c>null</c> when it does not exist or cannot be read.</summary>
    string? ReadText(string path);

    /// <summary>Size and free space of the file system holding <paramref name="path"/> (the nearest existing ancestor), or <c>null</c>.</summary>
    DiskSpace? GetDiskSpace(string path);
}
