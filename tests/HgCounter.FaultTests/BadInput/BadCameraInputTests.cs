using System.Diagnostics;
using System.Text.Json;
using HgCounter.FaultTests.Infrastructure;
using HgCounter.Health;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Runtime.Tests.Agent;
using HgCounter.Testing;
using Xunit.Abstractions;

namespace HgCounter.FaultTests.BadInput;

public class BadCameraInputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Run_CamerasWithBadInput_EachReportsItsCauseAndTheGoodCameraCountsExactly()
    {
        var figures = new Figures(output, "bad input");
        var work = TestPaths.NewTempDirectory();
        await using var secured = await RtspServerFixture.StartAsync("--width", "160", "--height", "120", "--fps", "10", "--user", "admin", "--password", "right");
        await using var garbage = new GarbageServer();
        var truncated = Path.Combine(work, "truncated.mp4");
        var full = Path.Combine(work, "full.mp4");
        Encode("testsrc2=size=320x240:rate=10", 40, full);
        var bytes = File.ReadAllBytes(full);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var sizeChange = Path.Combine(work, "size-change.ts");
        Encode("testsrc2=size=320x240:rate=10", 20, Path.Combine(work, "a.ts"));
        Encode("testsrc2=size=160x120:rate=10", 20, Path.Combine(work, "b.ts"));
        File.WriteAllBytes(sizeChange, [.. File.ReadAllBytes(Path.Combine(work, "a.ts")), .. File.ReadAllBytes(Path.Combine(work, "b.ts"))]);
        var expected = SyntheticScenes.Get("cross-both-ways").ExpectedCount("door");
        var cameras = new Dictionary<string, string>
        {
            ["wrong-password"] = secured.UrlWithCredentials("admin", "Wr0ngPass"),
            ["garbage"] = $"rtsp://127.0.0.1:{garbage.Port}/stream",
            ["truncated"] = truncated,
            ["size-change"] = sizeChange,
        };

        var clock = Stopwatch.StartNew();
        await using var host = await AgentHost.StartAsync(work, o =>
        {
            FaultOptions.Apply(o);
            foreach (var (name, url) in cameras)
            {
                var camera = FaultOptions.Camera(name, url);
                camera.Realtime = false;
                o.Cameras.Add(camera);
            }

            var good = FaultOptions.LoopingScene("good", "cross-both-ways");
            good.Loop = false;
            good.Realtime = false;
            o.Cameras.Add(good);
        });

        var status = await host.WaitForAsync(
            s => AgentHost.Health(s, "good") == CameraHealth.Finished
                && cameras.Keys.All(name => s.Cameras.Single(c => c.Name == name).Health is { LastError: not null } or { Health: CameraHealth.Finished }),
            90);
        foreach (var camera in status.Cameras)
        {
            figures.Record($"{camera.Name}: {camera.Health.Health}, frames {camera.FramesProcessed}, reason: {camera.Health.LastError ?? "-"} ({clock.Elapsed.TotalSeconds:0.0} s)");
        }

        var good = status.Cameras.Single(c => c.Name == "good").Lines.Single(l => l.Line == "door");
        (good.In, good.Out).Should().Be((expected.In, expected.Out), "bad input on other cameras does not affect this one");
        Reason(status, "wrong-password").Should().ContainAny("401", "nauthorized", "credentials");
        // Random bytes are no RTSP answer: ffmpeg never gets a picture, so the reason is the missing video, not an empty one.
        Reason(status, "garbage").Should().ContainAny(["stall", "timeout", "Invalid data", "no video"], "the garbage camera says it delivers no video");
        Reason(status, "size-change").Should().ContainAny("size", "resolution");
        // ffmpeg writes an mp4's index (moov) at the end: the first half of the file cannot be opened at all.
        Reason(status, "truncated").Should().ContainAny(["moov atom not found", "Invalid data"], "the truncated file's reason names what is missing");
        foreach (var broken in new[] { "wrong-password", "garbage", "truncated" })
        {
            status.Cameras.Single(c => c.Name == broken).FramesProcessed.Should().Be(0, $"{broken} never delivers a picture to count");
        }

        status.Cameras.Single(c => c.Name == "size-change").FramesProcessed.Should().BePositive("the first part of the stream is counted before the size changes");
        JsonSerializer.Serialize(status).Should().NotContain("Wr0ngPass", "credentials never reach the status");
        host.Agent.Completion.IsCompleted.Should().BeFalse("the agent keeps running and retrying the network cameras");
    }

    private static string? Reason(HgCounter.Status.StatusSnapshot status, string camera) => status.Cameras.Single(c => c.Name == camera).Health.LastError;

    private static void Encode(string source, int frames, string path)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", source, "-frames:v", frames.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c:v", "libx264", "-pix_fmt", "yuv420p", path })
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit(60_000).Should().BeTrue();
        process.ExitCode.Should().Be(0, error);
    }
}
