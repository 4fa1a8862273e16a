using OpenQA.Selenium;

namespace HgCounter.Samples.Tests;

/// <summary>The dashboard in a real headless Chromium when <c>Worker:ReadKey</c> is set, on the labelled demo scene.</summary>
public class WorkerDashboardReadKeyBrowserTests
{
    [Fact]
    public async Task Dashboard_ReadKeySetOnDemo_AsksForTheKeyThenShowsTheLabelledDemoLive()
    {
        await using var worker = await WorkerProcess.StartAsync("127.0.0.1", new Dictionary<string, string>(), "--Worker:ReadKey=page-read-key-42");
        using var browser = WorkerDashboardBrowserTests.StartChromium();
        browser.Navigate().GoToUrl($"http://127.0.0.1:{worker.Port}/");

        var form = await WaitForAsync(browser, b => b.FindElement(By.Id("key-form")) is { Displayed: true } f ? f : null);
        browser.FindElements(By.CssSelector("article.card")).Should().BeEmpty("no data without the key");
        browser.FindElement(By.Id("key")).SendKeys("page-read-key-42");
        form.FindElement(By.TagName("button")).Click();

        await WaitForAsync(browser, b => b.FindElements(By.CssSelector("article.card[data-camera='demo']")).FirstOrDefault());
        await WaitForAsync(browser, b => b.FindElement(By.Id("connection")).Text == "live" ? "live" : null);
        browser.FindElement(By.Id("demo")).Displayed.Should().BeTrue("demo counts are labelled as such");
        browser.FindElement(By.Id("key-form")).Displayed.Should().BeFalse();
        browser.PageSource.Should().NotContain("page-read-key-42", "the key is not kept in the page");
    }

    private static Task<T> WaitForAsync<T>(OpenQA.Selenium.Chrome.ChromeDriver browser, Func<IWebDriver, T?> probe)
        where T : class => DashboardPage.WaitForAsync(browser, probe, TimeSpan.FromSeconds(60));
}
