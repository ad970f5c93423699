namespace Acf.Tests.Web;

/// <summary>Issue 20 in Debian's Chromium: services started and stopped from their row (screenshots in
/// <see cref="LayoutBrowserTests.ScreenshotPath"/>'s folder).</summary>
[Trait("Category", "Browser")]
public class UiBrowserTests : PageTest
{
    private static bool Started(AcfAppFactory factory, string service) =>
        new FileInfo(Path.Combine(factory.DemoRoot, "run", "openrc", "started", service)).LinkTarget is not null;

    /// <summary>The services list: states coloured, Stop on crond's row asks first, stops it and the list shows it
    /// stopped, with what happened above it.</summary>
    [Fact]
    public async Task Services_StopFromTheRow_AsksThenStopsAndTheListShowsIt()
    {
        var page = await OpenAsync("/alpine-baselayout/rc/status",
            new BrowserNewContextOptions { ViewportSize = new() { Width = 1366, Height = 768 } });
        await Assertions.Expect(page.Locator("#cfe-entity .cfe-tone.mud-chip-color-success").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = LayoutBrowserTests.ScreenshotPath("services-1366.png") });

        await page.ClickAsync("#cfe-entity-cfe-submit-Stop-crond");
        await Assertions.Expect(page.Locator(".mud-dialog")).ToContainTextAsync("Stop crond?");
        await page.Locator(".mud-dialog-actions button", new() { HasText = "Stop" }).ClickAsync();

        await Assertions.Expect(page.Locator("#row-action-result")).ToContainTextAsync("crond: stop done; now stopped.");
        var row = page.Locator("#cfe-entity tr", new() { HasText = "crond" });
        await Assertions.Expect(row.Locator(".cfe-tone")).ToHaveTextAsync("stopped");
        Assert.False(Started(Factory, "crond"));
        // Stopped: only Start is offered on its row now; acf never offers Stop (it could not start itself again).
        await Assertions.Expect(page.Locator("#cfe-entity-cfe-submit-Start-crond")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#cfe-entity-cfe-submit-Stop-crond")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#cfe-entity-cfe-submit-Stop-acf")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#apply-countdown")).ToBeHiddenAsync();
    }

    /// <summary>Issue 20's rule table: squid's http_access as rows. A new row with an unknown ACL is refused on its
    /// cell; corrected, moved above "deny all" and saved, it is a line of squid.conf where it stands, the comments
    /// around kept. Screenshots at 1366x768 and 390x844.</summary>
    [Fact]
    public async Task SquidRules_AddMoveSave_LineOnDiskInItsPlace()
    {
        var page = await OpenAsync("/squid/acl/access",
            new BrowserNewContextOptions { ViewportSize = new() { Width = 1366, Height = 768 } });
        await Assertions.Expect(page.Locator("#cfe-rules-7-acls")).ToHaveValueAsync("all");

        await page.ClickAsync("#cfe-rules-add");
        await page.ClickAsync("#cfe-rules-8-action div.mud-select");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "deny" }).First.ClickAsync();
        await page.FillAsync("#cfe-rules-8-acls", "nosuch");
        await page.ClickAsync("#cfe-submit-Save");
        await Assertions.Expect(page.Locator("#cfe-rules")).ToContainTextAsync("'nosuch' is not a defined ACL.");
        await page.FillAsync("#cfe-rules-8-acls", "to_localhost");
        await page.ClickAsync("#cfe-rules-up-8");
        await Assertions.Expect(page.Locator("#cfe-rules-7-acls")).ToHaveValueAsync("to_localhost");
        await page.ScreenshotAsync(new() { Path = LayoutBrowserTests.ScreenshotPath("rules-1366.png"), FullPage = true });
        await page.ClickAsync("#cfe-submit-Save");
        await Assertions.Expect(page.Locator("#cfe-form-result")).ToContainTextAsync("Access rules saved.");

        var conf = Factory.ReadRootFile("/etc/squid/squid.conf");
        Assert.True(conf.Contains("http_access allow localhost\nhttp_access deny to_localhost\n\n# And finally deny all other "
            + "access to this proxy\nhttp_access deny all\n", StringComparison.Ordinal), conf);
        await page.SetViewportSizeAsync(390, 844);
        await Assertions.Expect(page.Locator("#cfe-rules-8-acls")).ToHaveValueAsync("all");
        await page.ScreenshotAsync(new() { Path = LayoutBrowserTests.ScreenshotPath("rules-390.png"), FullPage = true });
    }
}
