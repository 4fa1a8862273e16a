using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace HgCounter.Runtime.Tests.Events;

/// <summary>Keeps every formatted log line (with its exception text) in memory, to check what reaches the logs.</summary>
internal sealed class LogCapture
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public string All => string.Join('\n', _lines);

    public ILogger<T> For<T>() => new Logger<T>(this);

    private sealed class Logger<T>(LogCapture capture) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture._lines.Enqueue($"{logLevel} {typeof(T).Name}: {formatter(state, exception)} {exception}");
    }
}
