namespace HgCounter.Runtime.Events;

/// <summary>Free bytes on the disk of the outbox directory, checked before each write so a full disk is refused cleanly.</summary>
internal static class DiskSpaceProbe
{
    /// <summary>A probe of the file system holding <paramref name="directory"/>.</summary>
    public static Func<long> For(string directory) => () => FreeBytes(directory);

    // If the file system cannot say (unusual mounts), SQLite's own disk-full error is the remaining guard.
    private static long FreeBytes(string directory)
    {
        try
        {
            return new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return long.MaxValue;
        }
    }
}
