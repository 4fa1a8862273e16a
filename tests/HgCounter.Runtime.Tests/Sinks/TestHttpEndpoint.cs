using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HgCounter.Runtime.Tests.Sinks;

/// <summary>
/// A real HTTP server on 127.0.0.1 (HttpListener) that answers with scripted status codes (the last one repeats)
/// and records each request's headers and body.
/// </summary>
internal sealed class TestHttpEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<int> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _lastStatus;

    public TestHttpEndpoint(params int[] statuses)
    {
        _script = new ConcurrentQueue<int>(statuses);
        _lastStatus = statuses.Length > 0 ? statuses[^1] : 201;
        Port = HgCounter.Testing.FreePort.Next();
        Url = $"http://127.0.0.1:{Port}/rest/v1/count_events";
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url { get; }

    /// <summary>Text the server puts in every error body (to check that echoed secrets are redacted).</summary>
    public string ErrorBody { get; set; } = "{\"message\":\"rejected\"}";

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

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

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            Requests.Enqueue(new RecordedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, headers, body));
            var status = _script.TryDequeue(out var next) ? _lastStatus = next : _lastStatus;
            context.Response.StatusCode = status;
            if (status >= 300)
            {
                var bytes = Encoding.UTF8.GetBytes(ErrorBody);
                await context.Response.OutputStream.WriteAsync(bytes);
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

    public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);
}
