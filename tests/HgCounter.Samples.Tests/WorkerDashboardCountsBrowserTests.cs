using System.Globalization;
using System.Text.Json;
using HgCounter.Rtsp.Synthetic;
using OpenQA.Selenium;

namespace HgCounter.Samples.Tests;

/// <summary>
/// The dashboard's count chart, latest crossings and zone rows in a real headless Chromium, on a worker counting a
/// generated scene whose true counts are known.
/// </summary>
public class WorkerDashboardCountsBrowserTests
{
    // UTC+14 all year: at most hours of the UTC day its date differs from the browser's (UTC) date, so a page that cut
    // "today" in its own zone would show other hours.
    private const string FarZone = "Pacific/Kiritimati";

    private static Task<WorkerProcess> StartSceneWorkerAsync(string camera, string scene) =>
        WorkerProcess.StartAsync("127.0.0.1", new Dictionary<string, string>(),
            "--HgCounter:TimeZone=" + FarZone,
            $"--HgCounter:Cameras:0:Name={camera}", $"--HgCounter:Cameras:0:Url=synthetic:{scene}", "--HgCounter:Cameras:0:Realtime=false",
            "--HgCounter:Cameras:0:Loop=false", "--HgCounter:Cameras:0:Detector=motion",
            "--HgCounter:Cameras:0:Lines:0:Name=door",
            "--HgCounter:Cameras:0:Lines:0:Start:0=320", "--HgCounter:Cameras:0:Lines:0:Start:1=0",
            "--HgCounter:Cameras:0:Lines:0:End:0=320", "--HgCounter:Cameras:0:Lines:0:End:1=360");

    [Fact]
    public async Task Dashboard_SceneCounted_ChartShowsTodaysCrossingsPerDirectionInTheAgentsLocalHour()
    {
        var truth = SyntheticScenes.Get("cross-both-ways").ExpectedCount("door");
        var zone = TimeZoneInfo.FindSystemTimeZoneById(FarZone);
        var startHour = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).Hour;
        await using var worker = await StartSceneWorkerAsync("lobby", "cross-both-ways");
        using var browser = WorkerDashboardBrowserTests.StartChromium();
        browser.Navigate().GoToUrl($"http://127.0.0.1:{worker.Port}/");

