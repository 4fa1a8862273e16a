using System.Globalization;
using System.Net;
using System.Text.Json;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Testing;
using Microsoft.Data.Sqlite;

namespace HgCounter.Samples.Tests;

/// <summary>
/// The count history as users read it: the console sample's CSV export after a SIGKILL and a restart, and the worker's
/// <c>/api/counts</c> and <c>/metrics</c> against the real process.
/// </summary>
public class CountHistoryTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string CsvHeader = "bucket_start,camera,target,direction,class,count,covered_seconds";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task ExportCounts_CountedAcrossASigkillAndARestart_BucketsAddUpToEveryStoredEvent()
    {
        var work = TestPaths.NewTempDirectory();
        var data = Path.Combine(work, "data");
        var truth = SyntheticScenes.Get("cross-both-ways").ExpectedCount("door");
        object Section(string camera) => new
        {
            DataDirectory = data,
            TimeZone = "Europe/Berlin",
            Cameras = new[] { SampleConfig.SceneCamera(camera, "cross-both-ways"), SampleConfig.IdleCamera() },
            Events = new { OutboxPath = Path.Combine(data, "outbox.db") },
        };

        // Run 1 counts the scene as camera "lobby" and dies without any shutdown code; run 2 counts it as "hall".
        foreach (var camera in new[] { "lobby", "hall" })
        {
            var config = SampleConfig.Write(work, camera + ".json", Section(camera));
            await using var agent = SampleProcess.Start("HgCounter.ConsoleSample", work, "--config", config);
            await agent.WaitForLineAsync(l => l.Contains($"camera={camera} health=Finished", StringComparison.Ordinal), Patience);
            await agent.KillHardAsync();
        }

        var csv = Path.Combine(work, "counts.csv");
        await using (var export = SampleProcess.Start("HgCounter.ConsoleSample", work, "--config", Path.Combine(work, "hall.json"), "--export-counts", csv, "--bucket", "1d"))
        {
            (await export.WaitForExitAsync(Patience)).Should().Be(0, export.Output);
        }

        var lines = await File.ReadAllLinesAsync(csv);
        output.WriteLine(string.Join('\n', lines));
        lines[0].Should().Be(CsvHeader);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        foreach (var camera in new[] { "lobby", "hall" })
        {
            long Sum(string direction) => rows.Where(r => r[1] == camera && r[2] == "door" && r[3] == direction).Sum(r => long.Parse(r[5], CultureInfo.InvariantCulture));
            (Sum("In"), Sum("Out")).Should().Be((truth.In, truth.Out), $"{camera}'s crossings survive the kill in the history");
        }

        rows.Sum(r => long.Parse(r[5], CultureInfo.InvariantCulture)).Should().Be(StoredEvents(Path.Combine(data, "outbox.db")), "the history holds exactly the events the outbox stored");
        rows.Select(r => DateTimeOffset.Parse(r[0], CultureInfo.InvariantCulture).Offset).Should().OnlyContain(o => o == TimeSpan.FromHours(1) || o == TimeSpan.FromHours(2), "day buckets start at Berlin's local midnight");
    }

    [Fact]
    public async Task Worker_SceneCounted_ApiCountsAsJsonAndCsvAndMetricsCarryTheCountedCrossings()
    {
        var truth = SyntheticScenes.Get("cross-both-ways").ExpectedCount("door");
        await using var worker = await WorkerProcess.StartAsync("127.0.0.1", new Dictionary<string, string>(),
            "--HgCounter:Cameras:0:Name=lobby", "--HgCounter:Cameras:0:Url=synthetic:cross-both-ways", "--HgCounter:Cameras:0:Realtime=false",
            "--HgCounter:Cameras:0:Loop=false", "--HgCounter:Cameras:0:Detector=motion",
            "--HgCounter:Cameras:0:Lines:0:Name=door",
            "--HgCounter:Cameras:0:Lines:0:Start:0=320", "--HgCounter:Cameras:0:Lines:0:Start:1=0",
            "--HgCounter:Cameras:0:Lines:0:End:0=320", "--HgCounter:Cameras:0:Lines:0:End:1=360");
        var from = DateTimeOffset.UtcNow.AddDays(-1).ToString("O", CultureInfo.InvariantCulture);
        var to = DateTimeOffset.UtcNow.AddDays(1).ToString("O", CultureInfo.InvariantCulture);
        var query = $"/api/counts?camera=lobby&from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}&bucket=15m";

        // JSON: poll until the scene's crossings are in.
        using var deadline = new CancellationTokenSource(Patience);
        JsonElement[] rows = [];
        while (!deadline.IsCancellationRequested)
        {
            using var json = JsonDocument.Parse(await worker.Http.GetStringAsync(query + "&format=json", CancellationToken.None));
            rows = [.. json.RootElement.EnumerateArray().Select(e => e.Clone())];
            if (rows.Sum(r => r.GetProperty("count").GetInt64()) >= truth.In + truth.Out)
            {
                break;
            }

            await Task.Delay(500, CancellationToken.None);
        }

        output.WriteLine(JsonSerializer.Serialize(rows));
        long Count(string direction) => rows.Where(r => r.GetProperty("target").GetString() == "door" && r.GetProperty("direction").GetString() == direction).Sum(r => r.GetProperty("count").GetInt64());
        (Count("In"), Count("Out")).Should().Be((truth.In, truth.Out));
        rows.Select(r => r.GetProperty("camera").GetString()).Should().OnlyContain(c => c == "lobby");
        rows.Select(r => r.EnumerateObject().Select(p => p.Name).ToArray()).Should().OnlyContain(names => names.Contains("bucket_start") && names.Contains("covered_seconds"));

        // CSV: the same rows under the documented header.
        var csv = (await worker.Http.GetStringAsync(query + "&format=csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        csv[0].Trim().Should().Be(CsvHeader);
        csv.Skip(1).Sum(l => long.Parse(l.Split(',')[5], CultureInfo.InvariantCulture)).Should().Be(truth.In + truth.Out);

        // A bad parameter is a 400 that names it.
        using var bad = await worker.Http.GetAsync($"/api/counts?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}&bucket=5m");
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).Should().Contain("'bucket'");

        // Metrics: the crossing counter carries the counted values per direction.
        var metrics = await worker.Http.GetStringAsync("/metrics");
        var crossings = metrics.Split('\n').Where(l => l.StartsWith("hgcounter_crossings_total{", StringComparison.Ordinal)).ToList();
        output.WriteLine(string.Join('\n', crossings));
        double Metric(string direction) => crossings.Where(l => l.Contains("camera=\"lobby\"", StringComparison.Ordinal) && l.Contains("line=\"door\"", StringComparison.Ordinal) && l.Contains($"direction=\"{direction}\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
        (Metric("In"), Metric("Out")).Should().Be((truth.In, truth.Out));
    }

    private static long StoredEvents(string outbox)
    {
        using var connection = new SqliteConnection($"Data Source={outbox};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM events";
        return (long)command.ExecuteScalar()!;
    }
}
