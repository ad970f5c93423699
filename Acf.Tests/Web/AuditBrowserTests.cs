namespace Acf.Tests.Web;

/// <summary>Issue #7's audit and history check in Debian's Chromium: a host name change seen in the audit log and in the file's history.</summary>
[Trait("Category", "Browser")]
public class AuditBrowserTests : PageTest
{
    [Fact]
    public async Task HostnameChange_InBrowser_AuditEntryLinksToHistoryDiff()
    {
        var page = await OpenAsync("/alpine-baselayout/hostname/edit");
        var before = Factory.ReadRootFile("/etc/hostname").Trim();

        await page.FillAsync("#cfe-hostname", "audited-box");
        await page.ClickAsync("#cfe-submit-Save");
        await Assertions.Expect(page.Locator("#cfe-form-result")).ToContainTextAsync("audited-box");
        await page.ClickAsync("#nav-audit");
        await BrowserTests.WaitInteractiveAsync(page);
        await page.FillAsync("#audit-text", "/etc/hostname");
        var row = page.Locator("tr.audit-row", new() { HasText = "hostname/edit" }).Filter(new() { HasText = "write" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("root");
        await Assertions.Expect(row).ToContainTextAsync("127.0.0.1");
        await Assertions.Expect(row).ToContainTextAsync("alpine-baselayout");
        await Assertions.Expect(page.Locator("#audit-chain")).ToHaveAttributeAsync("data-intact", "true");
        await row.Locator(".audit-history-link").ClickAsync();

        await Assertions.Expect(page.Locator("#history-path")).ToHaveTextAsync("/etc/hostname");
        var diff = page.Locator("#history-diff");
        await Assertions.Expect(diff.Locator(".acf-diff-removed")).ToContainTextAsync("- " + before);
        await Assertions.Expect(diff.Locator(".acf-diff-added")).ToContainTextAsync("+ audited-box");
        Assert.Equal("audited-box\n", Factory.ReadRootFile("/etc/hostname"));
    }

    /// <summary>
    /// Issue 15: the chain is verified at start, and the layout's banner used to show only that result; a chain broken
    /// later (a line edited while the app runs) was seen on the audit page's own check but not by the banner.
    /// </summary>
    [Fact]
    public async Task ChainBrokenAfterStart_AuditPageChecks_LayoutBannerShowsItAtOnce()
    {
        var page = await OpenAsync("/");
        await Assertions.Expect(page.Locator("#audit-chain-broken")).ToHaveCountAsync(0);
        var log = Path.Combine(Factory.DataPath, "audit.log");
        var lines = File.ReadAllLines(log);
        Assert.Contains("\"user\":\"root\"", lines[^1]); // the login just made
        lines[^1] = lines[^1].Replace("\"user\":\"root\"", "\"user\":\"toor\"");
        File.WriteAllLines(log, lines);

        await BrowserTests.GoAsync(page, "/audit");

        await Assertions.Expect(page.Locator("#audit-chain")).ToHaveAttributeAsync("data-intact", "false");
        await Assertions.Expect(page.Locator("#audit-chain-broken")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task HistoryRestore_InBrowser_PutsOldNameBackAndAuditsRestore()
    {
        var page = await OpenAsync("/alpine-baselayout/hostname/edit");
        var before = Factory.ReadRootFile("/etc/hostname");
        await page.FillAsync("#cfe-hostname", "renamed-box");
        await page.ClickAsync("#cfe-submit-Save");
        await Assertions.Expect(page.Locator("#app-hostname")).ToHaveTextAsync("renamed-box");

        await BrowserTests.GoAsync(page, "/history?path=/etc/hostname");
        await page.Locator(".history-restore").First.ClickAsync();
        await page.ClickAsync("#history-restore-confirm");

        await Assertions.Expect(page.Locator("#history-result")).ToContainTextAsync("Restored");
        await Assertions.Expect(page.Locator("#app-hostname")).ToHaveTextAsync(before.Trim());
        Assert.Equal(before, Factory.ReadRootFile("/etc/hostname"));
        await BrowserTests.GoAsync(page, "/audit");
        await Assertions.Expect(page.Locator("tr.audit-row", new() { HasText = "history/restore" })).ToContainTextAsync("restore");
    }

    [Fact]
    public async Task AuditAndHistory_InBrowserAsEditor_RefusedAndNotInMenu()
    {
        using var factory = new AcfAppFactory();
        await using var session = await BrowserSession.StartAsync(factory);
        factory.AddUser("ed", "editor-password", "EDITOR");
        var page = await (await session.Browser.NewContextAsync(new() { BaseURL = session.BaseUrl.ToString() })).NewPageAsync();
        await page.GotoAsync("/audit");
        await page.FillAsync("#login-user", "ed");
        await page.FillAsync("#login-password", "editor-password");
        await page.ClickAsync("#login-submit");
        await BrowserTests.WaitInteractiveAsync(page);

        await Assertions.Expect(page.Locator("#audit-denied")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#audit-table")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#nav-audit")).ToHaveCountAsync(0);
        await BrowserTests.GoAsync(page, "/history?path=/etc/hostname");
        await Assertions.Expect(page.Locator("#history-denied")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#history-versions")).ToHaveCountAsync(0);
    }
}
