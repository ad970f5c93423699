using Acf.Web.Components.Renderer;
using Bunit;

namespace Acf.Tests.Components;

/// <summary>Structures as tables (links in cells, paging of long lists) and charts.</summary>
public class CfeStructureTests
{
    /// <summary>A node of <paramref name="type"/> with these columns and rows (a structure or a chart).</summary>
    private static CfeNode Table(string type, string name, string[] columns, IEnumerable<Dictionary<string, string>> rows) =>
        new() { Type = type, Name = name, Columns = columns, Rows = rows.ToList<IReadOnlyDictionary<string, string>>() };

    private static CfeNode Structure(int rows, Func<int, Dictionary<string, string>> row) =>
        Table(CfeTypes.Structure, "packages", ["name", "version"], Enumerable.Range(0, rows).Select(row)) with { Label = "Packages" };

    [Fact]
    public async Task Render_CellWithHref_IsALinkAndUnsafeHrefIsText()
    {
        await using var ctx = RendererContext.New();
        var node = Structure(2, i => new()
        {
            ["name"] = $"pkg{i}",
            ["name@href"] = i == 0 ? "/apk-tools/packages/details?name=pkg0" : "javascript:alert(1)",
            ["version"] = "1.0",
        });

        var cut = ctx.Render<CfeView>(p => p.Add(x => x.Entity, node));

        var links = cut.FindAll("#cfe-packages a");
        Assert.Equal("/apk-tools/packages/details?name=pkg0", Assert.Single(links).GetAttribute("href"));
        Assert.Contains("pkg1", cut.Find("#cfe-packages").TextContent);
        Assert.DoesNotContain("javascript", cut.Markup);
        Assert.DoesNotContain("name@href", cut.Find("#cfe-packages thead").TextContent);
    }

    /// <summary>Issue 20: services are started and stopped from their row, their state coloured.</summary>
    [Fact]
    public async Task RowButton_Pressed_SubmitsTheStructuresActionWithTheRowsKey()
    {
        await using var ctx = RendererContext.New();
        var node = Table(CfeTypes.Structure, "services", ["name", "state"],
        [
            new() { ["name"] = "crond", ["state"] = "stopped", ["state@tone"] = "default", ["@key"] = "crond" },
            new() { ["name"] = "squid", ["state"] = "crashed", ["state@tone"] = "error", ["@key"] = "squid" },
        ]) with
        {
            Options = [new CfeOption("Start", "Start"), new CfeOption("Restart", "Restart")],
            Key = "service",
            Action = "rc/control",
        };
        CfeSubmission? submitted = null;
        var cut = ctx.Render<CfeView>(p => p
            .Add(x => x.Entity, node)
            .Add(x => x.OnSubmit, (CfeSubmission s) => submitted = s));

        cut.Find("#cfe-services-cfe-submit-Start-squid").Click();

        Assert.NotNull(submitted);
        Assert.Equal(("Start", "rc/control"), (submitted.Button, submitted.Action));
        Assert.Equal(["squid"], submitted.Values["service"]);
        var crashed = cut.FindAll("#cfe-services .cfe-tone").Single(c => c.TextContent.Contains("crashed"));
        Assert.Contains("mud-chip-color-error", crashed.ClassName);
        Assert.DoesNotContain("@", cut.Find("#cfe-services thead").TextContent);
    }

    [Fact]
    public async Task Render_StructureWithErrtxt_SaysWhyUnderTheTable()
    {
        await using var ctx = RendererContext.New();
        var node = Structure(0, _ => new()) with { Errtxt = "vtysh failed (exit status 1): nhrpd is not running" };

        var cut = ctx.Render<CfeView>(p => p.Add(x => x.Entity, node));

        Assert.Equal("vtysh failed (exit status 1): nhrpd is not running", cut.Find(".cfe-error").TextContent.Trim());
    }

    [Fact]
    public async Task Render_TwentyThousandRows_OnlyOnePageInTheDom()
    {
        await using var ctx = RendererContext.New();
        var node = Structure(20_000, i => new() { ["name"] = $"pkg{i:D5}", ["version"] = "1.0" });

        var cut = ctx.Render<CfeView>(p => p.Add(x => x.Entity, node));

        Assert.Equal(50, cut.FindAll("#cfe-packages tbody tr").Count);
        Assert.NotEmpty(cut.FindAll("#cfe-packages .mud-table-pagination"));
    }

    [Fact]
    public async Task Render_Chart_DrawsOneBarPerRow()
    {
        await using var ctx = RendererContext.New();
        var node = Table(CfeTypes.Chart, "domains", ["domain", "requests"],
            [new() { ["domain"] = "a.example", ["requests"] = "30" }, new() { ["domain"] = "b.example", ["requests"] = "12" }])
            with { Label = "Top domains" };

        var cut = ctx.Render<CfeView>(p => p.Add(x => x.Entity, node));

        var chart = cut.Find("#cfe-domains");
        Assert.Contains("Top domains", chart.TextContent);
        var rows = chart.QuerySelectorAll(".cfe-chart-row");
        Assert.Equal(["a.example", "b.example"], rows.Select(r => r.QuerySelector(".cfe-chart-row-label")!.TextContent));
        Assert.Equal(["30", "12"], rows.Select(r => r.QuerySelector(".cfe-chart-value")!.TextContent));
        // The longest bar fills its track; the others are in proportion.
        Assert.Equal(["width: 100%", "width: 40%"], rows.Select(r => r.QuerySelector(".cfe-chart-bar")!.GetAttribute("style")!));
    }
}
