using Microsoft.Data.Sqlite;

namespace HgCounter.Runtime.Events;

/// <summary>
/// <c>PRAGMA quick_check</c> of the outbox file on a read-only connection of its own. It reads the whole file, so the
/// outbox runs it after start-up rather than on the start path (a large outbox on slow storage would otherwise hold
/// start-up past a service manager's timeout); WAL lets it read while the writer goes on.
/// </summary>
internal static class OutboxIntegrityCheck
{
    private const int SqliteInterrupt = 9;

    /// <summary>Null when the file is sound; otherwise what SQLite reported.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (the check is interrupted, not waited for).</exception>
    public static string? Run(string path, CancellationToken cancellationToken)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var interrupt = cancellationToken.Register(() => SQLitePCL.raw.sqlite3_interrupt(connection.Handle));
        using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA quick_check";
        try
        {
            var verdict = check.ExecuteScalar() as string;
            return string.Equals(verdict, "ok", StringComparison.Ordinal) ? null : $"quick_check reported: {verdict}";
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteInterrupt)
        {
            throw new OperationCanceledException("The outbox integrity check was interrupted.", ex, cancellationToken);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is EventOutbox.SqliteCorrupt or EventOutbox.SqliteNotADatabase)
        {
            return ex.Message;
        }
    }
}
