using System.Net.Http.Headers;
using Acf.Web.Components.Renderer;

namespace Acf.Tests.Web;

/// <summary>Issue 20's "destructive actions ask first and say what will happen", clicked in Chromium on the demo
/// host: the dialog names its target, Cancel leaves everything as it was, the answer button does the deed. One app and
/// one browser serve the class; each test works on its own token, role or row, so the order does not matter.</summary>
[Trait("Category", "Browser")]
public sealed class ConfirmationsBrowserTests(ConfirmationsBrowserTests.App app) : IClassFixture<ConfirmationsBrowserTests.App>
{
    public sealed class App : BrowserApp
    {
        private IBrowserContext? _root;

        private bool _users;

        /// <summary>The accounts the user page's buttons work on, added to /etc/acf/passwd once.</summary>
        public void Users()
        {
            if (_users) return;
            Factory.AddUser("keeper", "keeper-password", "USER");
            Factory.AddUser("leaver", "leaver-password", "USER");
            _users = true;
        }

        /// <summary>A new tab at <paramref name="path"/> in one context logged in as root once for the class (logging
        /// in for each of twenty buttons would double the class's time).</summary>
        public async Task<IPage> RootPageAsync(string path)
        {
            if (_root is null)
            {
                // Not the dashboard: its reads (df) would land in the audit log while a test compares it.
                var first = await BrowserTests.LoggedInPageAsync(Chromium.Browser, BaseUrl, "/account");
                _root = first.Context;
                await first.CloseAsync();
            }
            var page = await _root.NewPageAsync();
            await BrowserTests.GoAsync(page, path);
            // The circuit reads the page's module again after the prerender: wait for that read (and its audit line).
            await Assertions.Expect(page.Locator(".mud-main-content .mud-progress-linear")).ToHaveCountAsync(0);
            return page;
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
        var page = await app.RootPageAsync("/account/tokens");

        await page.Locator(".token-row", new() { HasText = name }).Locator(".token-revoke").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync($"Revoke {name}?");
        await Assertions.Expect(dialog).ToContainTextAsync($"Scripts that send the token {name} are refused");
        await dialog.Locator(".mud-dialog-actions button", new() { HasText = confirm ? "Revoke" : "Cancel" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".token-row", new() { HasText = name })).ToHaveCountAsync(confirm ? 0 : 1);
        await page.CloseAsync();
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
        var page = await app.RootPageAsync("/admin/roles");

        await page.ClickAsync($"#role-item-{role}");
        await page.ClickAsync("#role-delete");
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync($"Delete role {role}?");
        await Assertions.Expect(dialog).ToContainTextAsync($"Role {role} and the permissions chosen for it are removed from /etc/acf/roles");
        await dialog.Locator(".mud-dialog-actions button", new() { HasText = confirm ? "Delete role" : "Cancel" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator($"#role-item-{role}")).ToHaveCountAsync(confirm ? 0 : 1);
        await page.CloseAsync();

        Assert.Equal(!confirm, app.Factory.ReadRootFile(CustomRoles.RolesPath).Contains(role));
    }

    /// <summary>A destructive button of a module's page (or an admin page): where it is, what its question says and
    /// the answer button's label.</summary>
    public sealed record Destructive(string Path, string Selector, string Question, string Yes)
    {
        /// <summary>A module form's button, labelled with its value.</summary>
        public Destructive(string path, string button, string question) : this(path, "#" + CfeIds.Submit(button), question, button) { }
    }

    /// <summary>Every destructive button not covered elsewhere (sshd's Stop, crond's row Stop, Reboot and awall's
    /// Delete have their own browser tests). The questions come from the modules; where a module's question says "this
    /// ACL", the page it stands on names the one chosen.</summary>
    public static readonly IReadOnlyDictionary<string, Destructive> Buttons = new Dictionary<string, Destructive>
    {
        ["restart acf"] = new("/alpine-baselayout/rc/control?service=acf", "Restart", "Restart acf? This web interface goes away"),
        ["stop networking"] = new("/alpine-baselayout/rc/control?service=networking", "Stop", "Stop networking? Every interface goes down"),
        ["restart networking"] = new("/alpine-baselayout/rc/control?service=networking", "Restart", "Restart networking? Every interface goes down and up again"),
        ["remove package"] = new("/apk-tools/packages/manage", "Remove", "Remove the packages named here?"),
        ["upgrade all"] = new("/apk-tools/packages/manage", "Upgrade all", "Upgrade every installed package"),
        ["shut down"] = new("/system/power/control", "Shut down", "Shut the box down now?"),
        ["restore backup"] = new("/system/backup/restore", "Restore", "Write the files of this backup over the box's?"),
        ["delete interface"] = new("/alpine-baselayout/interfaces/delete?name=eth1&family=inet", "Delete", "Delete this interface's stanza from /etc/network/interfaces?"),
        ["lbu revert"] = new("/alpine-conf/lbu/backups", "Revert", "Revert to the chosen archive?"),
        ["lbu remove rule"] = new("/alpine-conf/lbu/rules", "Remove rule", "Remove the rule for this path?"),
        ["dnsmasq remove lease"] = new("/dnsmasq/hosts/edit?mac=00:16:3e:5a:12:02", "Remove", "Remove the static lease of this MAC?"),
        ["squid remove acl"] = new("/squid/acl/edit?name=localnet", "Remove", "Remove this ACL?"),
        ["squid remove user"] = new("/squid/auth/edit", "Remove user", "Remove this proxy user?"),
        ["wireguard remove peer"] = new("/wireguard/peers/edit?interface=wg0&peer=1", "Remove", "Remove this peer? It can no longer connect."),
        ["wireguard new key pair"] = new("/wireguard/interfaces/edit?name=wg0", "New key pair", "Make a new key pair for this interface?"),
        ["wireguard remove interface"] = new("/wireguard/interfaces/edit?name=wg0", "Remove", "Remove this interface?"),
        ["opennhrp delete"] = new("/dmvpn/opennhrp/edit?interface=gre1", "Delete", "Delete this OpenNHRP interface block?"),
        ["samba remove share"] = new("/samba/shares/edit?name=office", "Remove", "Remove this share?"),
        ["samba remove user"] = new("/samba/users/edit", "Remove", "Remove this Samba user?"),
        ["delete user"] = new("/admin/users", "#user-delete-keeper", "Delete keeper?", "Delete"),
    };

    public static TheoryData<string> ButtonNames() => new(Buttons.Keys);

    /// <summary>Cancel leaves the data folder as it was: no file of the demo root, no audit line, no history copy, no
    /// pending rollback.</summary>
    [Theory]
    [MemberData(nameof(ButtonNames))]
    public async Task DestructiveButton_Cancel_AsksAndChangesNothing(string name)
    {
        var button = Buttons[name];
        app.Users();
        var page = await app.RootPageAsync(button.Path);
        var before = Snapshot();

        await page.ClickAsync(button.Selector);
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync(button.Question);
        await Assertions.Expect(dialog.Locator(".mud-dialog-actions button", new() { HasText = button.Yes })).ToBeVisibleAsync();
        await dialog.Locator(".mud-dialog-actions button", new() { HasText = "Cancel" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#cfe-form-result")).ToHaveCountAsync(0);
        await page.CloseAsync();

        Assert.Equal(before, Snapshot());
    }

    /// <summary>Every file under the app's data folder (the demo root, the audit log, history, pending rollbacks) with
    /// its size and last write, one line each; not the session list, whose last-seen times the app writes at most once
    /// a minute while the admin clicks (a run that crossed that minute failed though Cancel changed nothing).</summary>
    private string Snapshot() => string.Join("\n", Directory.EnumerateFiles(app.Factory.DataPath, "*", SearchOption.AllDirectories)
        .Where(f => Path.GetFileName(f) != "sessions")
        .Order(StringComparer.Ordinal)
        .Select(f => new FileInfo(f))
        .Select(f => $"{f.FullName} {f.Length} {f.LastWriteTimeUtc.Ticks}"));

    /// <summary>A cheap few of the buttons answered yes, each on a target of its own (not the one the Cancel test
    /// uses): the line goes from the file.</summary>
    [Theory]
    [InlineData("/dnsmasq/hosts/edit?mac=00:16:3e:5a:12:01", "#cfe-submit-Remove", "Remove", "/etc/dnsmasq.conf", "dhcp-host=00:16:3e:5a:12:01")]
    [InlineData("/samba/shares/edit?name=public", "#cfe-submit-Remove", "Remove", "/etc/samba/smb.conf", "[public]")]
    [InlineData("/admin/users", "#user-delete-leaver", "Delete", "/etc/acf/passwd", "leaver:")]
    public async Task DestructiveButton_Yes_RemovesTheTarget(string path, string selector, string yes, string file, string line)
    {
        app.Users();
        Assert.Contains(line, app.Factory.ReadRootFile(file));
        var page = await app.RootPageAsync(path);

        await page.ClickAsync(selector);
        await page.Locator(".mud-dialog-actions button", new() { HasText = yes }).ClickAsync();
        await Assertions.Expect(page.Locator("#cfe-form-result, #users-result")).ToBeVisibleAsync();
        var shown = await page.Locator("#cfe-form-result, #users-result").InnerTextAsync();
        await page.CloseAsync();

        Assert.DoesNotContain(line, app.Factory.ReadRootFile(file));
        Assert.DoesNotContain("failed", shown, StringComparison.OrdinalIgnoreCase);
    }
}
