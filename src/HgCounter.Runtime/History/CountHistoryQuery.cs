using Microsoft.Data.Sqlite;

namespace HgCounter.Runtime.History;

/// <summary>
/// Reads count history rows from an outbox file on a read-only connection of its own (WAL: never in the writer's way).
/// A bucket the camera covered gets a row for every series (target, direction, class) the camera has in the range, with
/// 0 where nothing was counted; one without any series gets one row with empty target, direction and class. A bucket
/// it did not cover and counted nothing in has no row.
/// </summary>
internal static class CountHistoryQuery
{
    public static IReadOnlyList<CountHistoryRow> Read(string path, LocalBuckets buckets, string? camera, DateTimeOffset from, DateTimeOffset to, CountBucketSize size)
    {
        if (to <= from)
        {
            throw new ArgumentException($"The end of the range ({to:O}) must be after its start ({from:O}).", nameof(to));
        }

        if (!File.Exists(path))
        {
            return [];
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var sizeText = CountBucketSizeText.Format(size);
        var counts = new Dictionary<(long Start, string Camera), List<(string Target, string Direction, string Class, long Count)>>();
        var series = new Dictionary<string, SortedSet<(string Target, string Direction, string Class)>>(StringComparer.Ordinal);
        using (var command = Command(connection, "SELECT start, camera, target, direction, class, count FROM count_buckets WHERE size = $size AND start >= $from AND start < $to AND ($camera IS NULL OR camera = $camera)", sizeText, camera, from, to))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var key = (reader.GetInt64(0), reader.GetString(1));
                var entry = (reader.GetString(2), reader.GetString(3), reader.GetString(4));
                if (!counts.TryGetValue(key, out var list))
                {
                    counts[key] = list = [];
                }

                list.Add((entry.Item1, entry.Item2, entry.Item3, reader.GetInt64(5)));
                if (!series.TryGetValue(key.Item2, out var set))
                {
                    series[key.Item2] = set = [];
                }

                set.Add(entry);
            }
        }

        var coverage = new Dictionary<(long Start, string Camera), long>();
        using (var command = Command(connection, "SELECT start, camera, covered_ms FROM count_coverage WHERE size = $size AND start >= $from AND start < $to AND ($camera IS NULL OR camera = $camera)", sizeText, camera, from, to))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                coverage[(reader.GetInt64(0), reader.GetString(1))] = reader.GetInt64(2);
            }
        }

        var rows = new List<CountHistoryRow>();
        foreach (var key in counts.Keys.Union(coverage.Keys).OrderBy(k => k.Start).ThenBy(k => k.Camera, StringComparer.Ordinal))
        {
            var start = buckets.ToLocal(DateTimeOffset.FromUnixTimeSeconds(key.Start));
            var covered = coverage.GetValueOrDefault(key) / 1000.0;
            var counted = counts.GetValueOrDefault(key) ?? [];
            if (!series.TryGetValue(key.Camera, out var cameraSeries))
            {
                rows.Add(new CountHistoryRow(start, key.Camera, string.Empty, string.Empty, string.Empty, 0, covered));
                continue;
            }

            foreach (var (target, direction, @class) in cameraSeries)
            {
                var count = counted.FirstOrDefault(c => c.Target == target && c.Direction == direction && c.Class == @class).Count;
                rows.Add(new CountHistoryRow(start, key.Camera, target, direction, @class, count, covered));
            }
        }

        return rows;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, string size, string? camera, DateTimeOffset from, DateTimeOffset to)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$size", size);
        command.Parameters.AddWithValue("$camera", (object?)camera ?? DBNull.Value);
        command.Parameters.AddWithValue("$from", from.ToUnixTimeSeconds());
        command.Parameters.AddWithValue("$to", to.ToUnixTimeSeconds());
        return command;
    }
}
