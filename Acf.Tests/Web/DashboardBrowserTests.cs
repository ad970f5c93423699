namespace Acf.Tests.Web;

/// <summary>Issue #20 item 1: the landing page is a dashboard with live figures, on the demo host from the demo root.</summary>
[Trait("Category", "Browser")]
public partial class DashboardBrowserTests : PageTest
{
    [Fact]
    public async Task Dashboard_InBrowser_LiveFiguresDisksTrafficAndAttention()
    {
        var page = await OpenAsync("/", new() { ViewportSize = new() { Width = 1366, Height = 768 } });

        // the CPU figure needs two readings and a chart three: the page's timer brings them without a reload
        await Assertions.Expect(page.Locator("#dash-cpu-value")).ToHaveTextAsync(Percent());
        var eth0 = page.Locator(".acf-dash-traffic[data-interface=eth0]");
        await Assertions.Expect(eth0.Locator("svg").First).ToBeVisibleAsync();
        await Assertions.Expect(eth0.Locator(".acf-dash-rates")).ToContainTextAsync("Mbit/s");
        await Assertions.Expect(page.Locator(".acf-dash-traffic[data-interface=eth1]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".acf-dash-traffic[data-interface=lo]")).ToHaveCountAsync(0);
        // the demo's recorded df, not the disks of the machine running the test
        await Assertions.Expect(page.Locator(".acf-dash-disk[data-mount='/']")).ToContainTextAsync("1.4 GiB used of 6.8 GiB");
        await Assertions.Expect(page.Locator("#dash-memory-value")).ToHaveTextAsync("19 %");
        await Assertions.Expect(page.Locator("#dash-facts")).ToContainTextAsync("Alpine 3.22.2");
        // the demo's local service is in the default runlevel but not started
        var local = page.Locator(".acf-dash-attention-item", new() { HasText = "local is stopped" });
        await Assertions.Expect(local).ToBeVisibleAsync();
        Assert.EndsWith("/alpine-baselayout/rc/control?service=local", await local.GetAttributeAsync("href"));
        var before = await page.Locator("#dash-cpu-value").InnerTextAsync();
        await page.ScreenshotAsync(new() { Path = LayoutBrowserTests.ScreenshotPath("dashboard.png"), FullPage = true });

        await page.SetViewportSizeAsync(390, 844);
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        await page.ScreenshotAsync(new() { Path = LayoutBrowserTests.ScreenshotPath("dashboard-phone.png"), FullPage = true });
        Assert.True(widths[0] <= widths[1], $"the dashboard is wider than a phone: {widths[0]} > {widths[1]}");
        Assert.Matches(Percent(), before);
    }

    /// <summary>Issue #20: the countdown banner named the action internally (<c>dmvpn/config/edit</c>); the banner and
    /// the dashboard's "needs attention" name it by the menu's words.</summary>
    [Fact]
    public async Task GuardedChange_InBrowser_BannerAndAttentionNameTheMenuEntry()
    {
        var page = await OpenAsync("/alpine-baselayout/interfaces/edit?name=eth1&family=inet");

        await page.FillAsync("#cfe-address", "192.168.7.1");
        await page.ClickAsync("#cfe-submit-Save");
        await Assertions.Expect(page.Locator("#apply-countdown")).ToBeVisibleAsync();
        await BrowserTests.GoAsync(page, "/");

        var banner = page.Locator("#apply-countdown");
        await Assertions.Expect(banner).ToContainTextAsync("Base system: Interfaces, Add or edit was applied.");
        await Assertions.Expect(banner).Not.ToContainTextAsync("interfaces/edit");
        await Assertions.Expect(page.Locator(".acf-dash-attention-item", new() { HasText = "applied by root, rolls back unless it is kept" }))
            .ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = LayoutBrowserTests.ScreenshotPath("dashboard-pending.png") });
        await page.ClickAsync("#apply-keep");
        await Assertions.Expect(page.Locator(".acf-dash-attention-item", new() { HasText = "applied by root" })).ToHaveCountAsync(0);
    }

    [GeneratedRegex(@"^\d+ %$")]
    private static partial Regex Percent();
}