        // The chart is drawn from /api/counts (the history), not from the live totals; read whole inside the probe
        // (it is redrawn every 30 s).
        var chart = await DashboardPage.WaitForAsync(browser, b => b.FindElements(By.CssSelector("article.card[data-camera='lobby'] .chart[data-line='door'][data-source='history']"))
            .Where(c => Number(c, "data-today-in") + Number(c, "data-today-out") >= truth.In + truth.Out)
            .Select(c => new
            {
                In = Number(c, "data-today-in"),
                Out = Number(c, "data-today-out"),
                YesterdayIn = Number(c, "data-yesterday-in"),
                Bars = c.FindElements(By.CssSelector("rect[data-day='today']")).Select(r => (Hour: (int)Number(r, "data-hour"), Count: Number(r, "data-count"))).ToList(),
                c.Text,
            }).FirstOrDefault());
        (chart.In, chart.Out).Should().Be((truth.In, truth.Out), "the chart shows the scene's crossings per direction");
        chart.YesterdayIn.Should().Be(0, "a fresh worker counted nothing yesterday");
        chart.Bars.Sum(r => r.Count).Should().Be(truth.In + truth.Out, "the bars add up to the totals");
        var endHour = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).Hour;
        chart.Bars.Select(r => r.Hour).Should().OnlyContain(h => h == startHour || h == endHour, $"bars stand at the hour of {FarZone}, the agent's HgCounter:TimeZone");
        chart.Text.Should().Contain($"today in {truth.In}").And.Contain($"out {truth.Out}");

        using var days = JsonDocument.Parse(await worker.Http.GetStringAsync("/api/days"));
        days.RootElement.GetProperty("timeZone").GetString().Should().Be(FarZone);
        days.RootElement.GetProperty("today").GetProperty("date").GetString().Should()
            .Be(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Dashboard_SceneCounted_LatestCrossingsListEachCrossingWithCameraLineDirectionAndClass()
    {
        var truth = SyntheticScenes.Get("cross-both-ways").ExpectedCount("door");
        await using var worker = await StartSceneWorkerAsync("lobby", "cross-both-ways");
        using var browser = WorkerDashboardBrowserTests.StartChromium();
        browser.Navigate().GoToUrl($"http://127.0.0.1:{worker.Port}/");

        var rows = await DashboardPage.WaitForAsync(browser, b =>
        {
            var found = b.FindElements(By.CssSelector("#crossings tr.crossing"));
            return found.Count >= truth.In + truth.Out ? found.Select(r => r.FindElements(By.TagName("td")).Select(td => td.Text).ToArray()).ToList() : null;
        });

        rows.Should().HaveCount((int)(truth.In + truth.Out), "one row per crossing, no more");
        var ids = browser.FindElements(By.CssSelector("#crossings tr.crossing")).Select(r => Guid.Parse(r.GetDomAttribute("data-event-id")!)).ToList();
        var events = (await WaitForCrossingsAsync(worker, rows.Count)).Select(e => e.GetProperty("event_id").GetGuid());
        ids.Should().Equal(events, "the rows are the agent's events, newest first");
        rows.Count(r => r[3] == "In").Should().Be((int)truth.In);
        rows.Count(r => r[3] == "Out").Should().Be((int)truth.Out);
        using var status = JsonDocument.Parse(await worker.Http.GetStringAsync("/api/status"));
        var counted = status.RootElement.GetProperty("cameras")[0].GetProperty("lines")[0].GetProperty("byClass").EnumerateObject().Select(p => p.Name).ToList();
        rows.Should().OnlyContain(r => r[1] == "lobby" && r[2] == "door" && counted.Contains(r[4]), "camera, line and the class the detector counted");
        rows.Select(r => r[0]).Should().OnlyContain(t => IsClockTime(t), "each row has its time");
        browser.FindElements(By.CssSelector("#crossings th")).Select(th => th.Text).Should().NotContain("snapshot", "no thumbnail column when no event has a snapshot");
        browser.FindElement(By.Id("crossings-empty")).Displayed.Should().BeFalse();
    }

    [Fact]
    public async Task CrossingsEndpoint_SceneCounted_EachCrossingOnceAsTheCountEventWithIdKindAndEventTime()
    {
        var truth = SyntheticScenes.Get("cross-both-ways").ExpectedCount("door");
        var started = DateTimeOffset.UtcNow;
        await using var worker = await StartSceneWorkerAsync("lobby", "cross-both-ways");

        var rows = await WaitForCrossingsAsync(worker, (int)(truth.In + truth.Out));

        rows.Should().HaveCount((int)(truth.In + truth.Out), "one event per crossing, no more");
        rows.Select(r => r.GetProperty("event_id").GetGuid()).Should().OnlyHaveUniqueItems().And.NotContain(Guid.Empty);
        rows.Should().OnlyContain(r => r.GetProperty("kind").GetString() == "crossing" && r.GetProperty("camera").GetString() == "lobby" && r.GetProperty("line").GetString() == "door");
        rows.Count(r => r.GetProperty("direction").GetString() == "In").Should().Be((int)truth.In);
        rows.Select(r => r.EnumerateObject().Select(p => p.Name).ToList()).Should().AllSatisfy(keys => keys.Should().NotContain(["zone", "dwell_seconds", "snapshot_id"], "absent when not set, as on the wire to sinks"));
        var times = rows.Select(r => r.GetProperty("timestamp").GetDateTimeOffset()).ToList();
        times.Should().BeInDescendingOrder("newest first").And.OnlyContain(t => t >= started.AddMinutes(-1) && t <= DateTimeOffset.UtcNow.AddMinutes(1));
        times.Should().OnlyHaveUniqueItems("each crossing carries its own frame's time, not one status snapshot's");
    }

    [Fact]
    public async Task Dashboard_CameraWithoutZonesThenStatusWithZones_CardShowsNoZoneRowsThenOccupancyPerZone()
    {
        await using var worker = await StartSceneWorkerAsync("lobby", "cross-both-ways");
        using var browser = WorkerDashboardBrowserTests.StartChromium();
        browser.Navigate().GoToUrl($"http://127.0.0.1:{worker.Port}/");

        // Read inside the probe: the row is redrawn on every status.
        var row = await DashboardPage.WaitForAsync(browser, b => b.FindElements(By.CssSelector("article.card[data-camera='lobby'] .line[data-line='door']")).FirstOrDefault()?.Text);
        browser.FindElements(By.CssSelector("article.card[data-camera='lobby'] .zone")).Should().BeEmpty("the camera has no zones");
        browser.FindElement(By.CssSelector("article.card[data-camera='lobby'] .zones")).Displayed.Should().BeFalse();
        row.Should().StartWith("door");

        // This camera has no zones (the live zone test is below): the page's own renderer gets a status camera with zones, as
        // CameraStatus.Zones serialises, and is read back in the same script (before the next status redraws it).
        var text = (string)browser.ExecuteScript("""
            const card = cards.get('lobby');
            renderZones(card, [{ zone: 'queue', count: 3, byClass: { person: 2, car: 1 } }, { zone: 'exit', count: 0, byClass: {} }]);
            return [...card.zones.querySelectorAll('.zone')].map(z => z.dataset.zone + '|' + z.innerText.replace(/\s+/g, ' ')).join('\n');
            """)!;
        text.Split('\n').Should().Equal("queue|queue 3 person 2 · car 1", "exit|exit 0 empty");
    }

    [Fact]
    public async Task Dashboard_ZoneSceneLive_CardShowsWhoIsInsideAndTheListShowsTheZoneEvents()
    {
        var scene = SyntheticScenes.Get("zone-visits");
        var zone = scene.Zones.Single();
        var args = new List<string>
        {
            "--HgCounter:Cameras:0:Name=shop", "--HgCounter:Cameras:0:Url=synthetic:zone-visits", "--HgCounter:Cameras:0:Realtime=true",
            "--HgCounter:Cameras:0:Loop=false", "--HgCounter:Cameras:0:Detector=motion",
            "--HgCounter:Cameras:0:Lines:0:Name=door",
            "--HgCounter:Cameras:0:Lines:0:Start:0=320", "--HgCounter:Cameras:0:Lines:0:Start:1=0",
            "--HgCounter:Cameras:0:Lines:0:End:0=320", "--HgCounter:Cameras:0:Lines:0:End:1=360",
            $"--HgCounter:Cameras:0:Zones:0:Name={zone.Name}",
            string.Create(CultureInfo.InvariantCulture, $"--HgCounter:Cameras:0:Zones:0:MinFrames={zone.MinFrames}"),
        };
        for (var i = 0; i < zone.Points.Length; i++)
        {
            args.Add(string.Create(CultureInfo.InvariantCulture, $"--HgCounter:Cameras:0:Zones:0:Points:{i}:0={zone.Points[i][0]}"));
            args.Add(string.Create(CultureInfo.InvariantCulture, $"--HgCounter:Cameras:0:Zones:0:Points:{i}:1={zone.Points[i][1]}"));
        }

        await using var worker = await WorkerProcess.StartAsync("127.0.0.1", new Dictionary<string, string>(), [.. args]);
        using var browser = WorkerDashboardBrowserTests.StartChromium();
        browser.Navigate().GoToUrl($"http://127.0.0.1:{worker.Port}/");

        // Someone walks through the zone and another stays in it for seconds at the scene's real pace: the card shows one inside.
        var inside = await DashboardPage.WaitForAsync(browser, b =>
            b.FindElements(By.CssSelector($"article.card[data-camera='shop'] .zone[data-zone='{zone.Name}'] .occupancy")).FirstOrDefault(e => e.Text == "1")?.Text);
        inside.Should().Be("1");

        // The list shows the zone's enter events as the agent minted them, with the zone in the line column.
        var kinds = await DashboardPage.WaitForAsync(browser, b =>
        {
            var rows = b.FindElements(By.CssSelector("tr[data-kind='zone-enter']"));
            return rows.Count > 0 ? rows.Select(r => r.Text).ToList() : null;
        });
        kinds.Should().AllSatisfy(text => text.Should().Contain("shop").And.Contain(zone.Name));
    }

    [Fact]
    public async Task DashboardEndpoints_ReadKeySet_DaysAndCrossingsNeedTheKeyAndABadLimitIsA400NamingIt()
    {
        await using var worker = await WorkerProcess.StartAsync("127.0.0.1", new Dictionary<string, string>(), [.. WorkerProcess.DeadCamera("cam"), "--Worker:ReadKey=dash-read-key-7"]);
        foreach (var path in new[] { "/api/days", "/api/crossings" })
        {
            (await worker.SendAsync(HttpMethod.Get, path)).StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized, $"{path} names cameras and lines");
            (await worker.SendAsync(HttpMethod.Get, path, ("X-Api-Key", "dash-read-key-7"))).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        }

        using var bad = await worker.SendAsync(HttpMethod.Get, "/api/crossings?limit=100000", ("X-Api-Key", "dash-read-key-7"));
        bad.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).Should().Contain("'limit'");
        using var none = await worker.SendAsync(HttpMethod.Get, "/api/crossings?camera=cam", ("X-Api-Key", "dash-read-key-7"));
        (await none.Content.ReadAsStringAsync()).Should().Be("[]", "a camera that never connected crossed nothing");
    }

    private static async Task<List<JsonElement>> WaitForCrossingsAsync(WorkerProcess worker, int count)
    {
        var timeout = HgCounter.Testing.TestContext.Timeout(90);
        while (true)
        {
            using var json = JsonDocument.Parse(await worker.Http.GetStringAsync("/api/crossings?limit=500", timeout));
            var rows = json.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
            if (rows.Count >= count)
            {
                return rows;
            }

            await Task.Delay(200, timeout);
        }
    }

    private static bool IsClockTime(string text) => TimeOnly.TryParseExact(text, "HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static long Number(IWebElement element, string attribute) =>
        long.Parse(element.GetDomAttribute(attribute) ?? "-1", CultureInfo.InvariantCulture);
}
