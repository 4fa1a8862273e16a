using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace HgCounter.Runtime.Tests.Sinks;

/// <summary>
/// A real HTTP server on 127.0.0.1 (HttpListener) whose answer to each request is decided by <see cref="Answer"/>,
/// which the test may swap at any time (a backend whose key was rotated, that moved, that is busy). Records every request.
/// </summary>
internal sealed class HttpBackend : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public HttpBackend()
    {
        Port = HgCounter.Testing.FreePort.Next();
        Url = $"http://127.0.0.1:{Port}/rest/v1/count_events";
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url { get; }

    /// <summary>Decides the status and extra response headers for a request; 201 with no headers by default.</summary>
    public volatile Func<TestHttpEndpoint.RecordedRequest, Reply> Answer = _ => new Reply(201);

    /// <summary>Text the server puts in every error body (to check that echoed secrets are redacted).</summary>
    public string ErrorBody { get; set; } = "{\"message\":\"rejected\"}";

    public ConcurrentQueue<TestHttpEndpoint.RecordedRequest> Requests { get; } = new();

    /// <summary>Requests that got a 2xx, i.e. what the backend stored.</summary>
    public ConcurrentQueue<TestHttpEndpoint.RecordedRequest> Accepted { get; } = new();

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().WaitAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            // The exact bytes too: a signature is over bytes, not over a decoded string.
            using var raw = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(raw);
            var rawBody = raw.ToArray();
            var body = Encoding.UTF8.GetString(rawBody);
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            var request = new TestHttpEndpoint.RecordedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, headers, body) { RawBody = rawBody };
            Requests.Enqueue(request);
            var reply = Answer(request);
            if (reply.Status is >= 200 and < 300)
            {
                Accepted.Enqueue(request);
            }

            context.Response.StatusCode = reply.Status;
            foreach (var (key, value) in reply.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[key] = value;
            }

            if (reply.Status >= 300)
            {
                await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(ErrorBody));
            }

            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        await _loop.WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    public sealed record Reply(int Status, IReadOnlyDictionary<string, string>? Headers = null);
}
