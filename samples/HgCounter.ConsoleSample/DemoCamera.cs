using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace HgCounter.ConsoleSample;

/// <summary>
/// The embedded default: when no camera is configured, serves OpenCV's pedestrian clip (vtest.avi, from Debian's
/// opencv-doc) in a loop over a local RTSP server and counts it like a real camera. Without the clip or the server,
/// it falls back to the generated <c>synthetic:demo</c> scene.
/// </summary>
internal sealed class DemoCamera : IAsyncDisposable
{
    private const string Clip = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";
    private const string Python = "/usr/bin/python3";
    private readonly Process? _server;

    private DemoCamera(Process? server, string description)
    {
        _server = server;
        Description = description;
    }

    public string Description { get; }

    public static bool IsNeeded(IConfiguration configuration) =>
        !configuration.GetSection("HgCounter:Cameras").GetChildren().Any();

    public static async Task<DemoCamera> StartAsync(IConfigurationBuilder configuration)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "rtsp_server.py");
        if (File.Exists(Clip) && File.Exists(Python) && File.Exists(script))
        {
            var server = Process.Start(new ProcessStartInfo(Python)
            {
                ArgumentList = { script, "--port", "0", "--file", Clip, "--loop" },
                RedirectStandardOutput = true,
                RedirectStandardInput = true, // the server exits when we do (stdin closes)
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            server.ErrorDataReceived += (_, _) => { };
            server.BeginErrorReadLine();
            string? ready;
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                ready = await server.StandardOutput.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                ready = null; // the server hung: fall back to the generated scene below
            }

            if (ready?.StartsWith("READY ", StringComparison.Ordinal) == true)
            {
                var url = ready["READY ".Length..].Trim();
                Use(configuration, url, "[480, 100]", "[480, 576]");
                return new DemoCamera(server, $"Demo: OpenCV's pedestrian clip served at {url}; counting line 'crossing' at x=480 (see docs/accuracy.md) with the motion detector.");
            }

            server.Kill(entireProcessTree: true);
            server.Dispose();
        }

        Use(configuration, "synthetic:demo", "[320, 0]", "[320, 360]");
        return new DemoCamera(null, "Demo: generated scene synthetic:demo (install opencv-doc and GStreamer's RTSP server for the RTSP demo); counting line 'crossing' at x=320.");
    }

    private static void Use(IConfigurationBuilder configuration, string url, string start, string end)
    {
        var points = (Start: Parse(start), End: Parse(end));
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["HgCounter:Cameras:0:Name"] = "demo",
            ["HgCounter:Cameras:0:Url"] = url,
            ["HgCounter:Cameras:0:Detector"] = "motion",
            ["HgCounter:Cameras:0:TargetFps"] = "10",
            ["HgCounter:Cameras:0:Lines:0:Name"] = "crossing",
            ["HgCounter:Cameras:0:Lines:0:Start:0"] = points.Start[0],
            ["HgCounter:Cameras:0:Lines:0:Start:1"] = points.Start[1],
            ["HgCounter:Cameras:0:Lines:0:End:0"] = points.End[0],
            ["HgCounter:Cameras:0:Lines:0:End:1"] = points.End[1],
        });
    }

    private static string[] Parse(string point) => point.Trim('[', ']').Split(',', StringSplitOptions.TrimEntries);

    public async ValueTask DisposeAsync()
    {
        if (_server is null)
        {
            return;
        }

        if (!_server.HasExited)
        {
            _server.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _server.WaitForExitAsync(timeout.Token);
        }

        _server.Dispose();
    }
}
