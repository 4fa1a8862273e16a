using System.Collections.Concurrent;
using System.Diagnostics;
using HgCounter.Testing;

namespace HgCounter.Samples.Tests;

/// <summary>A sample program run as a real child process: its output lines are kept; dispose kills it (tree) if still running.</summary>
internal sealed class SampleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private SampleProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public IReadOnlyCollection<string> Lines => _lines;

    public string Output => string.Join('\n', _lines);

    /// <summary>Starts <c>dotnet samples/NAME/bin/CONFIG/net10.0/NAME.dll args</c> built in the same configuration as the tests.</summary>
    public static SampleProcess Start(string sample, string workingDirectory, params string[] arguments) =>
        Start(sample, workingDirectory, new Dictionary<string, string>(), arguments);

    /// <summary>As <see cref="Start(string, string, string[])"/>, with extra environment variables for the child.</summary>
    public static SampleProcess Start(string sample, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Start(new ProcessStartInfo("dotnet"), sample, workingDirectory, environment, arguments);

    /// <summary>
    /// Starts the sample in a new network namespace of its own whose loopback device also carries
    /// <paramref name="extraAddress"/>: a client in that namespace (<see cref="NetworkNamespacePath"/>) can connect from
    /// an address that is not loopback, and no packet leaves the namespace. Needs root (tests and CI run as root).
    /// </summary>
    public static SampleProcess StartInNetworkNamespace(string sample, string workingDirectory, string extraAddress, params string[] arguments)
    {
        var info = new ProcessStartInfo("unshare");
        foreach (var argument in new[] { "--net", "sh", "-c", $"ip link set lo up && ip addr add {extraAddress}/32 dev lo && exec dotnet \"$@\"", "sh" })
        {
            info.ArgumentList.Add(argument);
        }

        return Start(info, sample, workingDirectory, new Dictionary<string, string>(), arguments);
    }

    /// <summary>
    /// Starts the sample inside the cgroup v2 group <paramref name="cgroupDirectory"/>, in a cgroup namespace rooted there
    /// with that group mounted at /sys/fs/cgroup: the process sees the group as its container (a container's view of
    /// cgroup v2), and everything else in the group counts towards its CPU. Needs root (tests and CI run as root).
    /// </summary>
    public static SampleProcess StartInCgroup(string sample, string workingDirectory, string cgroupDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("sh");
        foreach (var argument in new[]
        {
            "-c",
            "echo $$ > \"$1/cgroup.procs\" && shift && exec unshare --cgroup --mount --propagation private sh -c 'mount -t cgroup2 none /sys/fs/cgroup && exec dotnet \"$@\"' sh \"$@\"",
            "sh",
            cgroupDirectory,
        })
        {
            info.ArgumentList.Add(argument);
        }

        return Start(info, sample, workingDirectory, environment, arguments);
    }

    /// <summary>The network namespace the process runs in (for <c>nsenter --net=</c>).</summary>
    public string NetworkNamespacePath => $"/proc/{_process.Id}/ns/net";

    /// <summary>Starts <c>dotnet DLL args</c> for an application published elsewhere (not the build output).</summary>
    public static SampleProcess StartPublished(string dllPath, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Start(new ProcessStartInfo("dotnet"), dllPath, workingDirectory, environment, arguments, isPath: true);

    private static SampleProcess Start(ProcessStartInfo info, string sample, string workingDirectory, IReadOnlyDictionary<string, string> environment, string[] arguments, bool isPath = false)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = true;
        info.UseShellExecute = false;
        info.WorkingDirectory = workingDirectory;
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        info.ArgumentList.Add(isPath ? sample : SamplePath(sample));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var sampleProcess = new SampleProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) sampleProcess._lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) sampleProcess._lines.Enqueue("stderr: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sampleProcess;
    }

    public static string SamplePath(string sample)
    {
        // Tests and samples are built together: take the sample from the same configuration as this test assembly.
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(TestPaths.RepositoryRoot, "samples", sample, "bin", configuration, "net10.0", sample + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the sample first: {path}");
    }

    /// <summary>Waits until an output line matches; fails with the output so far after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var line = _lines.FirstOrDefault(match);
            if (line is not null)
            {
                return line;
            }

            if (_process.HasExited)
            {
                await Task.Delay(200); // let the last lines arrive
                line = _lines.FirstOrDefault(match);
                return line ?? throw new InvalidOperationException($"The sample exited ({_process.ExitCode}) before the expected line. Output:\n{Output}");
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No matching line within {timeout}. Output:\n{Output}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a power cut or an OOM kill.</summary>
    public async Task KillHardAsync()
    {
        _process.Kill(entireProcessTree: false);
        await WaitForExitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }

        _process.Dispose();
    }
}
