using System.Diagnostics;
using HgCounter.Testing;

namespace HgCounter.Runtime.Tests.Agent;

/// <summary>
/// A real application built without the native runtime packages (tests/HgCounter.NativeRuntimeMissing.App), run as a
/// process: start-up fails with <see cref="NativeRuntimeMissingException"/> naming the packages to add, before any camera runs.
/// </summary>
public sealed class NativeRuntimeCheckTests
{
    private const string App = "HgCounter.NativeRuntimeMissing.App";

    [Fact]
    public async Task Start_WithoutOpenCvRuntimePackage_FailsNamingThePackage()
    {
        var (exitCode, stdout, stderr) = await RunAppAsync("motion");

        exitCode.Should().NotBe(0);
        stdout.Should().NotContain("started", "the host must not start");
        stderr.Should().StartWith($"Unhandled exception. {typeof(NativeRuntimeMissingException).FullName}: HgCounter cannot start")
            .And.Contain("OpenCvSharp4.official.runtime.linux-x64")
            .And.NotContain("Microsoft.ML.OnnxRuntime", "no camera uses the onnx detector");
    }

    [Fact]
    public async Task Start_OnnxDetectorWithoutNativeRuntimes_NamesOpenCvAndOnnxRuntimePackages()
    {
        var model = Path.Combine(TestPaths.RepositoryRoot, "models", "synthetic-yolov8.onnx");

        var (exitCode, stdout, stderr) = await RunAppAsync("onnx", model);

        exitCode.Should().NotBe(0);
        stdout.Should().NotContain("started");
        stderr.Should().StartWith($"Unhandled exception. {typeof(NativeRuntimeMissingException).FullName}: HgCounter cannot start")
            .And.Contain("OpenCvSharp4.official.runtime.linux-x64")
            .And.Contain("add the package Microsoft.ML.OnnxRuntime");
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAppAsync(params string[] arguments)
    {
        // Built with the tests (a project reference without its assembly), in the same configuration.
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(TestPaths.RepositoryRoot, "tests", App, "bin", configuration, "net10.0", App + ".dll");
        File.Exists(dll).Should().BeTrue($"the test application is built with the tests ({dll})");
        var data = TestPaths.NewTempDirectory("hgcounter-native");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = data };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add(arguments[0]);
        info.ArgumentList.Add(data);
        foreach (var argument in arguments.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
