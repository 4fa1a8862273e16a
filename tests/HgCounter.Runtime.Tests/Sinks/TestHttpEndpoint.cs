using System.Collections.Concurrent;

namespace HgCounter.Runtime.Tests.Sinks;

/// <summary>
/// A real HTTP server on 127.0.0.1 (an <see cref="HttpBackend"/>) that answers with scripted status codes (the last one
/// repeats) and records each request's headers and body.
/// </summary>
internal sealed class TestHttpEndpoint : IAsyncDisposable
{
    private readonly HttpBackend _backend = new();
    private readonly ConcurrentQueue<int> _script;
    private int _lastStatus;

    public TestHttpEndpoint(params int[] statuses)
    {
        _script = new ConcurrentQueue<int>(statuses);
        _lastStatus = statuses.Length > 0 ? statuses[^1] : 201;
        _backend.Answer = _ => new HttpBackend.Reply(_script.TryDequeue(out var next) ? _lastStatus = next : _lastStatus);
    }

    public int Port => _backend.Port;

    public string Url => _backend.Url;

    /// <summary>Text the server puts in every error body (to check that echoed secrets are redacted).</summary>
    public string ErrorBody
    {
        get => _backend.ErrorBody;
        set => _backend.ErrorBody = value;
    }

    public ConcurrentQueue<RecordedRequest> Requests => _backend.Requests;

    public ValueTask DisposeAsync() => _backend.DisposeAsync();

    public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        /// <summary>The body exactly as it arrived.</summary>
        public byte[] RawBody { get; init; } = [];
    }
}
