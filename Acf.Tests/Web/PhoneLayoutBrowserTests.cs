namespace Acf.Tests.Web;

/// <summary>Issue #20: the app on a phone (390x844). Every page of the menu (and of the user menu) fits the screen's
/// width, and the app bar's items (log out above all) stay reachable on each.</summary>
[Trait("Category", "Browser")]
public class PhoneLayoutBrowserTests : PageTest
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>The user menu's pages and the admin's audit pages, visited as well as the side menu's.</summary>
    private static readonly string[] UserMenuPages = ["/account", "/account/tokens", "/api-explorer", "/history", "/audit"];

    /// <summary>Log out is reachable: inside the screen and the topmost element at its centre (nothing over it).</summary>
    private const string Reachable = """
        e => {
            const r = e.getBoundingClientRect();
            const top = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
            return r.width > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight && e.contains(top);
        }
        """;

    [Fact]
    public async Task EveryMenuPage_OnPhone_NoHorizontalOverflowAndLogOutReachable()
    {
        var page = await OpenAsync("/", new() { ViewportSize = Phone });
        var pages = new List<string>(await MenuHrefsAsync(page));
        Assert.True(pages.Count > 15, $"the side menu lists every module's group and the admin pages ({pages.Count} found)");
        pages.AddRange(UserMenuPages.Where(p => !pages.Contains(p)));

        var overflowing = new List<string>();
        var noLogOut = new List<string>();
        for (var i = 0; i < pages.Count; i++) // a group's tabs join the list as they are found
        {
            await BrowserTests.GoAsync(page, pages[i]);
            await page.Locator(".cfe-view, #module-error, .mud-main-content h4, .mud-main-content h5").First.WaitForAsync();
            await Assertions.Expect(page.Locator(".mud-main-content .mud-progress-linear")).ToHaveCountAsync(0);
            var tabs = await page.Locator(".acf-tabs a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
            pages.AddRange(tabs.Where(t => !pages.Contains(t)));
            var widths = await page.EvaluateAsync<int[]>(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            await page.ScreenshotAsync(new() { Path = LayoutBrowserTests.ScreenshotPath("phone" + pages[i].Replace('/', '_') + ".png"), FullPage = true });
            if (widths[0] > widths[1]) overflowing.Add($"{pages[i]}: {widths[0]} > {widths[1]}");
            var menu = page.Locator("#user-menu button");
            if (!await menu.EvaluateAsync<bool>(Reachable)) noLogOut.Add($"{pages[i]}: the user menu's button");
            await menu.ClickAsync();
            var logOut = page.Locator("#logout");
            try
            {
                // The menu's popover is placed by script after it opens: wait for it to come into the screen.
                await Assertions.Expect(logOut).ToBeInViewportAsync(new() { Ratio = 1, Timeout = 5_000 });
            }
            catch (PlaywrightException)
            {
                noLogOut.Add($"{pages[i]}: log out is not inside the screen");
                continue;
            }
            if (!await logOut.EvaluateAsync<bool>(Reachable)) noLogOut.Add($"{pages[i]}: log out is covered");
        }

        Assert.True(overflowing.Count + noLogOut.Count == 0, "pages wider than the phone:\n" + string.Join("\n", overflowing)
            + "\nlog out out of reach:\n" + string.Join("\n", noLogOut));
    }

    /// <summary>Squid's eight tabs and lbu's six on a phone: the tab bar scrolls inside itself (its last tab reachable by
    /// scrolling the bar), and no page of either group is wider than the screen.</summary>
    [Theory]
    [InlineData("/squid/status/view", "/squid/expert/edit")]
    [InlineData("/alpine-conf/lbu/status", "/alpine-conf/lbu/config")]
    public async Task GroupTabs_OnPhone_ScrollInsideTheirBarAndNoPageOverflows(string first, string last)
    {
        var page = await OpenAsync(first, new() { ViewportSize = Phone });
        await page.Locator(".cfe-view, #module-error").First.WaitForAsync();

        var bar = await page.Locator(".acf-tabs").EvaluateAsync<string[]>(
            "bar => [String(bar.scrollWidth > bar.clientWidth), getComputedStyle(bar).overflowX]");
        var lastTab = page.Locator($".acf-tabs a[href='{last}']");
        await Assertions.Expect(lastTab).Not.ToBeInViewportAsync(new() { Ratio = 1 });
        await lastTab.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(lastTab).ToBeInViewportAsync(new() { Ratio = 1 });
        var tabs = await page.Locator(".acf-tabs a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        var overflowing = new List<string>();
        foreach (var tab in tabs)
        {
            await BrowserTests.GoAsync(page, tab);
            await page.Locator(".cfe-view, #module-error").First.WaitForAsync();
            await Assertions.Expect(page.Locator(".mud-main-content .mud-progress-linear")).ToHaveCountAsync(0);
            await page.ScreenshotAsync(new() { Path = LayoutBrowserTests.ScreenshotPath("phone-tabs" + tab.Replace('/', '_') + ".png"), FullPage = true });
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            if (widths[0] > widths[1]) overflowing.Add($"{tab}: {widths[0]} > {widths[1]}");
        }

        Assert.Equal(["true", "auto"], bar);
        Assert.Contains(last, tabs);
        Assert.True(overflowing.Count == 0, "pages wider than the phone:\n" + string.Join("\n", overflowing));
    }

    [Fact]
    public async Task AppBar_OnPhone_UserMenuReachesDarkModeAndLogOut()
    {
        var page = await OpenAsync("/alpine-baselayout/hostname/edit", new() { ViewportSize = Phone });

        await Assertions.Expect(page.Locator("#lbu-chip")).ToBeInViewportAsync(new() { Ratio = 1 });
        await page.Locator("#user-menu button").ClickAsync();
        await Assertions.Expect(page.Locator("#menu-dark-toggle")).ToBeInViewportAsync(new() { Ratio = 1 });
        await page.ScreenshotAsync(new() { Path = LayoutBrowserTests.ScreenshotPath("phone-user-menu.png") });
        await Assertions.Expect(page.Locator("#logout")).ToBeInViewportAsync(new() { Ratio = 1 });
        await page.Locator("#logout").ClickAsync();

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login");
    }

    /// <summary>The hrefs of the side menu, read the way a user finds them (the drawer opened from the app bar).</summary>
    private static async Task<IReadOnlyList<string>> MenuHrefsAsync(IPage page)
    {
        var hrefs = await page.Locator(".mud-drawer a.mud-nav-link").EvaluateAllAsync<string[]>(
            "links => links.map(a => a.getAttribute('href'))");
        return hrefs.Distinct().ToList();
    }
}
