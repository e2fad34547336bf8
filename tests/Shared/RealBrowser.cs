using Microsoft.Playwright;

namespace OrleansDynamo.Tests;

/// <summary>
/// A headless Chromium driven through Playwright, for tests of web pages. It is Debian's chromium (infra/test.sh installs
/// it; <c>ODYN_CHROMIUM</c> names another), as Playwright's own browser download needs a network tests do not have.
/// </summary>
public sealed class RealBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private RealBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    private static string ExecutablePath => Environment.GetEnvironmentVariable("ODYN_CHROMIUM") ?? "/usr/bin/chromium";

    public static async Task<RealBrowser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            // Root (as in CI containers) cannot use Chromium's sandbox.
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath, Headless = true, ChromiumSandbox = false, Timeout = 60_000,
            });
            return new RealBrowser(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
