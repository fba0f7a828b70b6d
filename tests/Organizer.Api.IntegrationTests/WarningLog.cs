using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Organizer.Api.IntegrationTests;

/// <summary>Keeps what the app logs at Warning or above, as "Level: message" lines, for a test to read.</summary>
internal sealed class WarningLog(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
        }
    }

    public void Dispose()
    {
    }
}
