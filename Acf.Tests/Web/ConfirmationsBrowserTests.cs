using System.Net;
using System.Net.Http.Headers;
using Acf.Modules;
using Acf.Modules.Roles;
using Acf.Web.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Acf.Tests.Web;

/// <summary>Issue 20's "destructive actions ask first and say what will happen", clicked in Chromium on the demo
/// host: the dialog names its target, Cancel leaves everything as it was, the answer button does the deed. One app and
/// one browser serve the class; each test works on its own token, role or row, so the order does not matter.</summary>
[Trait("Category", "Browser")]
public sealed class ConfirmationsBrowserTests(ConfirmationsBrowserTests.App app) : IClassFixture<ConfirmationsBrowserTests.App>
{
    public sealed class App : IAsyncLifetime
    {
        public AcfAppFactory Factory { get; } = new();

        public Uri BaseUrl { get; private set; } = default!;

        public SharedBrowser Chromium { get; } = new();

        public async Task InitializeAsync()
        {
            BaseUrl = Factory.StartKestrel();
            await Chromium.InitializeAsync();
        }

        public async Task DisposeAsync()
        {
            await Chromium.DisposeAsync();
            Factory.Dispose();
        }
    }

    private static readonly AcfPrincipal Root = new(UserStore.FirstAdmin, [Acf.Broker.Catalog.AcfRoles.Admin]);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TokenRevoke_AsksNamingTheToken_OnlyYesRevokes(bool confirm)
    {
        var name = confirm ? "nightly backup" : "monitoring probe";
        var (created, error) = app.Factory.Services.GetRequiredService<ApiTokenStore>().Create(Root, name, 30, [Acf.Broker.Catalog.AcfRoles.Admin]);
        Assert.Null(error);
        var page = await BrowserTests.LoggedInPageAsync(app.Chromium.Browser, app.BaseUrl, "/account/tokens");

        await page.Locator(".token-row", new() { HasText = name }).Locator(".token-revoke").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync($"Revoke {name}?");
        await Assertions.Expect(dialog).ToContainTextAsync($"Scripts that send the token {name} are refused");
        await dialog.Locator(".mud-dialog-actions button", new() { HasText = confirm ? "Revoke" : "Cancel" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".token-row", new() { HasText = name })).ToHaveCountAsync(confirm ? 0 : 1);
        await page.Context.CloseAsync();
        using var api = new HttpClient { BaseAddress = app.BaseUrl };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created!.Secret);
        var answer = await api.GetAsync("/api/alpine-baselayout/hostname/read");

        Assert.Equal(confirm ? HttpStatusCode.Unauthorized : HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(!confirm, app.Factory.ReadRootFile(ApiTokenStore.TokensPath).Contains(created.Token.Id));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RoleDelete_AsksNamingTheRole_OnlyYesDeletes(bool confirm)
    {
        var role = confirm ? "NIGHTSHIFT" : "AUDITORS";
        var admin = app.Factory.Services.GetRequiredService<UserAdmin>();
        var permission = admin.DeclaredPermissions().First().Permissions[0];
        Assert.Null(admin.SaveRole(Root, role, [permission], isNew: true));
        var page = await BrowserTests.LoggedInPageAsync(app.Chromium.Browser, app.BaseUrl, "/admin/roles");

        await page.ClickAsync($"#role-item-{role}");
        await page.ClickAsync("#role-delete");
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync($"Delete role {role}?");
        await Assertions.Expect(dialog).ToContainTextAsync($"Role {role} and the permissions chosen for it are removed from /etc/acf/roles");
        await dialog.Locator(".mud-dialog-actions button", new() { HasText = confirm ? "Delete role" : "Cancel" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator($"#role-item-{role}")).ToHaveCountAsync(confirm ? 0 : 1);
        await page.Context.CloseAsync();

        Assert.Equal(!confirm, app.Factory.ReadRootFile(CustomRoles.RolesPath).Contains(role));
    }
}
