using Acf.Web.Components.Layout;
using Bunit;

namespace Acf.Tests.Components;

/// <summary>Issue 15: a broken audit chain found by recovery at start is shown to admins on every page (the layout).</summary>
public class AuditChainBannerTests
{
    private static IRenderedComponent<AuditChainBanner> Render(AuditVerification? last, bool admin)
    {
        var ctx = RendererContext.New();
        ctx.Services.AddSingleton(new AuditChainStatus { Last = last });
        return ctx.Render<AuditChainBanner>(p => p.Add(b => b.IsAdmin, admin));
    }

    [Fact]
    public void BrokenChain_Admin_ShowsEntryAndProblem()
    {
        var cut = Render(new AuditVerification(false, 12, 7, "entry 7's hash does not match"), admin: true);

        var banner = cut.Find("#audit-chain-broken");
        Assert.Contains("The audit log's chain is broken at entry 7: entry 7's hash does not match", banner.TextContent);
        Assert.Equal("/audit", banner.QuerySelector("a")!.GetAttribute("href"));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void NoBanner_WhenChainIntactOrUserNotAdmin(bool intact, bool admin)
    {
        var cut = Render(new AuditVerification(intact, 12, intact ? null : 7, "checked"), admin);

        Assert.Empty(cut.FindAll("#audit-chain-broken"));
    }
}
