using Npgsql;

namespace HgCounter.Runtime.Tests.Sinks;

/// <summary>Reads back what a test's table holds.</summary>
internal static class PostgresTable
{
    public static string NewName() => "events_" + Guid.NewGuid().ToString("N")[..12];

    public static async Task<List<Guid>> EventIdsAsync(string connectionString, string table, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT event_id FROM {table}", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }
}
