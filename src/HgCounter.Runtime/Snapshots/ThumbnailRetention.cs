using HgCounter.Configuration;

namespace HgCounter.Snapshots;

/// <summary>
/// The thumbnails on disk, oldest first, with their total size: enforces <see cref="ThumbnailOptions.MaxFiles"/>,
/// <see cref="ThumbnailOptions.MaxAge"/> and <see cref="ThumbnailOptions.MaxMegabytes"/> by removing the oldest.
/// Used by the writer's thread only.
/// </summary>
internal sealed class ThumbnailRetention
{
    private readonly Queue<(string Path, long Bytes, DateTimeOffset WrittenAt)> _files = new();
    private readonly ThumbnailOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Reads what an earlier run left in <paramref name="directory"/> (and removes its unfinished temp files).</summary>
    public ThumbnailRetention(string directory, ThumbnailOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        foreach (var temp in Directory.EnumerateFiles(directory, "*" + ThumbnailWriter.TempExtension))
        {
            TryDelete(temp);
        }

        var existing = new DirectoryInfo(directory).EnumerateFiles("*.jpg").OrderBy(f => f.LastWriteTimeUtc).ToList();
        foreach (var file in existing)
        {
            Add(file.FullName, file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));
        }
    }

    /// <summary>Thumbnails kept.</summary>
    public int Count => _files.Count;

    /// <summary>Bytes they take.</summary>
    public long Bytes { get; private set; }

    /// <summary>Records a thumbnail just written.</summary>
    public void Add(string path, long bytes, DateTimeOffset writtenAt)
    {
        _files.Enqueue((path, bytes, writtenAt));
        Bytes += bytes;
    }

    /// <summary>Removes the oldest thumbnails until every bound holds. Returns how many were removed.</summary>
    public int Enforce()
    {
        var maxBytes = _options.MaxMegabytes * 1024L * 1024L;
        var oldestKept = _time.GetUtcNow() - _options.MaxAge;
        var removed = 0;
        while (_files.TryPeek(out var oldest)
            && (_files.Count > _options.MaxFiles || Bytes > maxBytes || oldest.WrittenAt < oldestKept))
        {
            _files.Dequeue();
            Bytes -= oldest.Bytes;
            TryDelete(oldest.Path);
            removed++;
        }

        return removed;
    }

    // Already gone (removed by hand) is fine: the bound holds either way.
    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
