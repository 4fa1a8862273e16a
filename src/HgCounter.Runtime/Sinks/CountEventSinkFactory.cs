using HgCounter.Configuration;
using HgCounter.Events;
using Microsoft.Extensions.Logging;

namespace HgCounter.Runtime.Sinks;

/// <summary>
/// Builds the built-in sinks (<c>http</c>, <c>jsonl</c>) from their options and owns them, and the sinks of sink packages
/// (<c>HgCounter.Sinks.PostgreSql</c>) handed to it: disposing the factory disposes every one (connection pools, HTTP
/// clients, file handles).
/// </summary>
internal sealed class CountEventSinkFactory : IAsyncDisposable, IDisposable
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
        type.Equals(HttpSinkOptions.SinkType, StringComparison.OrdinalIgnoreCase)
        || type.Equals(JsonlSinkOptions.SinkType, StringComparison.OrdinalIgnoreCase);

    /// <summary>Builds the sink <paramref name="options"/> describe: <see cref="HttpSinkOptions"/> or <see cref="JsonlSinkOptions"/>.</summary>
    /// <exception cref="ArgumentException">Other options or a missing setting; the message names the sink, never a secret.</exception>
    public ICountEventSink Create(SinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Own<ICountEventSink>(options switch
        {
            HttpSinkOptions http => new HttpSink(http, _loggerFactory.CreateLogger<HttpSink>(), _time),
            JsonlSinkOptions jsonl => new JsonlSink(jsonl, _loggerFactory.CreateLogger<JsonlSink>(), _time),
            _ => throw new ArgumentException($"Sink '{options.Name ?? options.Type}': type '{options.Type}' ({options.GetType().Name}) is not built in (http or jsonl).", nameof(options)),
        });
    }

    /// <summary>Takes ownership of <paramref name="sink"/>: it is disposed with the factory.</summary>
    internal TSink Own<TSink>(TSink sink)
        where TSink : ICountEventSink
    {
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
