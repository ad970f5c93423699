using Acf.Web.Hosting;

namespace Acf.Tests.Web;

/// <summary>The menu is built once per circuit (issue 13: the layout and every module page each built it, asking every
/// module's conditions twice per page) and never handed to another user.</summary>
public sealed class UserMenuTests : IDisposable
{
    private readonly AcfAppFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public void OneCircuit_BuildsTheMenuOnce_AnotherUserGetsTheirOwn()
    {
        using var circuit = _factory.Services.CreateScope();
        var menu = circuit.ServiceProvider.GetRequiredService<UserMenu>();
        var admin = new AcfPrincipal("root", ["ADMIN"]);

        var first = menu.For(admin);
        Assert.Contains(first, i => i.Href == "/alpine-baselayout/hostname/edit");
        Assert.Same(first, menu.For(new AcfPrincipal("root", ["ADMIN"]))); // the layout's list is the page's

        var viewer = menu.For(new AcfPrincipal("guest", ["GUEST"]));
        Assert.NotSame(first, viewer);
        Assert.True(viewer.Count < first.Count, "a guest may open fewer pages than an admin");

        using var other = _factory.Services.CreateScope(); // another tab: its own menu
        Assert.NotSame(first, other.ServiceProvider.GetRequiredService<UserMenu>().For(admin));
    }
}
