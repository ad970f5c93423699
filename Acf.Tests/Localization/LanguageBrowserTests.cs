namespace Acf.Tests.Localization;

/// <summary>The language switch in Chromium: the app's and the module's texts change, values and saves do not.</summary>
[Trait("Category", "Browser")]
public class LanguageBrowserTests : PageTest
{
    [Fact]
    public async Task LanguageSwitch_InBrowser_PageInGermanThenFrenchAndSavesAsBefore()
    {
        var page = await OpenAsync("/alpine-baselayout/hostname/edit",
            new BrowserNewContextOptions { Locale = "en-US" });
        await Assertions.Expect(page.Locator("#cfe-submit-Save")).ToHaveTextAsync("Save");

        await SwitchAsync(page, "de");

        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "de");
        await Assertions.Expect(page.Locator("#cfe-form-title")).ToHaveTextAsync("Hostnamen bearbeiten");
        await Assertions.Expect(page.Locator("#cfe-submit-Save")).ToHaveTextAsync("Speichern");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Übersicht", Exact = true })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = LayoutBrowserTests.ScreenshotPath("language-de.png") });
        await page.FillAsync("#cfe-hostname", "randrouter");
        await page.ClickAsync("#cfe-submit-Save");
        await page.Locator("#cfe-form-result").WaitForAsync();
        Assert.Equal("randrouter\n", Factory.ReadRootFile("/etc/hostname"));

        await BrowserTests.GoAsync(page, "/alpine-baselayout/hostname/edit"); // the choice is remembered
        await Assertions.Expect(page.Locator("#cfe-submit-Save")).ToHaveTextAsync("Speichern");
        await SwitchAsync(page, "fr");

        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
        await Assertions.Expect(page.Locator("#cfe-submit-Save")).ToHaveTextAsync("Enregistrer");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Tableau de bord", Exact = true })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = LayoutBrowserTests.ScreenshotPath("language-fr.png") });
    }

    private static async Task SwitchAsync(IPage page, string language)
    {
        await page.Locator("#user-menu button").First.ClickAsync();
        // The post redirects back to the page it came from: waiting for that URL could match the page before the post
        // (and then wait on its load state mid-navigation), so wait for the reloaded document itself.
        await page.RunAndWaitForResponseAsync(() => page.ClickAsync($"#language-{language}"),
            response => response.Request.Method == "GET" && response.Request.IsNavigationRequest
                && response.Url.EndsWith("/alpine-baselayout/hostname/edit", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await BrowserTests.WaitInteractiveAsync(page);
    }
}
