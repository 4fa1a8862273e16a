using HgCounter.Runtime.History;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HgCounter.Runtime.Events;

/// <summary>Opens the outbox file with its settings (WAL, <c>synchronous=FULL</c>, incremental vacuum) and creates its tables.</summary>
internal static partial class OutboxSchema
{
    // Reads only what start-up needs (schema, counts from the indexes); the full check runs after, in the background.
    public static SqliteConnection Open(string path, ILogger logger)
    {
        // No pooling: moving a corrupt file aside needs it really closed, and there is one long-lived connection anyway.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            using var setup = connection.CreateCommand();
            // auto_vacuum first: on a new file it only takes effect before the first table exists.
            setup.CommandText = $"""
                PRAGMA auto_vacuum = INCREMENTAL;
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                PRAGMA foreign_keys = ON;
                PRAGMA journal_size_limit = {EventOutbox.JournalSizeLimitBytes};
                CREATE TABLE IF NOT EXISTS events (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    event_id TEXT NOT NULL UNIQUE,
                    payload TEXT NOT NULL,
                    enqueued_at TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS deliveries (
                    seq INTEGER NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
                    sink TEXT NOT NULL,
                    PRIMARY KEY (seq, sink)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS poison (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    event_id TEXT NOT NULL,
                    sink TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    at TEXT NOT NULL,
                    UNIQUE (event_id, sink));
                {CountHistorySchema.CreateTables}
                """;
            setup.ExecuteNonQuery();
            ConvertToIncrementalVacuum(connection, path, logger);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // A file made before auto_vacuum was set needs one VACUUM to switch; done only while that is quick (a small file).
    // A larger one keeps reusing its free pages and is converted at the first start that finds it small.
    private static void ConvertToIncrementalVacuum(SqliteConnection connection, string path, ILogger logger)
    {
        if (connection.ReadInt64("PRAGMA auto_vacuum") == EventOutbox.AutoVacuumIncremental)
        {
            return;
        }

        var size = connection.ReadInt64("PRAGMA page_count") * connection.ReadInt64("PRAGMA page_size");
        if (size >= EventOutbox.ConvertToIncrementalVacuumBelowBytes)
        {
            LogVacuumConversionDeferred(logger, path, size);
            return;
        }

        using var vacuum = connection.CreateCommand();
        vacuum.CommandText = "PRAGMA auto_vacuum = INCREMENTAL; VACUUM;";
        vacuum.ExecuteNonQuery();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The outbox {Path} predates auto_vacuum and is {Bytes} bytes: it is converted at a start that finds it smaller than 16 MiB; until then free pages are reused, not given back")]
    private static partial void LogVacuumConversionDeferred(ILogger logger, string path, long bytes);
}
