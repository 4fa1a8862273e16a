using System.Globalization;
using HgCounter.Configuration;
using Microsoft.Data.Sqlite;

namespace HgCounter.Runtime.Events;

/// <summary>
/// Keeps the outbox file bounded: with no sink configured, removes the oldest events past
/// <see cref="EventOptions.RetainUndelivered"/> (age, then size); always bounds the poison table
/// (<see cref="EventOptions.RetainPoison"/>); gives free pages back to the file system (<c>incremental_vacuum</c>).
/// Work goes in chunks of <see cref="Chunk"/> rows, oldest first (by <c>seq</c> / <c>id</c>, the order of storing),
/// so no statement scans the whole table. The caller holds the outbox lock.
/// </summary>
internal sealed class OutboxRetention(EventOptions options)
{
    /// <summary>Rows removed per statement.</summary>
    public const int Chunk = 2_000;

    /// <summary>Free pages given back per <see cref="ReclaimSome"/> call, so the writer is never held up long.</summary>
    public const int ReclaimPages = 2_048;

    /// <summary>Free space below which the file is left as it is (SQLite reuses free pages anyway).</summary>
    public const long ReclaimThresholdBytes = 1024 * 1024;

    private readonly UndeliveredRetentionOptions _undelivered = options.RetainUndelivered;
    private readonly PoisonRetentionOptions _poison = options.RetainPoison;

    /// <summary>What <see cref="UndeliveredRetentionOptions"/> allows, for the start-up warning.</summary>
    public string UndeliveredLimit => string.Create(
        CultureInfo.InvariantCulture, $"up to {_undelivered.MaxAge.TotalDays:0.##} days and {_undelivered.MaxMegabytes} MB (Events:RetainUndelivered)");

    /// <summary>Removes undelivered events past the age, then past the size bound; returns how many. Only for an outbox without sinks.</summary>
    public long RemoveUndelivered(SqliteConnection db, DateTimeOffset now)
    {
        var cutoff = Stamp(now - _undelivered.MaxAge);
        var removed = RemoveInChunks(db, "DELETE FROM events WHERE seq IN (SELECT seq FROM events ORDER BY seq LIMIT $chunk) AND enqueued_at < $cutoff", cutoff);
        var maxBytes = _undelivered.MaxMegabytes * 1024L * 1024;
        while (UsedBytes(db) > maxBytes)
        {
            var count = Execute(db, "DELETE FROM events WHERE seq IN (SELECT seq FROM events ORDER BY seq LIMIT $chunk)", cutoff: null);
            if (count == 0)
            {
                break; // the rest is schema and the poison table
            }

            removed += count;
        }

        return removed;
    }

    /// <summary>Removes poison rows past the age, then the oldest past the count; returns how many.</summary>
    public long RemovePoison(SqliteConnection db, DateTimeOffset now)
    {
        var removed = RemoveInChunks(db, "DELETE FROM poison WHERE id IN (SELECT id FROM poison ORDER BY id LIMIT $chunk) AND at < $cutoff", Stamp(now - _poison.MaxAge));
        var excess = db.ReadInt64("SELECT COUNT(*) FROM poison") - _poison.MaxEvents;
        if (excess > 0)
        {
            using var trim = db.CreateCommand();
            trim.CommandText = "DELETE FROM poison WHERE id IN (SELECT id FROM poison ORDER BY id LIMIT $excess)";
            trim.Parameters.AddWithValue("$excess", excess);
            removed += trim.ExecuteNonQuery();
        }

        return removed;
    }

    /// <summary>
    /// Gives up to <see cref="ReclaimPages"/> free pages back to the file system and checkpoints, so the file (and its
    /// WAL, capped by <c>journal_size_limit</c>) shrinks. Returns true when more remain to reclaim.
    /// </summary>
    public static bool ReclaimSome(SqliteConnection db)
    {
        if (db.ReadInt64("PRAGMA auto_vacuum") != EventOutbox.AutoVacuumIncremental
            || db.ReadInt64("PRAGMA freelist_count") * db.ReadInt64("PRAGMA page_size") < ReclaimThresholdBytes)
        {
            return false;
        }

        using (var vacuum = db.CreateCommand())
        {
            vacuum.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA incremental_vacuum({ReclaimPages})");
            vacuum.ExecuteNonQuery();
        }

        db.ReadInt64("PRAGMA wal_checkpoint(PASSIVE)");
        return db.ReadInt64("PRAGMA freelist_count") > 0;
    }

    /// <summary>Bytes of the file holding data (pages in use).</summary>
    public static long UsedBytes(SqliteConnection db) =>
        (db.ReadInt64("PRAGMA page_count") - db.ReadInt64("PRAGMA freelist_count")) * db.ReadInt64("PRAGMA page_size");

    // The outbox stores times as round-trip UTC text, which sorts as the times do.
    private static string Stamp(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static long RemoveInChunks(SqliteConnection db, string sql, string cutoff)
    {
        long removed = 0;
        int count;
        do
        {
            count = Execute(db, sql, cutoff);
            removed += count;
        }
        while (count == Chunk);

        return removed;
    }

    private static int Execute(SqliteConnection db, string sql, string? cutoff)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$chunk", Chunk);
        if (cutoff is not null)
        {
            command.Parameters.AddWithValue("$cutoff", cutoff);
        }

        return command.ExecuteNonQuery();
    }
}
