using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HgCounter.Runtime.Events;

/// <summary>
/// Keeps the outbox usable when its file is damaged: a corrupt file found at start, or by the integrity check that runs
/// in the background after it, is moved aside for a person to inspect and a new outbox takes its place, so counting goes
/// on unattended.
/// </summary>
internal sealed partial class OutboxRecovery(OutboxDatabase database, TimeProvider time, ILogger logger)
{
    private const int SqliteCorrupt = EventOutbox.SqliteCorrupt;
    private const int SqliteNotADatabase = EventOutbox.SqliteNotADatabase;

    /// <summary>Where a corrupt file was moved; null when none was.</summary>
    public string? CorruptFileMovedTo { get; private set; }

    /// <summary>Opens the file, or a new one in place of a corrupt one, and takes the counts from it.</summary>
    /// <exception cref="OutboxException">The file cannot be opened; the message names the path.</exception>
    public void OpenAtStart()
    {
        lock (database.Gate)
        {
            database.Connection = OpenOrRecover();
            database.RecountFromFile(sequenceFromFile: true);
        }
    }

    /// <summary>
    /// Runs the full integrity check once <paramref name="mayStart"/> completes, and replaces a corrupt file (then calls
    /// <paramref name="pendingCountChanged"/>); stops when <paramref name="closing"/> fires.
    /// </summary>
    public async Task CheckIntegrityAsync(Task mayStart, Action pendingCountChanged, CancellationToken closing)
    {
        try
        {
            await mayStart.WaitAsync(closing);
            var problem = await Task.Run(() => OutboxIntegrityCheck.Run(database.Path, closing), closing);
            if (problem is not null && ReplaceCorruptFile(problem, closing))
            {
                pendingCountChanged();
            }
        }
        catch (OperationCanceledException) when (closing.IsCancellationRequested)
        {
            // Closing: the next start checks again.
        }
        catch (Exception ex)
        {
            LogIntegrityCheckFailed(logger, database.Path, ex.Message);
        }
    }

    private SqliteConnection OpenOrRecover()
    {
        try
        {
            return OutboxSchema.Open(database.Path, logger);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            // Unattended: keep counting with a fresh outbox, and keep the damaged file for a person to inspect.
            MoveCorruptFileAside(ex.Message);
            return OpenNew();
        }
        catch (SqliteException ex)
        {
            throw new OutboxException($"The event outbox {database.Path} could not be opened: {ex.Message}", database.Path, ex);
        }
    }

    private SqliteConnection OpenNew()
    {
        try
        {
            return OutboxSchema.Open(database.Path, logger);
        }
        catch (SqliteException again)
        {
            throw new OutboxException($"The event outbox {database.Path} could not be recreated: {again.Message}", database.Path, again);
        }
    }

    private string MoveCorruptFileAside(string reason)
    {
        var path = database.Path;
        var movedTo = $"{path}.corrupt-{time.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}";
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            if (File.Exists(path + suffix))
            {
                File.Move(path + suffix, movedTo + suffix, overwrite: true);
            }
        }

        CorruptFileMovedTo = movedTo;
        LogCorruptMoved(logger, path, movedTo, reason);
        return movedTo;
    }

    // Found after start: handled as at start (moved aside, a new outbox), and events stored since start are carried
    // over as far as they can be read, with their sequence numbers, so every sink's cursor still finds them.
    private bool ReplaceCorruptFile(string problem, CancellationToken closing)
    {
        lock (database.Gate)
        {
            if (closing.IsCancellationRequested)
            {
                return false;
            }

            var sequenceAtOpen = database.SequenceAtOpen;
            var lastSequence = sequenceAtOpen + database.StoredSinceOpen;
            database.Connection.Dispose();
            var movedTo = MoveCorruptFileAside(problem);
            database.Connection = OpenNew();
            database.RecountFromFile(sequenceFromFile: true);
            using var seed = database.Command("INSERT INTO sqlite_sequence (name, seq) VALUES ('events', $seq)");
            seed.Parameters.AddWithValue("$seq", lastSequence);
            seed.ExecuteNonQuery();
            var carried = CarryOver(movedTo, sequenceAtOpen);
            LogCarriedOver(logger, carried, lastSequence - sequenceAtOpen, movedTo);
            database.SequenceAtOpen = lastSequence;
            database.RecountFromFile(sequenceFromFile: false);
        }

        return true;
    }

    // Caller holds the gate. Best effort: a damaged page in the range copies nothing, and the moved file still has it all.
    private long CarryOver(string movedTo, long afterSequence)
    {
        try
        {
            using var attach = database.Command("ATTACH DATABASE $file AS damaged");
            attach.Parameters.AddWithValue("$file", movedTo);
            attach.ExecuteNonQuery();
            try
            {
                using var copy = database.Command("""
                    INSERT OR IGNORE INTO events (seq, event_id, payload, enqueued_at)
                    SELECT seq, event_id, payload, enqueued_at FROM damaged.events WHERE seq > $after ORDER BY seq
                    """);
                copy.Parameters.AddWithValue("$after", afterSequence);
                var carried = copy.ExecuteNonQuery();
                CarryOverHistory();
                return carried;
            }
            finally
            {
                using var detach = database.Command("DETACH DATABASE damaged");
                detach.ExecuteNonQuery();
            }
        }
        catch (SqliteException ex)
        {
            LogCarryOverFailed(logger, movedTo, ex.Message);
            return 0;
        }
    }

    // The count history is aggregates of every past day, not only of events since start: all of it that can be read
    // comes along, table by table, so damage in one leaves the other.
    private void CarryOverHistory()
    {
        foreach (var table in new[] { "count_buckets", "count_coverage" })
        {
            try
            {
                using var copy = database.Command($"INSERT OR IGNORE INTO main.{table} SELECT * FROM damaged.{table}");
                copy.ExecuteNonQuery();
            }
            catch (SqliteException ex)
            {
                LogHistoryCarryOverFailed(logger, table, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The count history table {Table} could not be read back from the corrupt outbox: {Reason}")]
    private static partial void LogHistoryCarryOverFailed(ILogger logger, string table, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event outbox {Path} was corrupt and was moved to {MovedTo}; a new outbox was created ({Reason})")]
    private static partial void LogCorruptMoved(ILogger logger, string path, string movedTo, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The integrity check of the outbox {Path} could not run: {Reason}")]
    private static partial void LogIntegrityCheckFailed(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Carried} of {Stored} event(s) stored since start were carried over from the corrupt outbox {MovedTo}; the rest are only in that file")]
    private static partial void LogCarriedOver(ILogger logger, long carried, long stored, string movedTo);

    [LoggerMessage(Level = LogLevel.Error, Message = "Events stored since start could not be read back from the corrupt outbox {MovedTo}: {Reason}")]
    private static partial void LogCarryOverFailed(ILogger logger, string movedTo, string reason);
}
