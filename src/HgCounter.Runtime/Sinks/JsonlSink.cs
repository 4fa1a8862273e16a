using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using HgCounter.Configuration;
using HgCounter.Events;
using HgCounter.Runtime.Events;
using HgCounter.Runtime.Serialization;
using Microsoft.Extensions.Logging;

namespace HgCounter.Runtime.Sinks;

/// <summary>
/// Appends one JSON object per line to <see cref="JsonlSinkOptions.Path"/> and fsyncs before confirming. Idempotent for
/// resends: it remembers the ids it wrote (seeded at start from the last <see cref="TailBytes"/> of the file, up to
/// <see cref="RememberedIds"/>) and skips them. A torn last line left by a crash is cut off at start; its event is
/// still in the outbox and is written again. The file is rotated by size and by local day
/// (<see cref="JsonlSinkOptions.Rotation"/>): renamed whole before a batch is written, so every line is in exactly one file;
/// the newest rotated file's tail is read at start too, so a resend just after a rotation is still recognised.
/// </summary>
internal sealed partial class JsonlSink : ICountEventSink, IDisposable
{
    /// <summary>How much of the file's end is read at start to learn the ids already written.</summary>
    public const int TailBytes = 16 * 1024 * 1024;

    /// <summary>How many recent ids are remembered (the outbox only ever resends its last unconfirmed batches).</summary>
    public const int RememberedIds = 100_000;

    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly ILogger<JsonlSink> _logger;
    private readonly TimeProvider _time;
    private readonly JsonlRotationOptions _rotation;
    private readonly Regex _rotatedName;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<Guid> _written = [];
    private readonly Queue<Guid> _order = new();
    private bool _loaded;
    private DateOnly? _fileDay;

    /// <summary>Creates the sink on the system clock; the file and its directory are created on first delivery.</summary>
    public JsonlSink(JsonlSinkOptions options, ILogger<JsonlSink> logger)
        : this(options, logger, TimeProvider.System)
    {
    }

    /// <summary>Creates the sink; <paramref name="timeProvider"/> says which local day it is (daily rotation).</summary>
    public JsonlSink(JsonlSinkOptions options, ILogger<JsonlSink> logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Name = options.Name ?? options.Type;
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            throw new ArgumentException($"Sink '{Name}': Path is required for a jsonl sink.", nameof(options));
        }

        Path = System.IO.Path.GetFullPath(options.Path);
        _logger = logger;
        _time = timeProvider;
        _rotation = options.Rotation ?? new JsonlRotationOptions();
        _rotatedName = new Regex(
            $"^{Regex.Escape(System.IO.Path.GetFileNameWithoutExtension(Path))}\\.(\\d{{4}}-\\d{{2}}-\\d{{2}})\\.(\\d+){Regex.Escape(System.IO.Path.GetExtension(Path))}$",
            RegexOptions.CultureInvariant);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Full path of the file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public async Task DeliverAsync(IReadOnlyList<CountEvent> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_loaded)
            {
                if (RotatedFiles().LastOrDefault() is { } newestRotated)
                {
                    LoadTail(newestRotated.Path, cutTornLine: false);
                }

                LoadTail(Path, cutTornLine: true);
                _fileDay = File.Exists(Path) ? LocalDay(File.GetLastWriteTimeUtc(Path)) : null;
                _loaded = true;
            }

            using var buffer = new MemoryStream();
            var fresh = new List<Guid>(batch.Count);
            foreach (var countEvent in batch)
            {
                if (!_written.Contains(countEvent.EventId) && !fresh.Contains(countEvent.EventId))
                {
                    JsonSerializer.Serialize(buffer, countEvent, HgCounterJsonContext.Default.CountEvent);
                    buffer.Write(NewLine);
                    fresh.Add(countEvent.EventId);
                }
            }

