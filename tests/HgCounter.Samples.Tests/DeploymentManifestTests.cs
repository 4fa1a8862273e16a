using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HgCounter.Testing;
using YamlDotNet.RepresentationModel;

namespace HgCounter.Samples.Tests;

/// <summary>
/// deploy/ against the real worker: the worker is published for linux-x64 as the Dockerfile does, started with the
/// StatefulSet's arguments and environment and the ConfigMap's configuration (the container paths /data and /config
/// mapped into a temp directory, the manifest's port onto a free one), and probed on the paths the manifests name.
/// </summary>
public sealed partial class DeploymentManifestTests
{
    private static readonly string Deploy = Path.Combine(TestPaths.RepositoryRoot, "deploy");

    [GeneratedRegex(@"^(\w+)\s+(.*)$")]
    private static partial Regex Instruction();

    [GeneratedRegex(@"https?://[^/\s]+(/\S*)")]
    private static partial Regex UrlPath();

    [Fact]
    public async Task PublishedWorker_StartedAsTheStatefulSetSays_ServesItsProbesAndKeepsItsOutboxOnTheDataVolume()
    {
        var manifest = Manifest.Load(Path.Combine(Deploy, "kubernetes", "statefulset.yaml"));
        var container = manifest.Container;
        var port = int.Parse(container.Port("http"), System.Globalization.CultureInfo.InvariantCulture);
        var dataMount = container.MountPath("data");
        var configMount = container.MountPath("cameras");
        container.ReadOnlyRootFilesystem.Should().Be("true");
        manifest.Pod["securityContext"]["runAsNonRoot"].Value.Should().Be("true");
        manifest.ClaimTemplateName.Should().Be("data", "the data mount is the per-pod volume claim");
        var service = Manifest.Load(Path.Combine(Deploy, "kubernetes", "service.yaml"));
        service.Root["spec"]["ports"][0]["targetPort"].Value.Should().Be("http");

        await using var camera = await RtspServerFixture.StartAsync("--width", "640", "--height", "360", "--fps", "10");
        var work = TestPaths.NewTempDirectory("hgcounter-deploy");
        var data = Directory.CreateDirectory(Path.Combine(work, "data")).FullName;
        var config = Directory.CreateDirectory(Path.Combine(work, "config")).FullName;
        var published = await PublishWorkerAsync(Path.Combine(work, "app"));

        const string podName = "hgcounter-0";
        var configMap = Manifest.Load(Path.Combine(Deploy, "kubernetes", "configmap.yaml"));
        var cameras = JsonNode.Parse(configMap.Root["data"][podName + ".json"].Value)!;
        cameras["HgCounter"]!["Cameras"]![0]!["Url"] = camera.Url; // the only change: a camera that is there
        await File.WriteAllTextAsync(Path.Combine(config, podName + ".json"), MapPaths(cameras.ToJsonString(), dataMount, data, configMount, config));

        var freePort = FreePort.Next();
        const string readKey = "deploy-read-key-5d1c8e2f";
        var environment = new Dictionary<string, string>();
        foreach (var (name, value, fromSecret) in container.Environment)
        {
            environment[name] = fromSecret ? readKey : MapPaths(value, dataMount, data, configMount, config);
        }

        environment["POD_NAME"] = podName;
        environment["ASPNETCORE_URLS"].Should().Be($"http://+:{port}", "the worker listens on the container port");
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{freePort}";
        var arguments = container.Args.Select(a => MapPaths(a.Replace("$(POD_NAME)", podName, StringComparison.Ordinal), dataMount, data, configMount, config)).ToArray();

        await using var worker = SampleProcess.StartPublished(published, work, environment, arguments);
        await worker.WaitForLineAsync(l => l.Contains("Now listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(120));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{freePort}"), Timeout = TimeSpan.FromSeconds(60) };

        (await PollStatusAsync(http, container.ProbePath("livenessProbe"))).Should().Be(HttpStatusCode.OK, worker.Output);
        (await PollStatusAsync(http, container.ProbePath("readinessProbe"))).Should().Be(HttpStatusCode.OK, worker.Output);
        (await http.GetAsync("/metrics")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "Worker__ReadKey from the Secret reaches the worker");
        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        scrape.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", readKey);
        (await http.SendAsync(scrape)).StatusCode.Should().Be(HttpStatusCode.OK, "the PodMonitor scrapes /metrics with the key");
        File.Exists(Path.Combine(data, "outbox.db")).Should().BeTrue("HgCounter__Events__OutboxPath puts the outbox on the data volume");
        worker.Output.Should().NotContain(readKey);

        // The container image agrees with the manifests.
        var dockerfile = Dockerfile(Path.Combine(Deploy, "container", "Dockerfile"));
        dockerfile["EXPOSE"].Should().ContainSingle().Which.Should().Be(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        dockerfile["VOLUME"].Should().ContainSingle().Which.Should().Be(dataMount);
        var user = dockerfile["USER"].Should().ContainSingle().Subject.Split(':')[0];
        user.Should().NotBe("root").And.NotBe("0");
        user.Should().Be(manifest.Pod["securityContext"]["runAsUser"].Value, "the pod runs as the image's account");
        var healthcheck = dockerfile["HEALTHCHECK"].Should().ContainSingle().Subject;
        UrlPath().Match(healthcheck).Groups[1].Value.Should().Be(container.ProbePath("livenessProbe"));
        healthcheck.Should().Contain($":{port}/");
        var outboxPath = container.Environment.Single(e => e.Name == "HgCounter__Events__OutboxPath").Value;
        var imageEnvironment = string.Join(' ', dockerfile["ENV"]);
        imageEnvironment.Should().Contain($"ASPNETCORE_URLS=http://+:{port}").And.Contain($"HgCounter__DataDirectory={dataMount}")
            .And.Contain($"HgCounter__Events__OutboxPath={outboxPath}");
        dockerfile["FROM"].Should().Contain(f => f.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", StringComparison.Ordinal));
    }

    // dotnet publish as the Dockerfile runs it (framework-dependent, linux-x64); returns the published dll.
    private static async Task<string> PublishWorkerAsync(string output)
    {
        var project = Path.Combine(TestPaths.RepositoryRoot, "samples", "HgCounter.WorkerSample", "HgCounter.WorkerSample.csproj");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "publish", project, "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-o", output, "-nologo", "-v", "q" })
        {
            info.ArgumentList.Add(argument);
        }

        using var publish = Process.Start(info)!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        try
        {
            await publish.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            publish.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet publish of the worker took over 15 minutes.");
        }

        publish.ExitCode.Should().Be(0, $"dotnet publish must succeed:\n{await stdout}\n{await stderr}");
        var dll = Path.Combine(output, "HgCounter.WorkerSample.dll");
        File.Exists(dll).Should().BeTrue();
        File.Exists(Path.Combine(output, "wwwroot", "index.html")).Should().BeTrue("the dashboard is published with the worker");
        return dll;
    }

