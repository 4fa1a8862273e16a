using System.Net.Sockets;
using System.Text.RegularExpressions;
using HgCounter.Configuration;
using HgCounter.Events;
using HgCounter.Security;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace HgCounter.Runtime.Sinks;

/// <summary>
/// Writes count events into a PostgreSQL table (any PostgreSQL 12+, including a hosted Supabase database), creating the
/// table if it is missing. Idempotent: <c>INSERT … ON CONFLICT DO NOTHING</c> on the <c>event_id</c> primary key, one statement per batch.
/// Outages and timeouts are transient; configuration errors (SQLSTATE classes 28, 3D, 3F, 42: password, database,
/// grants, table, column) are logged as errors and retried as <see cref="SinkFailureKind.Configuration"/> (fix the
/// server, delivery resumes); data the server refuses (SQLSTATE classes 22 and 23) is <see cref="SinkFailureKind.Rejected"/>,
/// so the outbox looks for the one event at fault. An INSERT-only role is enough once the table exists.
/// </summary>
internal sealed partial class PostgresSink : ICountEventSink, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<PostgresSink> _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly string[] _secrets;
    private readonly string _table;
    private readonly string _insertSql;
    private volatile bool _tableReady;
    private string? _lastConfigurationError;

    /// <summary>Creates the sink from <see cref="PostgreSqlSinkOptions.ConnectionString"/>, <see cref="PostgreSqlSinkOptions.Table"/> and <see cref="SinkOptions.Timeout"/>.</summary>
    public PostgresSink(PostgreSqlSinkOptions options, ILogger<PostgresSink> logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Name = options.Name ?? options.Type;
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException($"Sink '{Name}': ConnectionString is required for a postgres sink.", nameof(options));
        }

        if (!TableName().IsMatch(options.Table))
        {
            throw new ArgumentException($"Sink '{Name}': '{options.Table}' is not a plain table name (table or schema.table).", nameof(options));
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException)
        {
            // The parser's message can quote the string itself; say only that it is malformed.
            throw new ArgumentException($"Sink '{Name}': the PostgreSQL connection string is malformed.", nameof(options));
        }

        _secrets = [builder.Password ?? string.Empty, options.ConnectionString];
        var seconds = (int)Math.Ceiling(options.Timeout.TotalSeconds);
        builder.Timeout = Math.Max(builder.Timeout > 0 ? Math.Min(builder.Timeout, seconds) : seconds, 1);
        builder.CommandTimeout = Math.Max(seconds, 1);
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        _logger = logger;
        _time = timeProvider;
        _timeout = options.Timeout;
        _table = options.Table;
        // No conflict target: "ON CONFLICT (event_id)" needs SELECT on event_id, which an INSERT-only role lacks. The
        // table's only unique key is event_id, so this ignores exactly the resent events.
        _insertSql = $"""
            INSERT INTO {_table} (event_id, camera, line, direction, class_id, label, track_id, "timestamp", worker_id, kind, zone, dwell_seconds)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::integer[], $6::text[], $7::bigint[], $8::timestamptz[], $9::text[], $10::text[], $11::text[], $12::double precision[])
            ON CONFLICT DO NOTHING
            """;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public async Task DeliverAsync(IReadOnlyList<CountEvent> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return;
        }

        using var attempt = new AttemptTimeout(_timeout, _time, cancellationToken);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(attempt.Token);
            if (!_tableReady)
            {
                await EnsureTableAsync(connection, attempt.Token);
                _tableReady = true;
            }

            await using var insert = new NpgsqlCommand(_insertSql, connection);
            insert.Parameters.Add(Array(batch, e => e.EventId, NpgsqlDbType.Uuid));
            insert.Parameters.Add(Array(batch, e => e.Camera, NpgsqlDbType.Text));
            insert.Parameters.Add(Array(batch, e => e.Line, NpgsqlDbType.Text));
            insert.Parameters.Add(Array(batch, e => e.Direction.ToString(), NpgsqlDbType.Text));
            insert.Parameters.Add(Array(batch, e => e.ClassId, NpgsqlDbType.Integer));
            insert.Parameters.Add(Array(batch, e => e.Label, NpgsqlDbType.Text));
            insert.Parameters.Add(Array(batch, e => e.TrackId, NpgsqlDbType.Bigint));
            insert.Parameters.Add(Array(batch, e => e.Timestamp.ToUniversalTime(), NpgsqlDbType.TimestampTz));
            insert.Parameters.Add(Array(batch, e => e.WorkerId, NpgsqlDbType.Text));
            insert.Parameters.Add(Array(batch, e => CountEventKindNames.Of(e.Kind), NpgsqlDbType.Text));
            insert.Parameters.Add(Array(batch, e => e.Zone, NpgsqlDbType.Text));
            insert.Parameters.Add(Array(batch, e => e.DwellSeconds, NpgsqlDbType.Double));
            await insert.ExecuteNonQueryAsync(attempt.Token);
            Volatile.Write(ref _lastConfigurationError, null);
        }
        catch (PostgresException ex)
        {
            if (ex.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                _tableReady = false; // dropped behind our back: create it again on the next attempt
            }

            if (IsConfigurationError(ex.SqlState))
            {
                // Not the events' fault: never poison them. Retried with backoff (delivery resumes once someone fixes
                // the grant, password, database or table), but said loudly, once per distinct problem.
                var failure = Failure($"configuration error (SQLSTATE {ex.SqlState}): {ex.MessageText}; fix the role, its grants, the password, the database or the table", SinkFailureKind.Configuration, ex);
                if (!string.Equals(Interlocked.Exchange(ref _lastConfigurationError, ex.SqlState), ex.SqlState, StringComparison.Ordinal))
                {
                    LogConfigurationError(_logger, Name, ex.SqlState, failure.Message);
                }

                throw failure;
            }

            // 22 data exception, 23 integrity violation: the server refuses this data (one row, or all of them when a
            // constraint changed). Anything else may heal.
            var kind = ex.SqlState.StartsWith("22", StringComparison.Ordinal) || ex.SqlState.StartsWith("23", StringComparison.Ordinal)
                ? SinkFailureKind.Rejected
                : SinkFailureKind.Transient;
            throw Failure(ex.Message, kind, ex);
        }
        catch (OperationCanceledException ex) when (attempt.Expired && !cancellationToken.IsCancellationRequested)
        {
            throw Failure($"no answer within {_timeout}", SinkFailureKind.Transient, ex);
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException or IOException)
        {
            throw Failure(ex.Message, SinkFailureKind.Transient, ex);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => _dataSource.Dispose();

    private async Task EnsureTableAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // CREATE TABLE IF NOT EXISTS needs CREATE on the schema even when the table exists, which an INSERT-only role
        // (a hosted database's usual grant) lacks: look first, create only when missing.
        await using var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection);
        exists.Parameters.Add(new NpgsqlParameter { Value = _table, NpgsqlDbType = NpgsqlDbType.Text });
        if (await exists.ExecuteScalarAsync(cancellationToken) is true)
        {
            await AddZoneColumnsAsync(connection, cancellationToken);
            LogTableReady(_logger, Name, _table);
            return;
        }

        await using var create = new NpgsqlCommand(CreateTableSql(_table), connection);
        try
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateObject)
        {
            // Another worker created it at the same moment.
        }

        LogTableReady(_logger, Name, _table);
    }

    // A table made before zones lacks kind, zone and dwell_seconds. The catalogue is readable by any role, so a table that
    // has them is left alone (an INSERT-only role cannot ALTER); one that lacks them gets them, its rows as crossings.
    private async Task AddZoneColumnsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var columns = new NpgsqlCommand(
            "SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname IN ('kind', 'zone', 'dwell_seconds') AND NOT attisdropped",
            connection);
        columns.Parameters.Add(new NpgsqlParameter { Value = _table, NpgsqlDbType = NpgsqlDbType.Text });
        if (await columns.ExecuteScalarAsync(cancellationToken) is long and >= 3)
        {
            return;
        }

        await using var alter = new NpgsqlCommand(AddZoneColumnsSql(_table), connection);
        await alter.ExecuteNonQueryAsync(cancellationToken);
        LogZoneColumnsAdded(_logger, Name, _table);
    }

    // 28 bad login, 3D no such database, 3F no such schema, 42 access rule or schema mismatch (42501 insufficient_privilege,
    // 42P01 undefined_table, 42703 undefined_column): only a person can fix these.
    private static bool IsConfigurationError(string sqlState) =>
        sqlState.StartsWith("28", StringComparison.Ordinal) || sqlState.StartsWith("3D", StringComparison.Ordinal)
        || sqlState.StartsWith("3F", StringComparison.Ordinal) || sqlState.StartsWith("42", StringComparison.Ordinal);

    private SinkDeliveryException Failure(string detail, SinkFailureKind kind, Exception inner) =>
        new($"PostgreSQL sink '{Name}' failed: {Redactor.RedactWith(detail, _secrets)}", kind, inner);

    private static NpgsqlParameter Array<T>(IReadOnlyList<CountEvent> batch, Func<CountEvent, T> select, NpgsqlDbType type)
    {
        var values = new T[batch.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = select(batch[i]);
        }

        return new NpgsqlParameter { Value = values, NpgsqlDbType = NpgsqlDbType.Array | type };
    }

    [GeneratedRegex(PostgreSqlSinkOptions.TablePattern, RegexOptions.CultureInvariant)]
    private static partial Regex TableName();

    [LoggerMessage(Level = LogLevel.Error, Message = "Sink {Sink}: PostgreSQL refuses the configuration (SQLSTATE {SqlState}); events wait in the outbox and are retried with backoff: {Reason}")]
    private static partial void LogConfigurationError(ILogger logger, string sink, string sqlState, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sink {Sink}: table {Table} gained the columns kind, zone and dwell_seconds")]
    private static partial void LogZoneColumnsAdded(ILogger logger, string sink, string table);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sink {Sink}: table {Table} is ready")]
    private static partial void LogTableReady(ILogger logger, string sink, string table);

    /// <summary>The sink's table (docs/events.md), for <paramref name="table"/> already checked as an identifier.</summary>
    internal static string CreateTableSql(string table) => $"""
        CREATE TABLE IF NOT EXISTS {table} (
            event_id uuid PRIMARY KEY,
            camera text NOT NULL,
            line text NOT NULL,
            direction text NOT NULL,
            class_id integer NOT NULL,
            label text NOT NULL,
            track_id bigint NOT NULL,
            "timestamp" timestamptz NOT NULL,
            worker_id text NOT NULL,
            received_at timestamptz NOT NULL DEFAULT now(),
            kind text NOT NULL DEFAULT 'crossing',
            zone text,
            dwell_seconds double precision)
        """;

    /// <summary>Brings a table made before zones to the current columns; existing rows read as crossings.</summary>
    internal static string AddZoneColumnsSql(string table) => $"""
        ALTER TABLE {table}
            ADD COLUMN IF NOT EXISTS kind text NOT NULL DEFAULT 'crossing',
            ADD COLUMN IF NOT EXISTS zone text,
            ADD COLUMN IF NOT EXISTS dwell_seconds double precision
        """;
}
