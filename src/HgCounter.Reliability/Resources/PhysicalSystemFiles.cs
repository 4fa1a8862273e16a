namespace HgCounter.Reliability.Resources;

/// <summary>The real file system.</summary>
internal sealed class PhysicalSystemFiles : ISystemFiles
{
    /// <summary>The shared instance.</summary>
    public static PhysicalSystemFiles Instance { get; } = new();

    /// <inheritdoc />
    public string? ReadText(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public DiskSpace? GetDiskSpace(string path)
    {
        try
        {
            var directory = new DirectoryInfo(Path.GetFullPath(path));
            while (directory is not null && !directory.Exists)
            {
                directory = directory.Parent;
            }

            if (directory is null)
            {
                return null;
            }

            // On Unix DriveInfo takes any path and asks statvfs about the file system holding it.
            var drive = new DriveInfo(directory.FullName);
            return new DiskSpace(drive.TotalSize, drive.TotalFreeSpace, drive.AvailableFreeSpace);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
