using System.Net;
using HgCounter.Testing;
using OpenCvSharp;

namespace HgCounter.Samples.Tests;

/// <summary><c>GET /api/cameras/{name}/snapshot.jpg</c> against the real worker process, reading a real RTSP server.</summary>
public class WorkerSnapshotTests
{
    private const string ReadKey = "snap-read-key-012345";

    [Fact]
    public async Task Snapshot_LiveAndDeadCameras_JpegWithOverlayRawScaledAndErrorsAsDocumented()
    {
        await using var camera = await RtspServerFixture.StartAsync("--width", "640", "--height", "360", "--fps", "10");
        await using var worker = await WorkerProcess.StartAsync(
            "127.0.0.1",
            new Dictionary<string, string>(),
            "--Worker:ReadKey=" + ReadKey,
            "--HgCounter:Cameras:0:Name=cam1",
            "--HgCounter:Cameras:0:Url=" + camera.UrlWithCredentials("viewer", "SnapSecret9"),
            "--HgCounter:Cameras:0:Lines:0:Name=door",
            "--HgCounter:Cameras:0:Lines:0:Start:0=320", "--HgCounter:Cameras:0:Lines:0:Start:1=0",
            "--HgCounter:Cameras:0:Lines:0:End:0=320", "--HgCounter:Cameras:0:Lines:0:End:1=360",
            "--HgCounter:Cameras:1:Name=dead",
            $"--HgCounter:Cameras:1:Url=rtsp://viewer:DeadSecret7@127.0.0.1:{FreePort.Next()}/live",
            "--HgCounter:Watchdog:InitialBackoff=00:00:00.500",
            "--HgCounter:Watchdog:MaxBackoff=00:00:02");
        var key = ("X-Api-Key", ReadKey);

        // The camera connects within seconds; until its first frame the answer is 503.
        using var overlaid = await PollAsync(() => worker.SendAsync(HttpMethod.Get, "/api/cameras/cam1/snapshot.jpg", key), r => r.StatusCode == HttpStatusCode.OK, worker);
        overlaid.Content.Headers.ContentType!.MediaType.Should().Be("image/jpeg");
        overlaid.Headers.CacheControl!.NoStore.Should().BeTrue();
        using (var picture = await DecodeAsync(overlaid))
        {
            (picture.Width, picture.Height).Should().Be((640, 360));
            IsMagenta(picture.At<Vec3b>(100, 320)).Should().BeTrue($"the door line is drawn at x = 320; found {picture.At<Vec3b>(100, 320)}");
        }

        using (var raw = await worker.SendAsync(HttpMethod.Get, "/api/cameras/cam1/snapshot.jpg?overlay=false&width=320", key))
        {
            raw.StatusCode.Should().Be(HttpStatusCode.OK);
            using var picture = await DecodeAsync(raw);
            (picture.Width, picture.Height).Should().Be((320, 180));
            IsMagenta(picture.At<Vec3b>(50, 160)).Should().BeFalse("overlay=false draws no line");
        }

        using (var denied = await worker.SendAsync(HttpMethod.Get, "/api/cameras/cam1/snapshot.jpg"))
        {
            denied.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the picture is read data like /api/status");
        }

        using (var unknown = await worker.SendAsync(HttpMethod.Get, "/api/cameras/garage/snapshot.jpg", key))
        {
            unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await unknown.Content.ReadAsStringAsync()).Should().Contain("garage");
        }

        foreach (var width in new[] { "abc", "5", "-10" })
        {
            using var bad = await worker.SendAsync(HttpMethod.Get, "/api/cameras/cam1/snapshot.jpg?width=" + width, key);
            bad.StatusCode.Should().Be(HttpStatusCode.BadRequest, $"width={width}");
            (await bad.Content.ReadAsStringAsync()).Should().Contain("width");
        }

        using (var dead = await worker.SendAsync(HttpMethod.Get, "/api/cameras/dead/snapshot.jpg", key))
        {
            dead.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            dead.Headers.RetryAfter.Should().NotBeNull();
            (await dead.Content.ReadAsStringAsync()).Should().Contain("dead").And.NotContain("DeadSecret7");
        }
    }

    private static bool IsMagenta(Vec3b pixel) => pixel.Item0 > 180 && pixel.Item1 < 90 && pixel.Item2 > 180;

    private static async Task<Mat> DecodeAsync(HttpResponseMessage response)
    {
        var picture = Cv2.ImDecode(await response.Content.ReadAsByteArrayAsync(), ImreadModes.Color);
        picture.Empty().Should().BeFalse("the body is a JPEG");
        return picture;
    }

    private static async Task<HttpResponseMessage> PollAsync(Func<Task<HttpResponseMessage>> send, Func<HttpResponseMessage, bool> done, WorkerProcess worker)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var response = await send();
            if (done(response))
            {
                return response;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Last answer {response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{worker.Process.Output}");
            }

            response.Dispose();
            await Task.Delay(500);
        }
    }
}
