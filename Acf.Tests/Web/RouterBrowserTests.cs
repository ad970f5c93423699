namespace Acf.Tests.Web;

/// <summary>The router modules (dnsmasq, time, OpenSSH) in Debian's Chromium. With ACF_SCREENSHOTS set to a folder,
/// each test leaves a PNG of its page there for a person to look at.</summary>
[Trait("Category", "Browser")]
public class RouterBrowserTests : PageTest
{
    internal static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("ACF_SCREENSHOTS") is { Length: > 0 } folder)
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    [Fact]
    public async Task Dnsmasq_MakeALeaseStatic_SavedAsADhcpHostLine()
    {
        var page = await OpenAsync("/dnsmasq/leases/view");
        await Assertions.Expect(page.GetByText("macbook-anna")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "dnsmasq-leases");

        await page.GetByRole(AriaRole.Link, new() { Name = "make static" }).First.ClickAsync();
        await BrowserTests.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#cfe-address")).ToHaveValueAsync("192.168.1.112");
        await page.FillAsync("#cfe-address", "192.168.1.20");
        await page.ClickAsync("#cfe-submit-Save");

        await Assertions.Expect(page.Locator("#cfe-form-result")).ToContainTextAsync("Static lease of 3c:22:fb:41:7a:10 saved.");
        await ScreenshotAsync(page, "dnsmasq-hosts");
        Assert.Contains("\ndhcp-host=3c:22:fb:41:7a:10,macbook-anna,192.168.1.20\n", Factory.ReadRootFile("/etc/dnsmasq.conf"));
    }
}
