using System.Diagnostics;
using System.Globalization;
using HgCounter.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace HgCounter.Samples.Tests;

/// <summary>The worker's web dashboard in a real headless Chromium, fed by a real RTSP camera that goes away and comes back.</summary>
public class WorkerDashboardBrowserTests
{
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(4);


    internal static ChromeDriver StartChromium(string windowSize = "390,844")
    {
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--window-size={windowSize}", $"--user-data-dir={TestPaths.NewTempDirectory("chromium")}");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    /// <summary>Waits until the camera card's state matches; returns the card's text at that moment.</summary>
    private static async Task<string> WaitForCardAsync(ChromeDriver browser, Func<string, bool> state, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var cards = browser.FindElements(By.CssSelector("article.card[data-camera='cam1']"));
                if (cards.Count == 1 && state(cards[0].GetDomAttribute("data-state") ?? string.Empty))
                {
                    return cards[0].Text;
                }
            }
            catch (StaleElementReferenceException)
            {
                // The page re-renders the cards on every status event; look again.
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Card state not reached within {timeout}; page: {browser.FindElement(By.TagName("body")).Text}");
            }

            await Task.Delay(200);
        }
    }

    private static long Crossings(ChromeDriver browser)
    {
        var row = browser.FindElement(By.CssSelector("article.card[data-camera='cam1'] .line[data-line='door']"));
        long Number(string cls) => long.Parse(row.FindElement(By.ClassName(cls)).Text.Split(' ')[1], CultureInfo.InvariantCulture);
        return Number("in") + Number("out");
    }

    private static async Task<long> WaitForCrossingsAboveAsync(ChromeDriver browser, long above, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                var count = Crossings(browser);
                if (count > above)
                {
                    return count;
                }
            }
            catch (StaleElementReferenceException)
            {
                // The card was re-rendered between find and read.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Crossings stayed at or below {above} for {timeout}.");
    }

    [Fact]
    public async Task Dashboard_CameraStopsAndReturns_CardTurnsOfflineWithinStallTimeoutThenOnlineAndCountsGoOn()
    {
        await using var camera = await RtspServerFixture.StartAsync("--width", "640", "--height", "360", "--fps", "10");
        var work = TestPaths.NewTempDirectory();
        var port = FreePort.Next();
        await using var worker = SampleProcess.Start(
            "HgCounter.WorkerSample",
            work,
            "--urls", $"http://127.0.0.1:{port}",
            "--HgCounter:DataDirectory=" + Path.Combine(work, "data"),
            "--HgCounter:Events:OutboxPath=" + Path.Combine(work, "data", "outbox.db"),
            "--HgCounter:Cameras:0:Name=cam1",
            "--HgCounter:Cameras:0:Url=" + camera.UrlWithCredentials("viewer", "DashSecret1"),
            "--HgCounter:Cameras:0:ReadTimeout=00:00:02",
            "--HgCounter:Cameras:0:Lines:0:Name=door",
            "--HgCounter:Cameras:0:Lines:0:Start:0=320", "--HgCounter:Cameras:0:Lines:0:Start:1=0",
            "--HgCounter:Cameras:0:Lines:0:End:0=320", "--HgCounter:Cameras:0:Lines:0:End:1=360",
            "--HgCounter:Watchdog:StallTimeout=" + StallTimeout.ToString("c", CultureInfo.InvariantCulture),
            "--HgCounter:Watchdog:InitialBackoff=00:00:00.500",
            "--HgCounter:Watchdog:MaxBackoff=00:00:02",
            "--HgCounter:StatusInterval=00:00:00.500",
            // This test is about the page, not adaptive fps: keep the camera at full rate on a busy CI machine.
            "--HgCounter:ResourceGuard:MaxCpuPercent=100");
        await worker.WaitForLineAsync(l => l.Contains("Now listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        using var browser = StartChromium();
        browser.Navigate().GoToUrl($"http://127.0.0.1:{port}/");

        await WaitForCardAsync(browser, s => s == "healthy", TimeSpan.FromSeconds(60));
        var before = await WaitForCrossingsAboveAsync(browser, 0, TimeSpan.FromSeconds(90));
        browser.PageSource.Should().NotContain("DashSecret1", "camera credentials never reach the dashboard");

        await camera.StopAsync();
        // Within StallTimeout, plus room for a loaded machine (browser polling, the status interval); the wait fails past it.
        var card = await WaitForCardAsync(browser, s => s is "offline" or "reconnecting", StallTimeout + TimeSpan.FromSeconds(15));
        card.Should().NotContain("DashSecret1").And.Contain("rtsp://***@127.0.0.1", "the card shows the redacted source, never the credentials");

        await camera.RestartAsync();
        await WaitForCardAsync(browser, s => s == "healthy", TimeSpan.FromSeconds(60));
        var after = await WaitForCrossingsAboveAsync(browser, before, TimeSpan.FromSeconds(90));
        after.Should().BeGreaterThan(before, "counting goes on after the camera returns");
        browser.FindElement(By.Id("connection")).Text.Should().Be("live");
    }
}
