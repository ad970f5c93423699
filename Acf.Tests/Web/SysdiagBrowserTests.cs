namespace Acf.Tests.Web;

/// <summary>The diagnostics and system modules (issue 21 items 5 and 6) in Debian's Chromium, on the demo host. With
/// ACF_SCREENSHOTS set to a folder, each test leaves a PNG of its pages there for a person to look at.</summary>
[Trait("Category", "Browser")]
public class SysdiagBrowserTests : PageTest
{
    [Fact]
    public async Task Diagnostics_PingTheGatewayThenRoutes_OutputAndTablesOnThePage()
    {
        var page = await OpenAsync("/diagnostics/tools/ping");

        await page.FillAsync("#cfe-target", "-f");
        await page.ClickAsync("#cfe-submit-Run");
        await Assertions.Expect(page.GetByText("A target cannot begin with '-'.")).ToBeVisibleAsync();
        await page.FillAsync("#cfe-target", "198.51.100.1");
        await page.ClickAsync("#cfe-submit-Run");

        await Assertions.Expect(page.Locator("#cfe-form-result")).ToContainTextAsync("Ping of 198.51.100.1 finished");
        await Assertions.Expect(page.Locator("#cfe-output")).ToContainTextAsync("4 packets transmitted, 4 packets received");
        await RouterBrowserTests.ScreenshotAsync(page, "diagnostics-ping");
        await BrowserTests.GoAsync(page, "/diagnostics/tables/routes");
        await Assertions.Expect(page.GetByText("fe80::21b:21ff:fe3a:9c01")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("10.20.0.0/16")).ToBeVisibleAsync();
        await RouterBrowserTests.ScreenshotAsync(page, "diagnostics-routes");
    }

    [Fact]
    public async Task System_RebootConfirmed_LandsOnTheRestartingPage()
    {
        var page = await OpenAsync("/system/power/control");

        await page.ClickAsync("#cfe-submit-Reboot");
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Reboot" }).ClickAsync();

        await page.WaitForURLAsync("**/restarting?what=reboot");
        await Assertions.Expect(page.GetByText("The box is restarting")).ToBeVisibleAsync();
        await RouterBrowserTests.ScreenshotAsync(page, "system-restarting");
        Assert.Contains("exec-simulated", File.ReadAllText(Path.Combine(Factory.DataPath, "audit.log")));
    }

    [Fact]
    public async Task System_CreateBackup_DownloadIsTheApkovl()
    {
        var page = await OpenAsync("/system/backup/download",
            new BrowserNewContextOptions { AcceptDownloads = true });

        await page.ClickAsync("#cfe-submit-Create-backup");
        await Assertions.Expect(page.Locator("#cfe-form-result")).ToContainTextAsync("The backup is ready");
        await RouterBrowserTests.ScreenshotAsync(page, "system-backup");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#cfe-archive a").ClickAsync());
        var saved = Path.Combine(Factory.DataPath, "downloaded.apkovl.tar.gz");
        await download.SaveAsAsync(saved);

        Assert.Equal("alpine-demo.apkovl.tar.gz", download.SuggestedFilename);
        var members = Acf.Broker.Lbu.ApkovlInspection.Read(File.ReadAllBytes(saved), out var error);
        Assert.Null(error);
        Assert.Contains(members!, m => m.Name == "etc/hostname");
    }
}
