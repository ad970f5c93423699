using Acf.Web.Components.Pages;
using Bunit;

namespace Acf.Tests.Components;

/// <summary>The dashboard's line chart as plain markup (issue 19: MudChart was dozens of components a chart, kept in
/// every open tab, and a JavaScript size query per label).</summary>
public sealed class LineChartTests : IAsyncDisposable
{
    private readonly BunitContext _ctx = new();

    public ValueTask DisposeAsync() => _ctx.DisposeAsync();

    [Theory]
    [InlineData(20, 20)]
    [InlineData(25, 25)]
    [InlineData(0.7, 1)]
    [InlineData(1.6e6, 2e6)]
    [InlineData(3.1, 5)]
    [InlineData(0, 1)]
    public void NiceStep_IsOneTwoTwoAndAHalfOrFiveTimesAPowerOfTen(double rough, double step) =>
        Assert.Equal(step, LineChart.NiceStep(rough), 9);

    [Fact]
    public void Percent_ScaleFromZeroToAHundred_LineAcrossThePlot()
    {
        var cut = _ctx.Render<LineChart>(p => p
            .Add(x => x.Series, [new LineChart.Line("CPU %", [0, 50, 100])])
            .Add(x => x.Label, "CPU %").Add(x => x.SuggestedMax, 100).Add(x => x.Oldest, "-4 s").Add(x => x.Newest, "now"));

        Assert.Equal(["100", "75", "50", "25", "0"], cut.FindAll(".acf-line-chart-scale span").Select(s => s.TextContent));
        // x runs from 0 to 100 over the values; y is 100 at the bottom (0 %) and 0 at the top.
        Assert.Equal("0,100 50,50 100,0", cut.Find("polyline").GetAttribute("points"));
        Assert.Equal(["-4 s", "now"], cut.FindAll(".acf-line-chart-time span").Select(s => s.TextContent));
        Assert.Empty(cut.FindAll(".acf-line-chart-legend")); // one line needs no legend
        Assert.Equal("CPU %", cut.Find(".acf-line-chart").GetAttribute("aria-label"));
    }

    [Fact]
    public void Traffic_ScaleGrowsWithTheValues_TwoLinesWithALegend_NamesAsText()
    {
        var cut = _ctx.Render<LineChart>(p => p
            .Add(x => x.Series, [new LineChart.Line("<b>in</b>", [1e6, 6.5e6]), new LineChart.Line("out", [double.NaN, 2e6])])
            .Add(x => x.Label, "Traffic").Add(x => x.Format, (Func<double, string>)(v => $"{v / 1e6:0} M")));

        Assert.Equal(["8 M", "6 M", "4 M", "2 M", "0 M"], cut.FindAll(".acf-line-chart-scale span").Select(s => s.TextContent));
        var lines = cut.FindAll("polyline").Select(l => l.GetAttribute("points")).ToList();
        Assert.Equal(["0,87.5 100,18.75", "0,100 100,75"], lines); // a value that is not a number is drawn at 0
        Assert.Equal(["<b>in</b>", "out"], cut.FindAll(".acf-line-chart-key").Select(k => k.TextContent));
        Assert.Empty(cut.FindAll("b"));
    }
}
