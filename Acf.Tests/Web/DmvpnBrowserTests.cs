namespace Acf.Tests.Web;

/// <summary>
/// The DMVPN status and OpenNHRP pages in Debian's Chromium on the demo host: the recorded status tables, choosing an
/// interface block by its link (the same page with another query), a save under confirm-or-rollback and Keep.
/// </summary>
[Trait("Category", "Browser")]
public class DmvpnBrowserTests : PageTest
{
    [Fact]
    public async Task StatusAndOpennhrp_InBrowser_TablesThenEditKeep()
    {
        var page = await OpenAsync("/dmvpn/status/view");

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

        Assert.Contains("\tholding-time 1800\n", Factory.ReadRootFile("/etc/opennhrp/opennhrp.conf"));
        Assert.DoesNotContain("\tholding-time 3600\n", Factory.ReadRootFile("/etc/opennhrp/opennhrp.conf"));
    }
}
