using Acf.Web.Components.Layout;
using Acf.Web.Hosting;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace Acf.Tests.Components;

/// <summary>
/// The side menu written as one component (issue 19: as MudNavLinks and MudNavGroups it was about a hundred components
/// per open tab, most of an idle circuit's memory). It must still do what those did: mark the page that is open, follow
/// navigation, fold a group, and offer the admin pages only to admins.
/// </summary>
public sealed class AppNavTests : IAsyncDisposable
{
    private readonly BunitContext _ctx = new();

    private static readonly IReadOnlyList<AppMenuItem> Menu =
    [
        new("System", "Hostname", "Edit", "/alpine-baselayout/hostname/edit", 1, "alpine-baselayout"),
        new("System", "Packages", "Installed", "/apk-tools/packages/installed", 2, "apk-tools"),
        new("System", "Packages", "Available", "/apk-tools/packages/available", 3, "apk-tools"),
        new("Network", "DNS", "Settings", "/alpine-baselayout/resolv/edit", 4, "alpine-baselayout"),
    ];

    public AppNavTests() => _ctx.Services.AddLocalization();

    public ValueTask DisposeAsync() => _ctx.DisposeAsync();

    private IRenderedComponent<AppNav> Render(bool isAdmin = false, bool showDashboard = true) =>
        _ctx.Render<AppNav>(p => p.Add(x => x.Menu, Menu).Add(x => x.IsAdmin, isAdmin).Add(x => x.ShowDashboard, showDashboard));

    private static string[] Hrefs(IRenderedComponent<AppNav> cut) =>
        [.. cut.FindAll("a.mud-nav-link").Select(a => a.GetAttribute("href")!)];

    private static string[] Current(IRenderedComponent<AppNav> cut) =>
        [.. cut.FindAll("a.mud-nav-link.active[aria-current=page]").Select(a => a.GetAttribute("href")!)];

    [Fact]
    public void Menu_LinksEachGroupToItsFirstTab_InCategories()
    {
        var cut = Render();

        Assert.Equal(["/", "/alpine-baselayout/hostname/edit", "/apk-tools/packages/installed", "/alpine-baselayout/resolv/edit"], Hrefs(cut));
        Assert.Equal(["System", "Network"], cut.FindAll("nav.mud-nav-group").Select(n => n.GetAttribute("aria-label")));
    }

    [Fact]
    public void CurrentPage_IsMarked_AndFollowsNavigation()
    {
        var navigation = _ctx.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/alpine-baselayout/hostname/edit");
        var cut = Render();

        Assert.Equal(["/alpine-baselayout/hostname/edit"], Current(cut));

        // A page below a link's path keeps it marked (NavLinkMatch.Prefix); the dashboard only on "/" itself.
        navigation.NavigateTo("/apk-tools/packages/installed/detail?name=musl");
        cut.WaitForAssertion(() => Assert.Equal(["/apk-tools/packages/installed"], Current(cut)));

        navigation.NavigateTo("/");
        cut.WaitForAssertion(() => Assert.Equal(["/"], Current(cut)));

        // A sibling whose name only starts the same is not below it.
        navigation.NavigateTo("/apk-tools/packages/installedx");
        cut.WaitForAssertion(() => Assert.Empty(Current(cut)));
    }

    [Fact]
    public void Group_FoldsAndUnfolds()
    {
        var cut = Render();
        var toggle = cut.Find("nav.mud-nav-group[aria-label=System] > button");
        Assert.Equal("true", toggle.GetAttribute("aria-expanded"));

        toggle.Click();

        Assert.Equal("false", cut.Find("nav.mud-nav-group[aria-label=System] > button").GetAttribute("aria-expanded"));
        Assert.DoesNotContain("/alpine-baselayout/hostname/edit", Hrefs(cut));
        Assert.Contains("/alpine-baselayout/resolv/edit", Hrefs(cut));

        cut.Find("nav.mud-nav-group[aria-label=System] > button").Click();

        Assert.Contains("/alpine-baselayout/hostname/edit", Hrefs(cut));
    }

    [Fact]
    public void AdminPages_OnlyForAdmins_AndNoDashboardWhileEnrolling()
    {
        Assert.DoesNotContain("/audit", Hrefs(Render()));

        var admin = Render(isAdmin: true);
        Assert.Equal("/audit", admin.Find("#nav-audit").GetAttribute("href"));
        Assert.Equal("/history", admin.Find("#nav-history").GetAttribute("href"));
        Assert.Contains("/admin/users", Hrefs(admin));

        Assert.DoesNotContain("/", Hrefs(Render(showDashboard: false)));
    }

    [Fact]
    public void ModuleTexts_AreRenderedAsText()
    {
        // Group and category names come from module manifests: never markup.
        var cut = _ctx.Render<AppNav>(p => p.Add(x => x.Menu,
            [new AppMenuItem("<b>Cat</b>", "<img src=x onerror=alert(1)>", "t", "/m/c/a", 1, "m")]));

        Assert.Empty(cut.FindAll("img"));
        Assert.Empty(cut.FindAll("b"));
        Assert.Contains("<img src=x onerror=alert(1)>", cut.Find("a[href='/m/c/a']").TextContent);
    }
}
