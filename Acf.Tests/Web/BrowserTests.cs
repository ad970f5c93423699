using Microsoft.Playwright;

namespace Acf.Tests.Web;

/// <summary>
/// End to end in Debian's Chromium (never a downloaded browser): the app on a real Kestrel, a user logging in and
/// changing the host name the way an admin would.
/// </summary>
[Trait("Category", "Browser")]
public class BrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    ];

    [Fact]
    public async Task HostnameEdit_InBrowser_ChangesAppBarAndFile()
    {
        Assert.True(File.Exists(Chromium), "Debian's chromium is missing: scripts/test.sh installs it");
        using var factory = new AcfAppFactory();
        var baseUrl = factory.StartKestrel();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ChromiumArgs,
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseUrl.ToString() });

        await page.GotoAsync("/alpine-baselayout/hostname/edit");
        await page.FillAsync("#login-user", "root");
        await page.FillAsync("#login-password", AcfAppFactory.AdminPassword);
        await page.ClickAsync("#login-submit");
        await page.WaitForSelectorAsync("#acf-interactive", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        await page.FillAsync("#cfe-hostname", "bad-");
        await page.ClickAsync("#cfe-submit-Save");
        var fieldError = page.GetByText("A host name cannot start or end with '-'.");
        await fieldError.WaitForAsync();
        await page.FillAsync("#cfe-hostname", "edge-router");
        await page.ClickAsync("#cfe-submit-Save");
        await page.Locator("#cfe-form-result").WaitForAsync();

        Assert.Equal("Hostname set to edge-router", (await page.Locator("#cfe-form-result").InnerTextAsync()).Trim());
        await Assertions.Expect(page.Locator("#app-hostname")).ToHaveTextAsync("edge-router");
        Assert.Equal("edge-router\n", factory.ReadRootFile("/etc/hostname"));
    }
}
