using HgCounter.Configuration;
using HgCounter.Events;
using Microsoft.Extensions.Logging;

namespace HgCounter.Runtime.Sinks;

/// <summary>
/// Builds the built-in sinks (<c>postgres</c>, <c>http</c>, <c>jsonl</c>) from <see cref="SinkOptions"/> and owns them:
/// disposing the factory disposes every sink it made (connection pools, HTTP clients, file handles).
/// </summary>
public sealed class CountEventSinkFactory : IAsyncDisposable, IDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly List<ICountEventSink> _created = [];
    private readonly Lock _gate = new();

    /// <summary>Creates the factory.</summary>
    public CountEventSinkFactory(ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _loggerFactory = loggerFactory;
        _time = timeProvider;
    }

    /// <summary>Whether <paramref name="type"/> is a sink type this factory builds.</summary>
    public static bool IsBuiltIn(string type) =>
        type.Equals("postgres", StringComparison.OrdinalIgnoreCase)
        || type.Equals("http", StringComparison.OrdinalIgnoreCase)
        || type.Equals("jsonl", StringComparison.OrdinalIgnoreCase);

    /// <summary>Builds the sink <paramref name="options"/> describe.</summary>
    /// <exception cref="ArgumentException">Unknown type or missing setting; the message names the sink, never a secret.</exception>
    public ICountEventSink Create(SinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ICountEventSink sink = options.Type.ToUpperInvariant() switch
        {
            "POSTGRES" => new PostgresSink(options, _loggerFactory.CreateLogger<PostgresSink>(), _time),
            "HTTP" => new HttpSink(options, _loggerFactory.CreateLogger<HttpSink>(), _time),
            "JSONL" => new JsonlSink(options, _loggerFactory.CreateLogger<JsonlSink>(), _time),
            _ => throw new ArgumentException($"Sink '{options.Name ?? options.Type}': unknown type '{options.Type}' (postgres, http or jsonl).", nameof(options)),
        };
        lock (_gate)
        {
            _created.Add(sink);
        }

        return sink;
    }

    /// <summary>Builds every built-in sink in <paramref name="sinks"/>, skipping types this factory does not know (added with the builder).</summary>
    public IReadOnlyList<ICountEventSink> CreateBuiltIn(IEnumerable<SinkOptions> sinks)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        return sinks.Where(s => IsBuiltIn(s.Type)).Select(Create).ToArray();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var sink in TakeCreated())
        {
            switch (sink)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private ICountEventSink[] TakeCreated()
    {
        lock (_gate)
        {
            var created = _created.ToArray();
            _created.Clear();
            return created;
        }
    }
}
