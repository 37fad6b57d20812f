using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace OneThing.Tests.Browser;

/// <summary>
/// Headless Chromium from the OS packages, driven through chromedriver. Paths come from ONETHING_CHROMIUM and
/// ONETHING_CHROMEDRIVER, else /usr/bin/chromium and /usr/bin/chromedriver; nothing is ever downloaded.
/// </summary>
public static class Chromium
{
    /// <summary>How long one browser command (a page load, a click) may take on a slow, shared machine.</summary>
    public static readonly TimeSpan CommandBound = TimeSpan.FromSeconds(90);

    /// <summary>The Chromium binary.</summary>
    public static string BrowserPath => Environment.GetEnvironmentVariable("ONETHING_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>The chromedriver binary.</summary>
    public static string DriverPath => Environment.GetEnvironmentVariable("ONETHING_CHROMEDRIVER") is { Length: > 0 } path ? path : "/usr/bin/chromedriver";

    /// <summary>Fails with how to install Chromium when it is missing (CI installs it with eng/ci/chromium.sh).</summary>
    public static void EnsureInstalled()
    {
        var missing = new[] { BrowserPath, DriverPath }.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"The browser tests need Chromium and chromedriver, but {string.Join(" and ", missing)} is missing. " +
                "Install them from the OS packages with `sudo bash eng/ci/chromium.sh` (or `sudo apt-get install -y chromium chromium-driver`), " +
                "or point ONETHING_CHROMIUM and ONETHING_CHROMEDRIVER at existing binaries.");
        }
    }

    /// <summary>Starts a headless browser with a profile of its own under <paramref name="profileDirectory"/>.</summary>
    public static ChromeDriver Start(string profileDirectory)
    {
        EnsureInstalled();
        // Selenium Manager must never try to fetch a driver or a browser: the paths are given, and offline it stays.
        Environment.SetEnvironmentVariable("SE_OFFLINE", "true");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
            "--disable-extensions", "--disable-background-networking", "--window-size=1280,2000", "--lang=zh-CN",
            $"--user-data-dir={profileDirectory}");
        var driver = new ChromeDriver(service, options, CommandBound);
        driver.Manage().Timeouts().PageLoad = CommandBound;
        return driver;
    }

    /// <summary>Polls until <paramref name="condition"/> returns a value (not null, not false), for at most <paramref name="bound"/>.</summary>
    public static T Until<T>(this IWebDriver driver, Func<IWebDriver, T?> condition, TimeSpan bound, string what)
    {
        var wait = new WebDriverWait(driver, bound) { PollingInterval = TimeSpan.FromMilliseconds(250), Message = what };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            return wait.Until(condition)!;
        }
        catch (WebDriverTimeoutException e)
        {
            // Say what the browser showed instead: a failure on the shared machine is then readable from the log.
            var shown = driver.FindElements(By.TagName("body")).FirstOrDefault()?.Text ?? string.Empty;
            driver.Snapshot("timeout", always: true);
            throw new WebDriverTimeoutException($"{e.Message} (at {driver.Url}, the page showed: {shown[..Math.Min(shown.Length, 1500)]})", e);
        }
    }

    /// <summary>
    /// Saves a screenshot to $TMPDIR/onething-tests/browser/ (or ONETHING_BROWSER_SCREENSHOTS): always when
    /// <paramref name="always"/> (a failure), otherwise only when ONETHING_BROWSER_SCREENSHOTS is set.
    /// </summary>
    public static void Snapshot(this IWebDriver driver, string name, bool always = false)
    {
        var configured = Environment.GetEnvironmentVariable("ONETHING_BROWSER_SCREENSHOTS");
        if (!always && string.IsNullOrEmpty(configured))
        {
            return;
        }

        var directory = string.IsNullOrEmpty(configured) ? Path.Combine(Path.GetTempPath(), "onething-tests", "browser") : configured;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{DateTime.UtcNow:HHmmss.fff}-{name}.png");
        try
        {
            ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(path);
            TestContext.Current.SendDiagnosticMessage($"browser screenshot: {path}");
        }
        catch (WebDriverException e)
        {
            // A browser too broken for a screenshot must not hide the failure being reported.
            TestContext.Current.SendDiagnosticMessage($"no browser screenshot: {e.Message}");
        }
    }

    /// <summary>Replaces an input's text.</summary>
    public static void Type(this IWebDriver driver, string id, string text)
    {
        var input = driver.FindElement(By.Id(id));
        input.Clear();
        input.SendKeys(text);
    }

    /// <summary>Chooses an option of a select by its value.</summary>
    public static void Choose(this IWebDriver driver, string selectId, string value) =>
        driver.FindElement(By.CssSelector($"#{selectId} option[value='{value}']")).Click();
}
