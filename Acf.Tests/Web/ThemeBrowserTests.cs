namespace Acf.Tests.Web;

/// <summary>Issue #20 item 7: dark mode ignored the system's preference and was forgotten on reload.</summary>
[Trait("Category", "Browser")]
public class ThemeBrowserTests : PageTest
{
    private const string Background = "() => getComputedStyle(document.body).backgroundColor";

    /// <summary>MudBlazor's light palette's background (white).</summary>
    private const string LightBackground = "rgb(255, 255, 255)";

    [Fact]
    public async Task DarkSystem_InBrowser_FollowedUntilChosenThenChoiceSurvivesReload()
    {
        var page = await OpenAsync("/alpine-baselayout/hostname/edit",
            new() { ColorScheme = ColorScheme.Dark, ViewportSize = new() { Width = 1366, Height = 768 } });
        var toggle = page.Locator("#dark-toggle");

        await Assertions.Expect(toggle).ToHaveAttributeAsync("data-theme-source", "system");
        var systemDark = await page.EvaluateAsync<string>(Background);
        await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("data-theme-source", "chosen");
        await page.WaitForFunctionAsync($"() => ({Background})() !== '{systemDark}'");
        var chosenLight = await page.EvaluateAsync<string>(Background);
        await page.ReloadAsync();
        await BrowserTests.WaitInteractiveAsync(page);
        await Assertions.Expect(toggle).ToHaveAttributeAsync("data-theme-source", "chosen");
        var afterReload = await page.EvaluateAsync<string>(Background);
        await page.ScreenshotAsync(new() { Path = LayoutBrowserTests.ScreenshotPath("theme-chosen-light.png") });

        Assert.Equal(LightBackground, chosenLight);
        Assert.NotEqual(LightBackground, systemDark);
        Assert.Equal(LightBackground, afterReload);
    }
}
