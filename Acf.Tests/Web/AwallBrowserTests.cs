namespace Acf.Tests.Web;

/// <summary>
/// The router wizard in Debian's Chromium on the demo host, with internet-gateway still enabled: before Apply, the
/// exposure table and the wizard's words say that SSH stays open from the WAN because of internet-gateway (issue 17);
/// Apply with "Disable the other policies" switches it off under confirm-or-rollback.
/// </summary>
[Trait("Category", "Browser")]
public class AwallBrowserTests : PageTest
{
    [Fact]
    public async Task RouterWizard_InBrowser_ExposureTableNamesInternetGatewayThenDisablesIt()
    {
        var page = await OpenAsync("/awall/wizard/router");

        await Assertions.Expect(page.GetByText("SSH stays open from the WAN because of internet-gateway").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "ssh (tcp/22)", Exact = true }).First).ToBeVisibleAsync();
        await RouterBrowserTests.ScreenshotAsync(page, "awall-wizard-exposure");

        await page.CheckAsync("#cfe-disable_others");
        await page.ClickAsync("#cfe-submit-Apply");
        await Assertions.Expect(page.Locator("#cfe-form-result")).ToContainTextAsync("internet-gateway");
        await RouterBrowserTests.ScreenshotAsync(page, "awall-wizard-applied");

        Assert.False(File.Exists(Path.Combine(Factory.DemoRoot, "etc/awall/internet-gateway.json")));
    }
}