    private static async Task<HttpStatusCode> PollStatusAsync(HttpClient http, string path)
    {
        var clock = Stopwatch.StartNew();
        var status = HttpStatusCode.ServiceUnavailable;
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            status = (await http.GetAsync(path)).StatusCode;
            if (status == HttpStatusCode.OK)
            {
                break;
            }

            await Task.Delay(500);
        }

        return status;
    }

    // A container path under a mount, as the worker would see it here: /data/outbox.db -> {temp}/data/outbox.db.
    private static string MapPaths(string text, string dataMount, string data, string configMount, string config) =>
        text == dataMount ? data
        : text.Replace(dataMount + "/", data + "/", StringComparison.Ordinal)
            .Replace("\"" + dataMount + "\"", "\"" + data + "\"", StringComparison.Ordinal)
            .Replace(configMount + "/", config + "/", StringComparison.Ordinal);

    // Instruction -> its arguments, one entry per occurrence; continuation lines joined.
    private static Dictionary<string, List<string>> Dockerfile(string path)
    {
        var instructions = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        var logical = string.Empty;
        foreach (var line in File.ReadAllLines(path).Where(l => !l.TrimStart().StartsWith('#')))
        {
            logical += line.TrimEnd().TrimEnd('\\').Trim() + " ";
            if (line.TrimEnd().EndsWith('\\'))
            {
                continue;
            }

            var match = Instruction().Match(logical.Trim());
            if (match.Success)
            {
                var key = match.Groups[1].Value.ToUpperInvariant();
                var value = match.Groups[2].Value.Trim();
                (instructions.TryGetValue(key, out var list) ? list : instructions[key] = []).Add(key == "FROM" ? value.Split(' ')[0] : value);
            }

            logical = string.Empty;
        }

        return instructions;
    }

    /// <summary>A parsed manifest, navigated by key (a missing key fails the test with its path).</summary>
    private sealed class Manifest(YamlNode root)
    {
        public Node Root { get; } = new(root, "");

        public Node Pod => Root["spec"]["template"]["spec"];

        public ContainerSpec Container => new(Pod["containers"][0]);

        public string ClaimTemplateName => Root["spec"]["volumeClaimTemplates"][0]["metadata"]["name"].Value;

        public static Manifest Load(string path)
        {
            var stream = new YamlStream();
            using var reader = new StreamReader(path);
            stream.Load(reader);
            return new Manifest(stream.Documents.Should().ContainSingle().Subject.RootNode);
        }
    }

    private sealed class ContainerSpec(Node container)
    {
        public IEnumerable<string> Args => ((YamlSequenceNode)container["args"].Yaml).Children.Select(c => ((YamlScalarNode)c).Value!);

        public IEnumerable<(string Name, string Value, bool FromSecret)> Environment =>
            ((YamlSequenceNode)container["env"].Yaml).Children.OfType<YamlMappingNode>().Select(e =>
            {
                var node = new Node(e, "env");
                var fromSecret = e.Children.ContainsKey("valueFrom") && ((YamlMappingNode)e["valueFrom"]).Children.ContainsKey("secretKeyRef");
                return (node["name"].Value, e.Children.ContainsKey("value") ? node["value"].Value : string.Empty, fromSecret);
            });

        public string ReadOnlyRootFilesystem => container["securityContext"]["readOnlyRootFilesystem"].Value;

        public string Port(string name) => Find(container["ports"], "name", name)["containerPort"].Value;

        public string MountPath(string volume) => Find(container["volumeMounts"], "name", volume)["mountPath"].Value;

        public string ProbePath(string probe)
        {
            container[probe]["httpGet"]["port"].Value.Should().Be("http", "probes use the named container port");
            return container[probe]["httpGet"]["path"].Value;
        }

        private static Node Find(Node sequence, string key, string value) =>
            new(((YamlSequenceNode)sequence.Yaml).Children.OfType<YamlMappingNode>()
                .Should().ContainSingle(m => new Node(m, "").Has(key) && new Node(m, "")[key].Value == value, $"one entry with {key}: {value}").Subject, $"{sequence.Path}[{value}]");
    }

    private sealed class Node(YamlNode node, string path)
    {
        public YamlNode Yaml => node;

        public string Path => path;

        public string Value => node is YamlScalarNode scalar ? scalar.Value! : throw new InvalidOperationException($"{path} is not a scalar");

        public bool Has(string key) => node is YamlMappingNode map && map.Children.ContainsKey(key);

        public Node this[string key] => node is YamlMappingNode map && map.Children.TryGetValue(key, out var child)
            ? new Node(child, $"{path}.{key}")
            : throw new InvalidOperationException($"{path}.{key} is missing");

        public Node this[int index] => node is YamlSequenceNode sequence && sequence.Children.Count > index
            ? new Node(sequence.Children[index], $"{path}[{index}]")
            : throw new InvalidOperationException($"{path}[{index}] is missing");

        public override string ToString() => node.ToString();
    }
}