            if (fresh.Count > 0)
            {
                RotateIfDue(buffer.Length);
                Append(buffer);
                _fileDay = Today();
                foreach (var id in fresh)
                {
                    Remember(id);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SinkDeliveryException($"JSONL sink '{Name}' could not write {Path}: {ex.Message}", SinkFailureKind.Transient, ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private void Append(MemoryStream buffer)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
        var start = file.Length;
        try
        {
            buffer.Position = 0;
            buffer.CopyTo(file);
            file.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            // Disk full mid-write: cut the partial line so the retry appends to a clean file.
            TryTruncate(file, start);
            throw;
        }
    }

    // Rename, never copy: the whole file moves at once, so no line is lost or written twice. Called before the batch.
    private void RotateIfDue(long incomingBytes)
    {
        var info = new FileInfo(Path);
        if (!info.Exists || info.Length == 0)
        {
            return;
        }

        var today = Today();
        var full = info.Length + incomingBytes > _rotation.MaxFileMegabytes * 1024L * 1024;
        var newDay = _rotation.RotateDaily && _fileDay is { } day && day != today;
        if (!full && !newDay)
        {
            return;
        }

        var fileDay = _fileDay ?? today;
        var sameDay = RotatedFiles().Where(f => f.Day == fileDay).Select(f => f.Number).DefaultIfEmpty(0).Max();
        var rotated = System.IO.Path.Combine(
            System.IO.Path.GetDirectoryName(Path)!,
            string.Create(CultureInfo.InvariantCulture, $"{System.IO.Path.GetFileNameWithoutExtension(Path)}.{fileDay:yyyy-MM-dd}.{sameDay + 1}{System.IO.Path.GetExtension(Path)}"));
        File.Move(Path, rotated);
        LogRotated(_logger, Name, rotated, full ? "size" : "day");

        var all = RotatedFiles();
        foreach (var old in all.Take(Math.Max(0, all.Count - _rotation.RetainFiles)))
        {
            File.Delete(old.Path);
            LogRotatedDeleted(_logger, Name, old.Path);
        }
    }

    // Oldest first: by the day in the name, then its counter.
    private List<RotatedFile> RotatedFiles()
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return Directory.EnumerateFiles(directory)
            .Select(path => (path, match: _rotatedName.Match(System.IO.Path.GetFileName(path))))
            .Where(f => f.match.Success)
            .Select(f => new RotatedFile(
                f.path,
                DateOnly.ParseExact(f.match.Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                int.Parse(f.match.Groups[2].Value, CultureInfo.InvariantCulture)))
            .OrderBy(f => f.Day)
            .ThenBy(f => f.Number)
            .ToList();
    }

    private DateOnly Today() => DateOnly.FromDateTime(_time.GetLocalNow().DateTime);

    private DateOnly LocalDay(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, _time.LocalTimeZone));

    private void LoadTail(string path, bool cutTornLine)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using var file = new FileStream(path, FileMode.Open, cutTornLine ? FileAccess.ReadWrite : FileAccess.Read, FileShare.Read);
        var offset = Math.Max(0, file.Length - TailBytes);
        var tail = new byte[file.Length - offset];
        file.Position = offset;
        file.ReadExactly(tail);

        var span = tail.AsSpan();
        var lastNewLine = span.LastIndexOf((byte)'\n');
        var complete = lastNewLine + 1;
        if (cutTornLine && complete < span.Length)
        {
            TryTruncate(file, offset + complete);
            LogTornLineCut(_logger, Name, span.Length - complete);
        }

        // When reading from the middle of the file the first line is partial: skip it.
        var start = offset > 0 ? span[..complete].IndexOf((byte)'\n') + 1 : 0;
        var lines = span[start..complete];
        while (!lines.IsEmpty)
        {
            var end = lines.IndexOf((byte)'\n');
            var line = lines[..end];
            lines = lines[(end + 1)..];
            if (TryReadId(line, out var id))
            {
                Remember(id);
            }
        }
    }

    private static bool TryReadId(ReadOnlySpan<byte> line, out Guid id)
    {
        id = default;
        try
        {
            var reader = new Utf8JsonReader(line);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("event_id"u8))
                {
                    return reader.Read() && reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out id);
                }
            }
        }
        catch (JsonException)
        {
            // Not one of ours: ignore the line.
        }

        return false;
    }

    private void Remember(Guid id)
    {
        if (!_written.Add(id))
        {
            return;
        }

        _order.Enqueue(id);
        if (_order.Count > RememberedIds)
        {
            _written.Remove(_order.Dequeue());
        }
    }

    private static void TryTruncate(FileStream file, long length)
    {
        try
        {
            file.SetLength(length);
        }
        catch (IOException)
        {
            // Best effort; the retry will append after the fragment.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sink {Sink}: rotated the file to {RotatedTo} (by {Reason})")]
    private static partial void LogRotated(ILogger logger, string sink, string rotatedTo, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sink {Sink}: deleted {File}, the oldest rotated file beyond RetainFiles")]
    private static partial void LogRotatedDeleted(ILogger logger, string sink, string file);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sink {Sink}: cut a torn last line of {Bytes} bytes left by an interrupted write")]
    private static partial void LogTornLineCut(ILogger logger, string sink, int bytes);

    private sealed record RotatedFile(string Path, DateOnly Day, int Number);
}
