using Microsoft.Extensions.Logging;

namespace HgCounter.Runtime.Tests.Events;

/// <summary>
/// A broken logging provider: throws on the first <paramref name="times"/> entries at or above <paramref name="from"/>
/// (every one by default); all other entries are dropped.
/// </summary>
internal sealed class ThrowingLogger<T>(LogLevel from, int times = int.MaxValue) : ILogger<T>
{
    private int _thrown;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel >= from && Interlocked.Increment(ref _thrown) <= times)
        {
            throw new InvalidOperationException("the log sink is broken");
        }
    }
}
