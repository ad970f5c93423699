using Acf.Web.Components.Layout;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace Acf.Tests.Web;

/// <summary>
/// Issue 19: every component is state and two render trees in each open tab, so the layout writes MudBlazor's markup
/// for what only shows (the app bar, its icon buttons, the chips, the main content's frame) instead of those
/// components. It must look and work the same: MudBlazor's elements and classes, the buttons still doing their job.
/// </summary>
public sealed class MainLayoutTests : TabsTest
{
    /// <summary>A tab whose circuit is up, as the layout finds it in a browser.</summary>
    private IRenderedComponent<MainLayout> Render(RenderFragment body)
    {
        var tab = Tabs.Open();
        tab.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return tab.Render<MainLayout>(p => p.Add(x => x.Body, body));
    }

    [Fact]
    public void AppBarAndFrame_AreMudBlazorsMarkupWithoutItsComponents()
    {
        var cut = Render(b => b.AddMarkupContent(0, "<p id=\"the-page\">page</p>"));
        cut.WaitForElement("#lbu-chip", TimeSpan.FromMinutes(1));

        var toolbar = cut.Find("header.mud-appbar > div.mud-toolbar");
        Assert.Equal(["mud-appbar", "mud-appbar-dense", "mud-appbar-fixed-top", "mud-elevation-1"], toolbar.ParentElement!.ClassList);
        Assert.Equal("toolbar", toolbar.GetAttribute("role"));
        var host = cut.Find("#app-hostname").Closest(".mud-chip")!;
        Assert.Equal(["mud-chip", "mud-chip-filled", "mud-chip-size-small", "mud-chip-color-secondary", "acf-host-chip"], host.ClassList);
        Assert.Equal(["mud-icon-root", "mud-svg-icon", "mud-icon-size-small", "mud-chip-icon"], host.QuerySelector("svg")!.ClassList);
        Assert.Equal("Demo host: " + App.DemoRoot, cut.Find("#demo-host").TextContent);
        Assert.StartsWith("Commands are simulated", cut.Find(".acf-demo-chip").GetAttribute("title"));
        Assert.Equal("BUTTON", cut.Find("#lbu-chip").TagName);
        Assert.Contains("mud-clickable", cut.Find("#lbu-chip").ClassList);
        Assert.Equal(["mud-container", "mud-container-maxwidth-lg", "mud-container--gutters", "pt-4", "pb-8"],
            cut.Find("#the-page").Closest(".mud-main-content > div")!.ClassList);

        Assert.Empty(cut.FindComponents<MudBlazor.MudAppBar>());
        Assert.Empty(cut.FindComponents<MudBlazor.MudToolBar>());
        Assert.Empty(cut.FindComponents<MudBlazor.MudChip<string>>());
        Assert.Empty(cut.FindComponents<MudBlazor.MudTooltip>());
        Assert.Empty(cut.FindComponents<MudBlazor.MudMainContent>());
        Assert.Empty(cut.FindComponents<MudBlazor.MudContainer>());
        // The user menu's activator is the one icon button left, MudMenu's own.
        Assert.Single(cut.FindComponents<MudBlazor.MudIconButton>());
    }

    [Fact]
    public void MenuButton_OpensAndFoldsTheDrawer()
    {
        var cut = Render(b => b.AddContent(0, "page"));
        bool Open() => cut.Find("aside.mud-drawer").ClassList.Contains("mud-drawer--open");
        var before = Open(); // a responsive drawer starts as the window's width says (here the test's JS: none)

        cut.Find("button[aria-label=Menu]").Click();

        cut.WaitForAssertion(() => Assert.NotEqual(before, Open()));
        cut.Find("button[aria-label=Menu]").Click();
        cut.WaitForAssertion(() => Assert.Equal(before, Open()));
    }
}
