using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HgCounter.Configuration;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Interactions;

namespace HgCounter.Samples.Tests;

/// <summary>
/// Each camera card's live picture and the line helper on it, in a real headless Chromium against the worker's
/// snapshot endpoint; the helper's line is then pasted into a worker's configuration and counts a generated scene.
/// </summary>
public class WorkerDashboardSnapshotBrowserTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Scene = "cross-both-ways";
    private const string Card = "article.card[data-camera='lobby']";

    // A looping real-time scene: the camera keeps producing frames to take pictures of.
    private static Task<WorkerProcess> StartStreamingWorkerAsync(params string[] extra) =>
        WorkerProcess.StartAsync("127.0.0.1", new Dictionary<string, string>(),
        [
            "--HgCounter:Cameras:0:Name=lobby", $"--HgCounter:Cameras:0:Url=synthetic:{Scene}", "--HgCounter:Cameras:0:Realtime=true",
            "--HgCounter:Cameras:0:Loop=true", "--HgCounter:Cameras:0:Detector=motion",
            "--HgCounter:Cameras:0:Lines:0:Name=door",
            "--HgCounter:Cameras:0:Lines:0:Start:0=320", "--HgCounter:Cameras:0:Lines:0:Start:1=0",
            "--HgCounter:Cameras:0:Lines:0:End:0=320", "--HgCounter:Cameras:0:Lines:0:End:1=360",
            .. extra,
        ]);

    private static int Loads(ChromeDriver browser) =>
        int.Parse(browser.FindElement(By.CssSelector($"{Card} .snap img")).GetDomAttribute("data-loads") ?? "0", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Dashboard_CameraStreaming_CardPictureLoadsRefreshesAndPausesWhileScrolledAwayOrInABackgroundTab()
    {
        await using var worker = await StartStreamingWorkerAsync();
        using var browser = WorkerDashboardBrowserTests.StartChromium();
        browser.Navigate().GoToUrl($"http://127.0.0.1:{worker.Port}/");

        var img = await DashboardPage.WaitForAsync(browser, b => b.FindElement(By.CssSelector($"{Card} .snap img")) is { } i && Loads(browser) >= 1 ? i : null);
        var src = img.GetDomProperty("src")!;
        src.Should().Contain("/api/cameras/lobby/snapshot.jpg").And.Contain("overlay=true").And.Contain("width=480");
        Convert.ToInt64(browser.ExecuteScript("return arguments[0].naturalWidth", img), CultureInfo.InvariantCulture).Should().Be(480, "the card asks for a 480 px wide picture");
        browser.FindElement(By.CssSelector($"{Card} .snap .placeholder")).Displayed.Should().BeFalse();

        var first = Loads(browser);
        await DashboardPage.WaitForAsync(browser, b => Loads(browser) >= first + 2 ? "refreshed" : null, TimeSpan.FromSeconds(30));
        img.GetDomProperty("src").Should().NotBe(src, "each refresh is a new picture, not the cached one");

        // Scrolled out of view the picture stops refreshing (at most the request in flight lands), and goes on when back.
        browser.ExecuteScript("document.body.append(Object.assign(document.createElement('div'), { id: 'spacer', style: 'height:6000px' })); window.scrollTo(0, document.body.scrollHeight);");
        await Task.Delay(1000);
        var away = Loads(browser);
        await Task.Delay(6000); // four refresh periods
        Loads(browser).Should().BeLessThanOrEqualTo(away + 1, "no picture is fetched for a card nobody sees");
        browser.ExecuteScript("window.scrollTo(0, 0);");
        var back = Loads(browser);
        await DashboardPage.WaitForAsync(browser, b => Loads(browser) >= back + 2 ? "resumed" : null, TimeSpan.FromSeconds(30));

        // Another tab in front hides this one (visibilityState "hidden"): no refresh until it is back. The count is
        // noted the moment the tab is visible again, before the resumed refresh can land.
        browser.ExecuteScript("document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') window.loadsWhenBack = Number(document.querySelector(\"article.card[data-camera='lobby'] .snap img\").dataset.loads); });");
        var dashboard = browser.CurrentWindowHandle;
        var hidden = Loads(browser);
        browser.SwitchTo().NewWindow(WindowType.Tab);
        await Task.Delay(6000);
        browser.SwitchTo().Window(dashboard);
        var whenBack = Convert.ToInt32(await DashboardPage.WaitForAsync(browser, b => browser.ExecuteScript("return window.loadsWhenBack ?? null")), CultureInfo.InvariantCulture);
        whenBack.Should().BeLessThanOrEqualTo(hidden + 1, "a hidden tab fetches no pictures");
        await DashboardPage.WaitForAsync(browser, b => Loads(browser) >= whenBack + 2 ? "resumed" : null, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Dashboard_CameraWithoutPicture_CardShowsThePlaceholderAndNoCredentials()
    {
        await using var worker = await WorkerProcess.StartAsync("127.0.0.1", new Dictionary<string, string>(), WorkerProcess.DeadCamera("lobby"));
        (await worker.Http.GetAsync("/api/cameras/lobby/snapshot.jpg?overlay=true&width=480")).StatusCode.Should().Be(System.Net.HttpStatusCode.ServiceUnavailable);
        using var browser = WorkerDashboardBrowserTests.StartChromium();
        browser.Navigate().GoToUrl($"http://127.0.0.1:{worker.Port}/");

        var placeholder = await DashboardPage.WaitForAsync(browser, b => b.FindElement(By.CssSelector($"{Card} .snap.unavailable .placeholder")) is { Displayed: true } p ? p : null);
        placeholder.Text.Should().Be("no picture yet");
        browser.FindElement(By.CssSelector($"{Card} .snap img")).Displayed.Should().BeFalse("the placeholder stands in, never a broken-image icon");
        browser.PageSource.Should().NotContain("DeadSecret7");
    }

    [Fact]
    public async Task LineHelper_TwoPointsClicked_ShowsTheLineJsonInSourcePixelsWithTheInArrow()
    {
        await using var worker = await StartStreamingWorkerAsync();
        using var browser = WorkerDashboardBrowserTests.StartChromium("1280,900");
        browser.Navigate().GoToUrl($"http://127.0.0.1:{worker.Port}/");

        var (start, end, json) = await DrawLineAsync(browser, (0.5, 0.1), (0.5, 0.9));
        json.Should().Be($"{{\"Name\":\"line1\",\"Start\":[{start[0]},{start[1]}],\"End\":[{end[0]},{end[1]}]}}");
        start.Should().BeEquivalentTo([320, 36], o => o.Using<int>(c => c.Subject.Should().BeCloseTo(c.Expectation, 1)).WhenTypeIs<int>(), "a tenth of the way down the middle of a 640x360 picture");
        end.Should().BeEquivalentTo([320, 324], o => o.Using<int>(c => c.Subject.Should().BeCloseTo(c.Expectation, 1)).WhenTypeIs<int>());

        // A line drawn downwards counts left to right as In (docs/counting.md): the arrow points right.
        var arrow = browser.FindElement(By.CssSelector("#helper-layer .in-arrow"));
        double Attr(string name) => double.Parse(arrow.GetDomAttribute(name)!, CultureInfo.InvariantCulture);
        (Attr("x2") - Attr("x1")).Should().BeGreaterThan(30);
        Math.Abs(Attr("y2") - Attr("y1")).Should().BeLessThan(2);
        browser.FindElement(By.CssSelector("#helper-layer .in-label")).Text.Should().Be("In");
        browser.FindElement(By.Id("helper-copy")).Enabled.Should().BeTrue();
    }

    [Fact]
    public async Task LineHelper_LineDrawnOnTheSnapshot_WorkerConfiguredWithItCountsTheScenesTruthExactly()
    {
        JsonNode line;
        await using (var worker = await StartStreamingWorkerAsync())
        {
            using var browser = WorkerDashboardBrowserTests.StartChromium("1280,900");
            browser.Navigate().GoToUrl($"http://127.0.0.1:{worker.Port}/");
            // A slanted line, not the scene's door: the count must come from the points the helper produced.
            var (_, _, json) = await DrawLineAsync(browser, (0.40, 0.04), (0.46, 0.96));
            output.WriteLine(json);
            line = JsonNode.Parse(json)!;
        }

        var options = line.Deserialize<LineOptions>()!;
        var truth = SyntheticScenes.Get(Scene).ExpectedCount(options);
        (truth.In + truth.Out).Should().BeGreaterThan(0, "the scene's walkers cross the drawn line");

        var work = TestPaths.NewTempDirectory();
        var config = SampleConfig.Write(work, "helper.json", new
        {
            Cameras = new[] { new { Name = "lobby", Url = $"synthetic:{Scene}", Detector = "motion", Realtime = false, Loop = false, Lines = new[] { line } } },
        });
        await using var counting = await WorkerProcess.StartAsync("127.0.0.1", new Dictionary<string, string>(), "--config", config);
        var counted = await CountedAsync(counting);
        counted.Should().Be((truth.In, truth.Out), "the pasted line counts the scene exactly, In and Out the way the helper's arrow showed");
    }

    [Fact]
    public async Task ZoneHelper_FourCornersClickedAndClosed_ShowsTheZoneJsonInSourcePixels()
    {
        await using var worker = await StartStreamingWorkerAsync();
        using var browser = WorkerDashboardBrowserTests.StartChromium("1280,900");
        browser.Navigate().GoToUrl($"http://127.0.0.1:{worker.Port}/");
        var img = await OpenHelperAsync(browser);
        browser.FindElement(By.CssSelector("input[name='helper-mode'][value='zone']")).Click();
        var corners = new[] { (0.25, 0.25), (0.75, 0.25), (0.75, 0.75), (0.25, 0.75) };
        foreach (var corner in corners)
        {
            Click(browser, img, corner);
        }

        browser.FindElement(By.Id("helper-copy")).Enabled.Should().BeFalse("an open polygon is not a zone yet");
        browser.FindElement(By.Id("helper-close-zone")).Click();

        using var doc = JsonDocument.Parse(browser.FindElement(By.Id("helper-json")).Text);
        doc.RootElement.GetProperty("Name").GetString().Should().Be("zone1");
        var points = doc.RootElement.GetProperty("Points").EnumerateArray().Select(p => p.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToList();
        points.Should().HaveCount(4);
        int[][] expected = [[160, 90], [480, 90], [480, 270], [160, 270]]; // the quarter marks of a 640x360 picture
        for (var i = 0; i < 4; i++)
        {
            points[i][0].Should().BeCloseTo(expected[i][0], 1);
            points[i][1].Should().BeCloseTo(expected[i][1], 1);
        }

        browser.FindElements(By.CssSelector("#helper-layer polygon.zone-shape")).Should().ContainSingle("the closed zone is drawn");
    }

    private static async Task<IWebElement> OpenHelperAsync(ChromeDriver browser)
    {
        var card = await DashboardPage.WaitForAsync(browser, b => Loads(browser) >= 1 ? b.FindElement(By.CssSelector($"{Card} .snap img")) : null);
        card.Click();
        var img = await DashboardPage.WaitForAsync(browser, b => b.FindElement(By.Id("helper-image")) is { Displayed: true } i
            && Convert.ToInt64(browser.ExecuteScript("return arguments[0].naturalWidth", i), CultureInfo.InvariantCulture) > 0 ? i : null);
        Convert.ToInt64(browser.ExecuteScript("return arguments[0].naturalWidth", img), CultureInfo.InvariantCulture).Should().Be(SyntheticScenes.Width, "the helper shows the picture at its source size");
        return img;
    }

    // Selenium offsets are from the element's centre, in CSS pixels; the point is a fraction of the shown picture.
    private static void Click(ChromeDriver browser, IWebElement img, (double X, double Y) at) =>
        new Actions(browser).MoveToElement(img, (int)Math.Round((at.X - 0.5) * img.Size.Width), (int)Math.Round((at.Y - 0.5) * img.Size.Height)).Click().Perform();

    /// <summary>Opens the helper on lobby's picture and clicks two points given as fractions of the shown picture.</summary>
    private static async Task<(int[] Start, int[] End, string Json)> DrawLineAsync(ChromeDriver browser, (double X, double Y) from, (double X, double Y) to)
    {
        var img = await OpenHelperAsync(browser);
        Click(browser, img, from);
        Click(browser, img, to);

        var json = browser.FindElement(By.Id("helper-json")).Text;
        using var doc = JsonDocument.Parse(json);
        int[] Point(string name) => [.. doc.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetInt32())];
        return (Point("Start"), Point("End"), json);
    }

    private static async Task<(long In, long Out)> CountedAsync(WorkerProcess worker)
    {
        using var deadline = new CancellationTokenSource(DashboardPage.Patience);
        while (true)
        {
            using var status = JsonDocument.Parse(await worker.Http.GetStringAsync("/api/status", deadline.Token));
            var camera = status.RootElement.GetProperty("cameras")[0];
            if (camera.GetProperty("health").GetProperty("health").GetString() == "Finished")
            {
                var line = camera.GetProperty("lines")[0];
                return (line.GetProperty("in").GetInt64(), line.GetProperty("out").GetInt64());
            }

            await Task.Delay(250, deadline.Token);
        }
    }
}
