namespace Acf.Tests.Web;

/// <summary>The samba module in Debian's Chromium on the demo host: a share opened from the list, changed and saved
/// (checked by testparm, as the demo host runs it), and the status page's smbstatus tables. With ACF_SCREENSHOTS set,
/// each step leaves a PNG to look at.</summary>
[Trait("Category", "Browser")]
public class SambaBrowserTests : PageTest
{
    [Fact]
    public async Task Shares_OpenFromTheListChangeAndSave_WrittenInPlace()
    {
        var page = await OpenAsync("/samba/shares/edit");

        await page.GetByRole(AriaRole.Link, new() { Name = "office", Exact = true }).ClickAsync();
        await BrowserTests.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#cfe-path")).ToHaveValueAsync("/srv/samba/office");
        await Assertions.Expect(page.Locator("#cfe-read_only")).Not.ToBeCheckedAsync();
        await page.FillAsync("#cfe-comment", "Office documents 2027");
        await page.CheckAsync("#cfe-read_only");
        await page.ClickAsync("#cfe-submit-Save");

        await Assertions.Expect(page.Locator("#cfe-form-result")).ToContainTextAsync("Share office saved.");
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Office documents 2027", Exact = true })).ToBeVisibleAsync();
        await RouterBrowserTests.ScreenshotAsync(page, "samba-shares");
        var conf = Factory.ReadRootFile("/etc/samba/smb.conf");
        Assert.Contains("\n   comment = Office documents 2027\n", conf);
        Assert.Contains("\n   writable = no\n", conf);
        Assert.Contains("\n;  wins support = yes\n", conf);
    }

    [Fact]
    public async Task Status_ShowsClientsAndOpenFiles()
    {
        var page = await OpenAsync("/samba/status/view");

        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "budget 2027.xlsx", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "192.168.1.20 (ipv4:192.168.1.20:50412)", Exact = true })).ToBeVisibleAsync();
        await RouterBrowserTests.ScreenshotAsync(page, "samba-status");
        await page.GotoAsync(new Uri(Session.BaseUrl, "/samba/global/edit").ToString());
        await BrowserTests.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#cfe-workgroup")).ToHaveValueAsync("OFFICE");
        await RouterBrowserTests.ScreenshotAsync(page, "samba-global");
    }
}
