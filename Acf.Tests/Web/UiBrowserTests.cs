using Microsoft.Playwright;

namespace Acf.Tests.Web;

/// <summary>Issue 20 in Debian's Chromium: services started and stopped from their row (screenshots in
/// <see cref="LayoutBrowserTests.ScreenshotPath"/>'s folder).</summary>
[Trait("Category", "Browser")]
public class UiBrowserTests
{
    private static bool Started(AcfAppFactory factory, string service) =>
        new FileInfo(Path.Combine(factory.DemoRoot, "run", "openrc", "started", service)).LinkTarget is not null;

    /// <summary>The services list: states coloured, Stop on crond's row asks first, stops it and the list shows it
    /// stopped, with what happened above it.</summary>
    [Fact]
    public async Task Services_StopFromTheRow_AsksThenStopsAndTheListShowsIt()
    {
        using var factory = new AcfAppFactory();
        var baseUrl = factory.StartKestrel();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(playwright);
        var page = await BrowserTests.LoggedInPageAsync(browser, baseUrl, "/alpine-baselayout/rc/status",
            new BrowserNewContextOptions { ViewportSize = new() { Width = 1366, Height = 768 } });
        await Assertions.Expect(page.Locator("#cfe-entity .cfe-tone.mud-chip-color-success").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = LayoutBrowserTests.ScreenshotPath("services-1366.png") });

        await page.ClickAsync("#cfe-entity-cfe-submit-Stop-crond");
        await Assertions.Expect(page.Locator(".mud-dialog")).ToContainTextAsync("Stop crond?");
        await page.Locator(".mud-dialog-actions button", new() { HasText = "Stop" }).ClickAsync();

        await Assertions.Expect(page.Locator("#row-action-result")).ToContainTextAsync("crond: stop done; now stopped.");
        var row = page.Locator("#cfe-entity tr", new() { HasText = "crond" });
        await Assertions.Expect(row.Locator(".cfe-tone")).ToHaveTextAsync("stopped");
        Assert.False(Started(factory, "crond"));
        // Stopped: only Start is offered on its row now; acf never offers Stop (it could not start itself again).
        await Assertions.Expect(page.Locator("#cfe-entity-cfe-submit-Start-crond")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#cfe-entity-cfe-submit-Stop-crond")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#cfe-entity-cfe-submit-Stop-acf")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#apply-countdown")).ToBeHiddenAsync();
    }
}
