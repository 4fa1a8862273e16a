using System.Diagnostics;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace HgCounter.Samples.Tests;

/// <summary>Bounded waits on the worker dashboard in Chromium: the page re-renders, so every probe may find a stale element.</summary>
internal static class DashboardPage
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>Polls <paramref name="probe"/> until it returns a value; fails after <paramref name="timeout"/> (default <see cref="Patience"/>) with the page's text.</summary>
    public static async Task<T> WaitForAsync<T>(ChromeDriver browser, Func<IWebDriver, T?> probe, TimeSpan? timeout = null)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (probe(browser) is { } found)
                {
                    return found;
                }
            }
            catch (WebDriverException)
            {
                // Not rendered yet, or re-rendered between find and read.
            }

            if (clock.Elapsed > (timeout ?? Patience))
            {
                throw new TimeoutException("Page state not reached; page: " + browser.FindElement(By.TagName("body")).Text);
            }

            await Task.Delay(200);
        }
    }
}
