using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HgCounter.Runtime.Events;

/// <summary>
/// Which sink has handled which event: confirmations (<c>deliveries</c>), events set aside as poison, and the rule that
/// an event leaves the outbox once every configured sink has handled it. The uploader's sink lanes read and mark here.
/// </summary>
internal sealed partial class OutboxDeliveryLedger(OutboxDatabase database, TimeProvider time, ILogger logger)
{
    private int _requiredSinks;

    /// <summary>True once <see cref="SetSinks"/> was called.</summary>
    public bool SinksKnown { get; private set; }

    /// <summary>How many sinks every event must reach; 0 keeps events locally only.</summary>
    public int RequiredSinks => Volatile.Read(ref _requiredSinks);

    /// <summary>Declares the sinks; see <see cref="EventOutbox.SetSinks"/>.</summary>
    public void SetSinks(IReadOnlyCollection<string> sinkNames)
    {
        lock (database.Gate)
        {
            using var transaction = database.Connection.BeginTransaction();
            if (sinkNames.Count > 0)
            {
                var names = sinkNames.Select((_, i) => "$s" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
                using var forget = database.Command($"DELETE FROM deliveries WHERE sink NOT IN ({string.Join(", ", names)})", transaction);
                var index = 0;
                foreach (var name in sinkNames)
                {
                    forget.Parameters.AddWithValue(names[index++], name);
                }

                forget.ExecuteNonQuery();
                using var prune = database.Command("DELETE FROM events WHERE (SELECT COUNT(*) FROM deliveries d WHERE d.seq = events.seq) >= $required", transaction);
                prune.Parameters.AddWithValue("$required", sinkNames.Count);
                prune.ExecuteNonQuery();
            }

            transaction.Commit();
            Volatile.Write(ref _requiredSinks, sinkNames.Count);
            SinksKnown = true;
            database.SetPending(database.Connection.ReadInt64("SELECT COUNT(*) FROM events"));
        }
    }

    /// <summary>See <see cref="EventOutbox.ReadPending"/>. Returns how many unreadable rows were set aside in <paramref name="unreadable"/>.</summary>
    public IReadOnlyList<OutboxEntry> ReadPending(string sink, long afterSequence, int max, out int unreadable)
    {
        var result = new List<OutboxEntry>();
        unreadable = 0;
        lock (database.Gate)
        {
            while (result.Count == 0)
            {
                using var command = database.Command("""
                    SELECT seq, event_id, payload FROM events e
                    WHERE seq > $after AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.seq = e.seq AND d.sink = $sink)
                    ORDER BY seq LIMIT $max
                    """);
                command.Parameters.AddWithValue("$after", afterSequence);
                command.Parameters.AddWithValue("$sink", sink);
                command.Parameters.AddWithValue("$max", max);
                var bad = new List<(long Sequence, string EventId, string Payload, string Reason)>();
                var rows = 0;
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        rows++;
                        afterSequence = reader.GetInt64(0);
                        var payload = reader.GetString(2);
                        try
                        {
                            result.Add(new OutboxEntry(afterSequence, CountEventJson.Deserialize(payload), payload));
                        }
                        catch (Exception ex)
                        {
                            // Deserialize is pure: whatever it throws is about this row alone.
                            bad.Add((afterSequence, reader.GetString(1), payload, $"unreadable payload ({ex.GetType().Name}: {ex.Message})"));
                        }
                    }
                }

                foreach (var row in bad)
                {
                    Poison(sink, row.Sequence, row.EventId, row.Payload, row.Reason);
                    LogUnreadable(logger, row.EventId, database.Path, sink, row.Reason);
                }

                unreadable += bad.Count;
                if (rows < max)
                {
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>Records that <paramref name="sink"/> confirmed these events; removes those every sink has confirmed.</summary>
    public void MarkDelivered(string sink, IReadOnlyList<OutboxEntry> entries)
    {
        lock (database.Gate)
        {
            using var transaction = database.Connection.BeginTransaction();
            var removed = 0;
            foreach (var entry in entries)
            {
                removed += RecordHandled(transaction, sink, entry.Sequence);
            }

            transaction.Commit();
            database.AddPending(-removed);
        }
    }

    /// <summary>Sets an event <paramref name="sink"/> rejected permanently aside and counts it as handled by that sink.</summary>
    public void MarkPoison(string sink, OutboxEntry entry, string reason)
    {
        lock (database.Gate)
        {
            Poison(sink, entry.Sequence, entry.Event.EventId.ToString(), entry.Payload, reason);
        }
    }

    /// <summary>Events set aside as poison, newest first.</summary>
    public IReadOnlyList<PoisonedEvent> ReadPoison(int max)
    {
        lock (database.Gate)
        {
            using var command = database.Command("SELECT event_id, sink, reason, at FROM poison ORDER BY id DESC LIMIT $max");
            command.Parameters.AddWithValue("$max", max);
            using var reader = command.ExecuteReader();
            var result = new List<PoisonedEvent>();
            while (reader.Read())
            {
                // An unreadable row keeps whatever id text it had; Guid.Empty if even that is not a GUID.
                result.Add(new PoisonedEvent(
                    Guid.TryParse(reader.GetString(0), out var id) ? id : Guid.Empty,
                    reader.GetString(1),
                    reader.GetString(2),
                    DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture)));
            }

            return result;
        }
    }

    /// <summary>See <see cref="EventOutbox.RedrivePoisoned"/>.</summary>
    public int RedrivePoisoned(string? sink)
    {
        int moved;
        lock (database.Gate)
        {
            using var transaction = database.Connection.BeginTransaction();
            var rows = new List<(long Id, string EventId, string Sink, string Payload)>();
            using (var select = database.Command("SELECT id, event_id, sink, payload FROM poison WHERE $sink IS NULL OR sink = $sink ORDER BY id", transaction))
            {
                select.Parameters.AddWithValue("$sink", (object?)sink ?? DBNull.Value);
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
                }
            }

            long added = 0;
            foreach (var group in rows.GroupBy(r => r.EventId, StringComparer.Ordinal))
            {
                added += Requeue(transaction, group.Key, group.First().Payload, group.Select(r => r.Sink).ToHashSet(StringComparer.Ordinal));
            }

            foreach (var row in rows)
            {
                using var delete = database.Command("DELETE FROM poison WHERE id = $id", transaction);
                delete.Parameters.AddWithValue("$id", row.Id);
                delete.ExecuteNonQuery();
            }

            transaction.Commit();
            moved = rows.Count;
            database.AddPoison(-moved);
            database.AddPending(added);
        }

        if (moved > 0)
        {
            LogRedriven(logger, moved, sink ?? "every sink", database.Path);
        }

        return moved;
    }

    // Caller holds the gate.
    private void Poison(string sink, long sequence, string eventId, string payload, string reason)
    {
        using var transaction = database.Connection.BeginTransaction();
        using var insert = database.Command("""
            INSERT OR IGNORE INTO poison (event_id, sink, payload, reason, at) VALUES ($id, $sink, $payload, $reason, $at)
            """, transaction);
        insert.Parameters.AddWithValue("$id", eventId);
        insert.Parameters.AddWithValue("$sink", sink);
        insert.Parameters.AddWithValue("$payload", payload);
        insert.Parameters.AddWithValue("$reason", reason);
        insert.Parameters.AddWithValue("$at", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        var added = insert.ExecuteNonQuery();
        var removed = RecordHandled(transaction, sink, sequence);
        transaction.Commit();
        database.AddPoison(added);
        database.AddPending(-removed);
    }

    // Caller holds the gate. Puts the event at the end of the queue (a new seq, so a running lane's cursor reaches it),
    // keeping the confirmations of sinks other than those it is re-driven for. Returns 1 when the row was new.
    private int Requeue(SqliteTransaction transaction, string eventId, string payload, HashSet<string> redriveFor)
    {
        long? oldSequence = null;
        var confirmedBy = new List<string>();
        using (var find = database.Command("SELECT seq FROM events WHERE event_id = $id", transaction))
        {
            find.Parameters.AddWithValue("$id", eventId);
            if (find.ExecuteScalar() is long seq)
            {
                oldSequence = seq;
            }
        }

        if (oldSequence is { } old)
        {
            using (var sinks = database.Command("SELECT sink FROM deliveries WHERE seq = $seq", transaction))
            {
                sinks.Parameters.AddWithValue("$seq", old);
                using var reader = sinks.ExecuteReader();
                while (reader.Read())
                {
                    confirmedBy.Add(reader.GetString(0));
                }
            }

            using var remove = database.Command("DELETE FROM events WHERE seq = $seq", transaction); // cascades to deliveries
            remove.Parameters.AddWithValue("$seq", old);
            remove.ExecuteNonQuery();
        }

        using var insert = database.Command("INSERT INTO events (event_id, payload, enqueued_at) VALUES ($id, $payload, $at) RETURNING seq", transaction);
        insert.Parameters.AddWithValue("$id", eventId);
        insert.Parameters.AddWithValue("$payload", payload);
        insert.Parameters.AddWithValue("$at", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        var sequence = Convert.ToInt64(insert.ExecuteScalar(), CultureInfo.InvariantCulture);
        foreach (var confirmed in confirmedBy.Where(s => !redriveFor.Contains(s)))
        {
            using var mark = database.Command("INSERT INTO deliveries (seq, sink) VALUES ($seq, $sink)", transaction);
            mark.Parameters.AddWithValue("$seq", sequence);
            mark.Parameters.AddWithValue("$sink", confirmed);
            mark.ExecuteNonQuery();
        }

        return oldSequence is null ? 1 : 0;
    }

    // Caller holds the gate.
    private int RecordHandled(SqliteTransaction transaction, string sink, long sequence)
    {
        using var mark = database.Command("INSERT OR IGNORE INTO deliveries (seq, sink) VALUES ($seq, $sink)", transaction);
        mark.Parameters.AddWithValue("$seq", sequence);
        mark.Parameters.AddWithValue("$sink", sink);
        mark.ExecuteNonQuery();
        using var remove = database.Command("DELETE FROM events WHERE seq = $seq AND (SELECT COUNT(*) FROM deliveries WHERE seq = $seq) >= $required", transaction);
        remove.Parameters.AddWithValue("$seq", sequence);
        remove.Parameters.AddWithValue("$required", Math.Max(RequiredSinks, 1));
        return remove.ExecuteNonQuery();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} poisoned event(s) for {Sink} moved back to pending in the outbox {Path}")]
    private static partial void LogRedriven(ILogger logger, int count, string sink, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {EventId} in the outbox {Path} cannot be read; it was set aside in the poison table for sink {Sink}: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string eventId, string path, string sink, string reason);
}
