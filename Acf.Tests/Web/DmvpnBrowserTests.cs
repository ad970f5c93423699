using Microsoft.Playwright;

namespace Acf.Tests.Web;

/// <summary>
/// The DMVPN status and OpenNHRP pages in Debian's Chromium on the demo host: the recorded status tables, choosing an
/// interface block by its link (the same page with another query), a save under confirm-or-rollback and Keep.
/// </summary>
[Trait("Category", "Browser")]
public class DmvpnBrowserTests
{
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    ];

    [Fact]
    public async Task StatusAndOpennhrp_InBrowser_TablesThenEditKeep()
    {
        using var factory = new AcfAppFactory();
        var baseUrl = factory.StartKestrel();
        using var playwright = await Playwright.CreateAsync();
        Assertions.SetDefaultExpectTimeout(20_000);
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ChromiumArgs,
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/dmvpn/status/view");
        await page.FillAsync("#login-user", "root");
        await page.FillAsync("#login-password", AcfAppFactory.AdminPassword);
        await page.ClickAsync("#login-submit");
        await page.WaitForSelectorAsync("#acf-interactive", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });

        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "hub1.example.net", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "c6a89c25", Exact = true })).ToBeVisibleAsync();

        await page.GotoAsync("/dmvpn/opennhrp/edit");
        await Assertions.Expect(page.Locator("#cfe-form-title")).ToHaveTextAsync("New OpenNHRP interface block");
        await page.GetByRole(AriaRole.Link, new() { Name = "gre1", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#cfe-form-title")).ToHaveTextAsync("OpenNHRP interface gre1");
        await Assertions.Expect(page.Locator("#cfe-holding_time")).ToHaveValueAsync("3600");
        await page.FillAsync("#cfe-holding_time", "1800");
        await page.ClickAsync("#cfe-submit-Save");
        await Assertions.Expect(page.Locator("#cfe-form-result")).ToContainTextAsync("saved and opennhrp restarted");
        await Assertions.Expect(page.Locator("#apply-countdown")).ToBeVisibleAsync();
        await page.ClickAsync("#apply-keep");
        await Assertions.Expect(page.Locator("#apply-settled")).ToBeVisibleAsync();

        Assert.Contains("\tholding-time 1800\n", factory.ReadRootFile("/etc/opennhrp/opennhrp.conf"));
        Assert.DoesNotContain("\tholding-time 3600\n", factory.ReadRootFile("/etc/opennhrp/opennhrp.conf"));
    }
}
