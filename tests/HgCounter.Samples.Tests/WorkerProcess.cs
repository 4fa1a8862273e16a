using HgCounter.Testing;

namespace HgCounter.Samples.Tests;

/// <summary>The worker sample as a real process on a free port, with an <see cref="HttpClient"/> pointed at it.</summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private WorkerProcess(SampleProcess process, int port)
    {
        Process = process;
        Port = port;
        // No cookie container: each request carries exactly the headers a test gives it.
        Http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public SampleProcess Process { get; }

    public int Port { get; }

    public HttpClient Http { get; }

    /// <summary>Starts the worker bound to <paramref name="bindHost"/> and waits until Kestrel listens.</summary>
    public static async Task<WorkerProcess> StartAsync(string bindHost, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var work = TestPaths.NewTempDirectory();
        var port = FreePort.Next();
        var process = SampleProcess.Start(
            "HgCounter.WorkerSample",
            work,
            environment,
            [.. BaseArguments(work, bindHost, port), .. arguments]);
        var worker = new WorkerProcess(process, port);
        try
        {
            await process.WaitForLineAsync(l => l.Contains("Now listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(90));
            return worker;
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }
    }

    /// <summary>Where the worker listens and keeps its data, for a start in <paramref name="work"/>.</summary>
    public static string[] BaseArguments(string work, string bindHost, int port) =>
    [
        "--urls", $"http://{bindHost}:{port}",
        "--HgCounter:DataDirectory=" + Path.Combine(work, "data"),
        "--HgCounter:Events:OutboxPath=" + Path.Combine(work, "data", "outbox.db"),
        "--HgCounter:StatusInterval=00:00:00.500",
    ];

    /// <summary>A camera whose RTSP server is not there: every connect is refused.</summary>
    public static string[] DeadCamera(string name) =>
    [
        $"--HgCounter:Cameras:0:Name={name}",
        $"--HgCounter:Cameras:0:Url=rtsp://viewer:DeadSecret7@127.0.0.1:{FreePort.Next()}/live",
        "--HgCounter:Cameras:0:ReadTimeout=00:00:02",
        "--HgCounter:Cameras:0:Lines:0:Name=door",
        "--HgCounter:Cameras:0:Lines:0:Start:0=320", "--HgCounter:Cameras:0:Lines:0:Start:1=0",
        "--HgCounter:Cameras:0:Lines:0:End:0=320", "--HgCounter:Cameras:0:Lines:0:End:1=360",
        "--HgCounter:Watchdog:InitialBackoff=00:00:00.500",
        "--HgCounter:Watchdog:MaxBackoff=00:00:02",
    ];

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in headers)
        {
            if (string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>Polls <paramref name="path"/> until it answers <paramref name="expected"/>; fails with the last answer.</summary>
    public async Task<HttpResponseMessage> WaitForStatusAsync(string path, System.Net.HttpStatusCode expected, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        HttpResponseMessage? last = null;
        while (!cts.IsCancellationRequested)
        {
            last = await Http.GetAsync(path, CancellationToken.None);
            if (last.StatusCode == expected)
            {
                return last;
            }

            await Task.Delay(250, CancellationToken.None);
        }

        throw new TimeoutException($"{path} did not answer {expected} within {timeout}; last {last?.StatusCode}. Output:\n{Process.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
    }
}
