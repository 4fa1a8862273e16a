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

    /// <summary>A provider for a host's logging (<c>builder.Logging.AddProvider</c>): every category lands here.</summary>
    public ILoggerProvider Provider() => new CaptureProvider(this);

    private void Add<TState>(string category, LogLevel logLevel, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");

    private sealed class Logger<T>(LogCapture capture) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture.Add(typeof(T).Name, logLevel, state, exception, formatter);
    }

    private sealed class CategoryLogger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture.Add(category, logLevel, state, exception, formatter);
    }

    private sealed class CaptureProvider(LogCapture capture) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CategoryLogger(capture, categoryName);

        public void Dispose()
        {
        }
    }
}
