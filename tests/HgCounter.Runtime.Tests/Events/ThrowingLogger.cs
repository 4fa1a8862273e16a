using Microsoft.Extensions.Logging;

namespace HgCounter.Runtime.Tests.Events;

/// <summary>A broken logging provider: throws on every entry at or above <paramref name="from"/> (others are dropped).</summary>
internal sealed class ThrowingLogger<T>(LogLevel from) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel >= from)
        {
            throw new InvalidOperationException("the log sink is broken");
        }
    }
}
