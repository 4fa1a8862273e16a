using System.Globalization;
using System.Net;
using System.Text.Json;
using HgCounter.Testing;

namespace HgCounter.Samples.Tests;

/// <summary>
/// The worker's HTTP surface against the real process: probes, metrics, read key, operator rules, host filtering,
/// the event-stream cap and the demo switch. One process start per group of assertions (each start costs seconds).
/// </summary>
public class WorkerHttpSurfaceTests
{
    private const string ReadKey = "read-key-0123456789";
    private const string ApiKey = "operator-key-9876543210";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public async Task LoopbackWorker_DeadCameraWithReadKey_ProbesOpenDataNeedsKeyProxiedForeignAndRebindingRequestsRefused()
    {
        // The forwarded-headers middleware switched on from the environment, as a deployment behind nginx might have it:
        // it turns "X-Forwarded-For: 127.0.0.1" into a loopback remote address.
        await using var worker = await WorkerProcess.StartAsync(
            "127.0.0.1",
            new Dictionary<string, string> { ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true" },
            [.. WorkerProcess.DeadCamera("cam"), "--Worker:ReadKey=" + ReadKey, "--Worker:MaxEventStreams=2"]);

        // Probes: open without a key, a status code and a word, no camera details.
        var live = await worker.WaitForStatusAsync("/healthz", HttpStatusCode.OK, Patience);
        (await live.Content.ReadAsStringAsync()).Should().NotContain("127.0.0.1").And.NotContain("DeadSecret7");
        var ready = await worker.WaitForStatusAsync("/readyz", HttpStatusCode.ServiceUnavailable, Patience);
        (await ready.Content.ReadAsStringAsync()).Should().NotContain("127.0.0.1", "the probe carries no details");

        // Read endpoints need the read key.
        foreach (var path in new[] { "/api/status", "/health", "/metrics", "/api/events" })
        {
            using var denied = await worker.SendAsync(HttpMethod.Get, path);
            denied.StatusCode.Should().Be(HttpStatusCode.Unauthorized, $"{path} exposes camera hosts and paths");
            (await worker.SendAsync(HttpMethod.Get, path, ("X-Api-Key", "wrong"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        using var status = await worker.SendAsync(HttpMethod.Get, "/api/status", ("X-Api-Key", ReadKey));
        status.StatusCode.Should().Be(HttpStatusCode.OK);
        using (var json = JsonDocument.Parse(await status.Content.ReadAsStringAsync()))
        {
            json.RootElement.GetProperty("demo").GetBoolean().Should().BeFalse("cameras are configured");
            json.RootElement.GetProperty("cameras")[0].GetProperty("name").GetString().Should().Be("cam");
            json.RootElement.ToString().Should().NotContain("DeadSecret7");
        }

        // Metrics scraped with a bearer token and parsed as Prometheus text: a known metric with a numeric value.
        var metrics = await ScrapeUntilAsync(worker, "hgcounter_camera_state");
        metrics.Should().ContainKey("hgcounter_camera_state");
        metrics["hgcounter_camera_state"].Should().NotBeEmpty().And.OnlyContain(v => v >= 0);

        // The dashboard's way in: the key traded once for a cookie that the page's EventSource sends.
        (await worker.SendAsync(HttpMethod.Post, "/api/session", ("X-Api-Key", "wrong"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var session = await worker.SendAsync(HttpMethod.Post, "/api/session", ("X-Api-Key", ReadKey));
        session.StatusCode.Should().Be(HttpStatusCode.NoContent);
        var cookie = session.Headers.GetValues("Set-Cookie").Single();
        cookie.Should().Contain("httponly").And.Contain("samesite=strict").And.NotContain(ReadKey);
        var cookiePair = cookie.Split(';')[0];
        (await worker.SendAsync(HttpMethod.Get, "/api/status", ("Cookie", cookiePair))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await worker.SendAsync(HttpMethod.Get, "/api/status", ("Cookie", "hgcounter-read=forged"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        // Event streams are capped: two open, the third is refused; closing one frees its slot.
        var first = await OpenStreamAsync(worker);
        var second = await OpenStreamAsync(worker);
        (await ReadEventAsync(first)).Should().Contain("\"cameras\"");
        (await ReadEventAsync(second)).Should().Contain("\"cameras\"");
        using (var third = await worker.SendAsync(HttpMethod.Get, "/api/events", ("X-Api-Key", ReadKey)))
        {
            third.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        }

        first.Dispose();
        using (var again = await PollAsync(() => worker.SendAsync(HttpMethod.Get, "/api/events", ("X-Api-Key", ReadKey)), r => r.StatusCode == HttpStatusCode.OK))
        {
            (await ReadEventAsync(again)).Should().Contain("\"cameras\"");
        }

        second.Dispose();

        // Operator actions without Worker:ApiKey: never when the request came through a proxy, never cross-origin.
        foreach (var forwarded in new[] { ("X-Forwarded-For", "127.0.0.1"), ("Forwarded", "for=127.0.0.1"), ("X-Real-IP", "127.0.0.1") })
        {
            using var proxied = await worker.SendAsync(HttpMethod.Post, "/api/cameras/cam/reconnect", forwarded);
            proxied.StatusCode.Should().Be(HttpStatusCode.Forbidden, $"{forwarded.Item1} says the caller is elsewhere");
        }

        (await worker.SendAsync(HttpMethod.Post, "/api/cameras/cam/reconnect", ("Origin", "http://evil.example"))).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        // DNS rebinding: another site's name resolving to 127.0.0.1 arrives with its own Host: host filtering says 400.
        (await worker.SendAsync(HttpMethod.Post, "/api/cameras/cam/reconnect", ("Host", $"evil.example:{worker.Port}"), ("Origin", $"http://evil.example:{worker.Port}")))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await worker.SendAsync(HttpMethod.Get, "/api/status", ("Host", $"evil.example:{worker.Port}"), ("X-Api-Key", ReadKey))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await worker.SendAsync(HttpMethod.Get, "/healthz", ("Host", $"localhost:{worker.Port}"))).StatusCode.Should().Be(HttpStatusCode.OK);

        // The connection test is a POST (it starts ffprobe); it tells why the dead camera cannot be reached.
        (await worker.SendAsync(HttpMethod.Get, "/api/cameras/cam/test")).StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        using var test = await worker.SendAsync(HttpMethod.Post, "/api/cameras/cam/test");
        test.StatusCode.Should().Be(HttpStatusCode.OK);
        var testBody = await test.Content.ReadAsStringAsync();
        testBody.Should().Contain("\"success\":false").And.NotContain("DeadSecret7");

        // Reconnect from this machine: once, then 429 with Retry-After until Worker:ReconnectInterval (10 s) has passed.
        (await worker.SendAsync(HttpMethod.Post, "/api/cameras/cam/reconnect")).StatusCode.Should().Be(HttpStatusCode.Accepted);
        using var throttled = await worker.SendAsync(HttpMethod.Post, "/api/cameras/cam/reconnect");
        throttled.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "a reconnect resets the camera's tracks");
        var retryAfter = int.Parse(throttled.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
        retryAfter.Should().BeInRange(1, 10);
        (await worker.SendAsync(HttpMethod.Post, "/api/cameras/nosuch/reconnect")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WildcardWorker_ApiKeyFromSystemdCredentialAndDemoSwitchWithASink_ActionsNeedTheKeyAndTheDemoIsLabelled()
    {
        // Bound to every interface: the requests still come from loopback here (this workplace sends no traffic to other
        // addresses), which is the point: beyond-loopback binding means the key is required whoever calls.
        // The key comes as systemd hands over LoadCredential=hgcounter.json:...: a file in $CREDENTIALS_DIRECTORY.
        var work = TestPaths.NewTempDirectory();
        var credentials = Directory.CreateDirectory(Path.Combine(work, "credentials")).FullName;
        await File.WriteAllTextAsync(Path.Combine(credentials, "hgcounter.json"), JsonSerializer.Serialize(new { Worker = new { ApiKey } }));
        await using var worker = await WorkerProcess.StartAsync(
            "0.0.0.0",
            new Dictionary<string, string> { ["CREDENTIALS_DIRECTORY"] = credentials },
            "--demo",
            "--HgCounter:Events:Sinks:0:Type=jsonl", "--HgCounter:Events:Sinks:0:Path=" + Path.Combine(work, "events.jsonl"));

        worker.Process.Lines.Should().Contain(l => l.Contains("DEMO: no camera is configured", StringComparison.Ordinal));
        using var status = await worker.SendAsync(HttpMethod.Get, "/api/status");
        status.StatusCode.Should().Be(HttpStatusCode.OK, "no read key is set");
        using (var json = JsonDocument.Parse(await status.Content.ReadAsStringAsync()))
        {
            json.RootElement.GetProperty("demo").GetBoolean().Should().BeTrue();
        }

        (await worker.SendAsync(HttpMethod.Post, "/api/cameras/demo/reconnect")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await worker.SendAsync(HttpMethod.Post, "/api/cameras/demo/reconnect", ("X-Api-Key", "wrong"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await worker.SendAsync(HttpMethod.Post, "/api/cameras/demo/reconnect", ("Authorization", "Bearer " + ApiKey))).StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await worker.SendAsync(HttpMethod.Post, "/api/cameras/demo/reconnect", ("X-Api-Key", ApiKey))).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (await worker.SendAsync(HttpMethod.Get, "/healthz", ("Host", $"evil.example:{worker.Port}"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task WildcardWorker_NoApiKey_RefusesOperatorActionsEvenFromLoopback()
    {
        await using var worker = await WorkerProcess.StartAsync("0.0.0.0", NoEnvironment, WorkerProcess.DeadCamera("cam"));

        worker.Process.Lines.Should().Contain(l => l.Contains("Worker:ApiKey is not set: operator actions (reconnect, connection test) are refused", StringComparison.Ordinal));
        using var reconnect = await worker.SendAsync(HttpMethod.Post, "/api/cameras/cam/reconnect");
        reconnect.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await reconnect.Content.ReadAsStringAsync()).Should().Contain("Worker:ApiKey");
        (await worker.SendAsync(HttpMethod.Post, "/api/cameras/cam/test")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Worker_NoCameraButASinkWithoutDemoSwitch_ExitsWithoutCountingTheDemo()
    {
        var work = TestPaths.NewTempDirectory();
        var events = Path.Combine(work, "events.jsonl");
        await using var worker = SampleProcess.Start(
            "HgCounter.WorkerSample",
            work,
            "--urls", $"http://127.0.0.1:{FreePort.Next()}",
            "--HgCounter:DataDirectory=" + Path.Combine(work, "data"),
            "--HgCounter:Events:OutboxPath=" + Path.Combine(work, "data", "outbox.db"),
            "--HgCounter:Events:Sinks:0:Type=jsonl", "--HgCounter:Events:Sinks:0:Path=" + events);

        (await worker.WaitForExitAsync(Patience)).Should().Be(2);
        await worker.WaitForLineAsync(l => l.Contains("--demo", StringComparison.Ordinal) && l.Contains("HgCounter:Cameras", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        worker.Output.Should().NotContain("DEMO:").And.NotContain("Now listening");
        File.Exists(events).Should().BeFalse("no demo count reached the sink");
    }

    [Fact]
    public async Task NamespacedWorker_RequestFromANonLoopbackAddress_OperatorActionsRefusedAndDataNeedsReadKey()
    {
        // A network namespace of the test's own: its loopback device also carries 10.254.7.1, so a client there connects
        // to the loopback-bound worker from an address that is not loopback, and nothing leaves the namespace.
        var work = TestPaths.NewTempDirectory();
        var port = FreePort.Next();
        await using var worker = SampleProcess.StartInNetworkNamespace(
            "HgCounter.WorkerSample",
            work,
            ForeignAddress,
            [.. WorkerProcess.BaseArguments(work, "127.0.0.1", port), "--Worker:ReadKey=" + ReadKey, .. WorkerProcess.DeadCamera("cam")]);
        await worker.WaitForLineAsync(l => l.Contains("Now listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(90));

        (await NamespacedRequestAsync(worker, port, ForeignAddress, "POST", "/api/cameras/cam/reconnect")).Should().Be(403);
        (await NamespacedRequestAsync(worker, port, ForeignAddress, "GET", "/metrics")).Should().Be(401);
        (await NamespacedRequestAsync(worker, port, ForeignAddress, "GET", "/metrics", "Authorization: Bearer " + ReadKey)).Should().Be(200);
        (await NamespacedRequestAsync(worker, port, ForeignAddress, "GET", "/healthz")).Should().Be(200);
        (await NamespacedRequestAsync(worker, port, source: null, "POST", "/api/cameras/cam/reconnect")).Should().Be(202, "the same request from loopback is local");
    }

    private const string ForeignAddress = "10.254.7.1";

    /// <summary>One HTTP request from inside the worker's network namespace (Python's http.client); returns the status code.</summary>
    private static async Task<int> NamespacedRequestAsync(SampleProcess worker, int port, string? source, string method, string path, params string[] headers)
    {
        const string Client = "import http.client,sys\n" +
            "src=(sys.argv[2],0) if sys.argv[2] else None\n" +
            "c=http.client.HTTPConnection('127.0.0.1',int(sys.argv[1]),timeout=30,source_address=src)\n" +
            "c.request(sys.argv[3],sys.argv[4],headers=dict(h.split(': ',1) for h in sys.argv[5:]))\n" +
            "print(c.getresponse().status)";
        var info = new System.Diagnostics.ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--net=" + worker.NetworkNamespacePath, "/usr/bin/python3", "-c", Client, port.ToString(CultureInfo.InvariantCulture), source ?? string.Empty, method, path })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var header in headers)
        {
            info.ArgumentList.Add(header);
        }

        using var client = System.Diagnostics.Process.Start(info)!;
        using var cts = new CancellationTokenSource(Patience);
        var output = client.StandardOutput.ReadToEndAsync(cts.Token);
        var error = client.StandardError.ReadToEndAsync(cts.Token);
        await client.WaitForExitAsync(cts.Token);
        return int.TryParse((await output).Trim(), CultureInfo.InvariantCulture, out var status)
            ? status
            : throw new InvalidOperationException($"The client in the namespace failed ({client.ExitCode}): {await error}");
    }

    private static async Task<Dictionary<string, List<double>>> ScrapeUntilAsync(WorkerProcess worker, string metric)
    {
        var samples = new Dictionary<string, List<double>>();
        using var cts = new CancellationTokenSource(Patience);
        while (!samples.ContainsKey(metric) && !cts.IsCancellationRequested)
        {
            using var scrape = await worker.SendAsync(HttpMethod.Get, "/metrics", ("Authorization", "Bearer " + ReadKey));
            scrape.StatusCode.Should().Be(HttpStatusCode.OK);
            samples = ParsePrometheus(await scrape.Content.ReadAsStringAsync());
            await Task.Delay(500, CancellationToken.None);
        }

        return samples;
    }

    /// <summary>Prometheus text format: <c>name{labels} value [timestamp]</c> lines, <c>#</c> lines are comments.</summary>
    private static Dictionary<string, List<double>> ParsePrometheus(string text)
    {
        var samples = new Dictionary<string, List<double>>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var nameEnd = brace >= 0 ? brace : line.IndexOf(' ', StringComparison.Ordinal);
            var afterLabels = brace >= 0 ? line.IndexOf('}', StringComparison.Ordinal) + 1 : nameEnd;
            var value = line[afterLabels..].Trim().Split(' ')[0];
            double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number).Should().BeTrue($"'{line}' ends in a number");
            (samples.TryGetValue(line[..nameEnd], out var list) ? list : samples[line[..nameEnd]] = []).Add(number);
        }

        return samples;
    }

    private static async Task<HttpResponseMessage> OpenStreamAsync(WorkerProcess worker)
    {
        var response = await worker.SendAsync(HttpMethod.Get, "/api/events", ("X-Api-Key", ReadKey));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return response;
    }

    private static async Task<string> ReadEventAsync(HttpResponseMessage stream)
    {
        using var cts = new CancellationTokenSource(Patience);
        var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(cts.Token));
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new InvalidOperationException("The event stream ended before an event.");
    }

    private static async Task<HttpResponseMessage> PollAsync(Func<Task<HttpResponseMessage>> send, Func<HttpResponseMessage, bool> done)
    {
        using var cts = new CancellationTokenSource(Patience);
        while (true)
        {
            var response = await send();
            if (done(response) || cts.IsCancellationRequested)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(200, CancellationToken.None);
        }
    }
}
