using System.Net;
using HgCounter.Testing;
using OpenCvSharp;

namespace HgCounter.Samples.Tests;

/// <summary><c>GET /api/snapshots/{id}.jpg</c> against the real worker process counting a generated scene.</summary>
public class WorkerThumbnailTests
{
    private const string ReadKey = "thumb-read-key-01234";

    [Fact]
    public async Task Thumbnail_CountedScene_JpegForItsEventNotFoundForOthersBadRequestForNonGuid()
    {
        var folder = Path.Combine(TestPaths.NewTempDirectory(), "thumbs");
        await using var worker = await WorkerProcess.StartAsync("127.0.0.1", new Dictionary<string, string>(),
            "--Worker:ReadKey=" + ReadKey,
            "--HgCounter:Cameras:0:Name=lobby", "--HgCounter:Cameras:0:Url=synthetic:cross-both-ways", "--HgCounter:Cameras:0:Realtime=false",
            "--HgCounter:Cameras:0:Loop=false", "--HgCounter:Cameras:0:Detector=motion",
            "--HgCounter:Cameras:0:Lines:0:Name=door",
            "--HgCounter:Cameras:0:Lines:0:Start:0=320", "--HgCounter:Cameras:0:Lines:0:Start:1=0",
            "--HgCounter:Cameras:0:Lines:0:End:0=320", "--HgCounter:Cameras:0:Lines:0:End:1=360",
            "--HgCounter:Events:Snapshots:Enabled=true", "--HgCounter:Events:Snapshots:Directory=" + folder);
        var key = ("X-Api-Key", ReadKey);

        var deadline = DateTime.UtcNow.AddSeconds(90);
        string[] files = [];
        while ((files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.jpg") : []).Length == 0)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the scene's first crossing writes a thumbnail");
            await Task.Delay(200);
        }

        var id = Path.GetFileNameWithoutExtension(files[0]);
        using (var ok = await worker.SendAsync(HttpMethod.Get, $"/api/snapshots/{id}.jpg", key))
        {
            ok.StatusCode.Should().Be(HttpStatusCode.OK);
            ok.Content.Headers.ContentType!.MediaType.Should().Be("image/jpeg");
            using var picture = Cv2.ImDecode(await ok.Content.ReadAsByteArrayAsync(), ImreadModes.Color);
            picture.Empty().Should().BeFalse();
            picture.Width.Should().BeInRange(2, 160);
        }

        using (var denied = await worker.SendAsync(HttpMethod.Get, $"/api/snapshots/{id}.jpg"))
        {
            denied.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "thumbnails are read data");
        }

        using (var absent = await worker.SendAsync(HttpMethod.Get, $"/api/snapshots/{Guid.NewGuid():D}.jpg", key))
        {
            absent.StatusCode.Should().Be(HttpStatusCode.NotFound);
        }

        foreach (var bad in new[] { "abc", "..%2Foutbox", "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd" })
        {
            using var response = await worker.SendAsync(HttpMethod.Get, $"/api/snapshots/{bad}.jpg", key);
            response.StatusCode.Should().BeOneOf([HttpStatusCode.BadRequest, HttpStatusCode.NotFound], bad);
            response.StatusCode.Should().NotBe(HttpStatusCode.OK);
        }

        using (var nonGuid = await worker.SendAsync(HttpMethod.Get, "/api/snapshots/abc.jpg", key))
        {
            nonGuid.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }
    }
}
