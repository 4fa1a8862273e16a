using System.Globalization;
using Microsoft.Data.Sqlite;

namespace HgCounter.Runtime.Events;

/// <summary>Small reads of the outbox file: counts and pragmas.</summary>
internal static class SqliteConnectionExtensions
{
    /// <summary>The first column of the first row of <paramref name="sql"/> as a number.</summary>
    public static long ReadInt64(this SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
