using Acf.Web.Hosting;
using Acf.Web.Localization;

namespace Acf.Tests.Hosting;

/// <summary>Issue 20: the countdown banner showed internal names (<c>dmvpn/config/edit</c>); admins know the menu's words.</summary>
public class ActionTitlesTests
{
    [Theory]
    [InlineData("alpine-baselayout", "interfaces/edit", "Base system: Interfaces, Add or edit")]
    [InlineData("alpine-baselayout", "interfaces/delete", "Base system: Interfaces, Status")]
    [InlineData("wireguard", "peers/edit", "WireGuard: Peers")]
    [InlineData("nosuchmodule", "config/edit", "nosuchmodule/config/edit")]
    public void Describe_MenuWordsNotInternalNames(string module, string action, string expected)
    {
        using var host = ModuleTestHost.Demo();
        _ = host.Runner; // builds the catalog

        var text = new ActionTitles(host.Catalog, new ModuleTexts(host.Host)).Describe(module, action);

        Assert.Equal(expected, text);
    }

    [Fact]
    public void Describe_DmvpnConfigEdit_NoInternalName()
    {
        using var host = ModuleTestHost.Demo();
        _ = host.Runner;

        var text = new ActionTitles(host.Catalog, new ModuleTexts(host.Host)).Describe("dmvpn", "config/edit");

        Assert.DoesNotContain("config/edit", text);
        Assert.StartsWith(host.Catalog.Find("dmvpn")!.Title, text);
    }
}
