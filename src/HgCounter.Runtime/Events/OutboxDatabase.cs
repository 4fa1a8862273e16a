using Microsoft.Data.Sqlite;

namespace HgCounter.Runtime.Events;

/// <summary>
/// What the parts of the outbox share: the one connection to the file (replaced when a corrupt file is moved aside),
/// the lock every statement runs under, and the counts the file holds. Members that touch <see cref="Connection"/>
/// expect the caller to hold <see cref="Gate"/>.
/// </summary>
internal sealed class OutboxDatabase(string path)
{
    private long _pendingCount;
    private long _poisonCount;

    /// <summary>Full path of the SQLite file.</summary>
    public string Path { get; } = path;

    /// <summary>Held for every statement: one connection, one statement at a time.</summary>
    public Lock Gate { get; } = new();

    /// <summary>The open connection; set at open and when a corrupt file is replaced (under <see cref="Gate"/>).</summary>
    public SqliteConnection Connection { get; set; } = null!;

    /// <summary>The events table's last sequence number when the file was opened.</summary>
    public long SequenceAtOpen { get; set; }

    /// <summary>Events inserted since the file was opened (the writer's count, under <see cref="Gate"/>).</summary>
    public long StoredSinceOpen { get; set; }

    public long PendingCount => Interlocked.Read(ref _pendingCount);

    public long PoisonCount => Interlocked.Read(ref _poisonCount);

    public void AddPending(long delta) => Interlocked.Add(ref _pendingCount, delta);

    public void AddPoison(long delta) => Interlocked.Add(ref _poisonCount, delta);

    public void SetPending(long value) => Interlocked.Exchange(ref _pendingCount, value);

    /// <summary>Takes the counts from the file, after it was opened or replaced. Caller holds <see cref="Gate"/>.</summary>
    public void RecountFromFile(bool sequenceFromFile)
    {
        Interlocked.Exchange(ref _pendingCount, Connection.ReadInt64("SELECT COUNT(*) FROM events"));
        Interlocked.Exchange(ref _poisonCount, Connection.ReadInt64("SELECT COUNT(*) FROM poison"));
        if (sequenceFromFile)
        {
            SequenceAtOpen = Connection.ReadInt64("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)");
            StoredSinceOpen = 0;
        }
    }

    /// <summary>A command on the connection. Caller holds <see cref="Gate"/>.</summary>
    public SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>A number read under the lock.</summary>
    public long Scalar(string sql)
    {
        lock (Gate)
        {
            return Connection.ReadInt64(sql);
        }
    }
}
