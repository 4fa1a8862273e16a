using System.Diagnostics;
using HgCounter.Configuration;
using HgCounter.Health;
using HgCounter.Runtime.Tests.Agent;
using HgCounter.Testing;

namespace HgCounter.Runtime.Tests.Configuration;

/// <summary>The configured ffmpeg is the one that runs, and a wrong one fails start-up once, naming the key.</summary>
public class FfmpegPathTests
{
    private const string Key = "HgCounter:Cameras:0:FfmpegPath";

    [Fact]
    public async Task Start_FfmpegPathDoesNotExist_OneErrorNamingKeyAndPath()
    {
        var error = await StartupError.Of(o => o.Cameras.Add(new CameraOptions { Name = "door", Url = "rtsp://admin:pw@127.0.0.1:8554/x", FfmpegPath = "/no/such/ffmpeg" }));

        error.Should().Contain($"{Key}: '/no/such/ffmpeg' cannot be started").And.NotContain("pw@");
        StartupError.Occurrences(error, Key).Should().Be(1);
    }

    [Fact]
    public async Task Start_FfmpegPathIsNotFfmpeg_ErrorNamingKeyAndWhatItPrinted()
    {
        var error = await StartupError.Of(o => o.Cameras.Add(new CameraOptions { Name = "door", Url = "rtsp://127.0.0.1:8554/x", FfmpegPath = "/bin/echo" }));

        error.Should().Contain($"{Key}: '/bin/echo' is not ffmpeg");
    }

    [Fact]
    public async Task Start_BogusFfmpegPathOnSyntheticCamera_StartsBecauseNothingRunsFfmpeg()
    {
        var camera = AgentHost.SceneCamera("demo", "side-by-side");
        camera.FfmpegPath = "/no/such/ffmpeg";

        await using var host = await AgentHost.StartAsync(TestPaths.NewTempDirectory(), o => o.Cameras.Add(camera));

        await host.WaitForAsync(s => AgentHost.Health(s, "demo") == CameraHealth.Finished);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Run_FfmpegPathSet_TheCameraIsDecodedByThatExecutable()
    {
        var data = TestPaths.NewTempDirectory();
        var clip = Path.Combine(data, "clip.mp4");
        using (var encode = Process.Start("ffmpeg", ["-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=2", "-pix_fmt", "yuv420p", clip])!)
        {
            (await encode.WaitForExitAsync(TestContext.Timeout(60)).ContinueWith(_ => encode.ExitCode)).Should().Be(0);
        }

        var calls = Path.Combine(data, "calls.txt");
        var wrapper = Path.Combine(data, "my-ffmpeg");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\necho \"$@\" >> '{calls}'\nexec ffmpeg \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        await using var host = await AgentHost.StartAsync(data, o => o.Cameras.Add(new CameraOptions { Name = "file", Url = clip, Realtime = false, FfmpegPath = wrapper }));
        await host.WaitForAsync(s => AgentHost.Health(s, "file") == CameraHealth.Finished);

        var lines = await File.ReadAllLinesAsync(calls);
        lines.Should().Contain(l => l.Contains("-version", StringComparison.Ordinal), "start-up checks the configured ffmpeg");
        lines.Should().Contain(l => l.Contains(clip, StringComparison.Ordinal) && l.Contains("rawvideo", StringComparison.Ordinal), "the camera is decoded by the configured ffmpeg, not the one on PATH");
    }
}
