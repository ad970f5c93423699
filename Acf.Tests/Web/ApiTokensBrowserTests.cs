using System.Net.Http.Headers;

namespace Acf.Tests.Web;

/// <summary>API tokens and the API explorer as a user meets them, in Debian's Chromium with the CSP in force.</summary>
[Trait("Category", "Browser")]
public class ApiTokensBrowserTests
{
    private const string ReportViolations =
        "document.addEventListener('securitypolicyviolation', e => console.log('CSP-VIOLATION ' + e.violatedDirective + ' ' + e.blockedURI))";

    [Fact]
    public async Task TokensPage_InBrowser_MakeUseRevokeAndTryTheApi_WithoutCspViolations()
    {
        using var factory = new AcfAppFactory();
        await using var session = await BrowserSession.StartAsync(factory);
        var context = await session.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = session.BaseUrl.ToString() });
        await context.AddInitScriptAsync(ReportViolations);
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("CSP-VIOLATION") || message.Text.Contains("Content Security Policy")) violations.Add(message.Text);
        };
        await page.GotoAsync("/");
        await page.FillAsync("#login-user", "root");
        await page.FillAsync("#login-password", AcfAppFactory.AdminPassword);
        await page.ClickAsync("#login-submit");
        await BrowserTests.WaitInteractiveAsync(page);
        using var api = new HttpClient { BaseAddress = session.BaseUrl };

        await page.Locator(".mud-appbar .mud-menu button").ClickAsync();
        await page.ClickAsync("#menu-api-tokens");
        await page.FillAsync("#token-name", "backup script");
        await page.ClickAsync("#token-create");
        var secret = (await page.Locator("#token-secret").InnerTextAsync()).Trim();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var used = await api.GetAsync("/api/alpine-baselayout/hostname/read");
        await BrowserTests.GoAsync(page, "/account/tokens");
        var row = page.Locator(".token-row", new PageLocatorOptions { HasText = "backup script" });
        await Assertions.Expect(row).ToContainTextAsync("from 127.0.0.1");
        var secretShownAgain = await page.Locator("#token-secret").CountAsync();
        await row.Locator(".token-revoke").ClickAsync();
        await page.Locator(".mud-dialog-actions button", new() { HasText = "Revoke" }).ClickAsync(); // it asks first
        await page.Locator("#tokens-none").WaitForAsync();
        var revoked = await api.GetAsync("/api/alpine-baselayout/hostname/read");

        await BrowserTests.GoAsync(page, "/api-explorer");
        await page.ClickAsync("div.mud-select >> nth=0");
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "/api/alpine-baselayout/hostname/read" })
            .First.ClickAsync();
        await page.ClickAsync("#api-send");
        await Assertions.Expect(page.Locator("#api-status")).ToHaveTextAsync("200");

        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        Assert.Equal(0, secretShownAgain);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Contains(factory.ReadRootFile("/etc/hostname").Trim(), await page.Locator("#api-response-body").InnerTextAsync());
        Assert.Empty(violations);
    }
}
