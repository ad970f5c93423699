namespace Acf.Tests.Web;

/// <summary>Issue 20's last layout defects, measured in Chromium at 390x844 and 1366x768: squid's statistics chart
/// labels overlapped on a phone, and a rule table's card fields were ragged (each value started where its label
/// happened to end). The pages are only read, so one app and one browser serve the class.</summary>
[Trait("Category", "Browser")]
public sealed class PhoneDefectsBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    /// <summary>[left, top, right, bottom, text] of every chart label a user can see (the SVG axis labels of the
    /// wide chart, the row labels of the phone's bar list); hidden ones have no client rect.</summary>
    private const string VisibleLabels = """
        chart => [...chart.querySelectorAll('.mud-charts-xaxis text, .cfe-chart-row-label')]
            .filter(e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
            .map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom].map(String).concat(e.textContent.trim()); })
        """;

    [Theory]
    [InlineData(390, 844)]
    [InlineData(1366, 768)]
    public async Task SquidStatistics_InBrowser_ChartLabelsDoNotOverlap(int width, int height)
    {
        var page = await BrowserTests.LoggedInPageAsync(app.Chromium.Browser, app.BaseUrl, "/squid/logs/stats",
            new BrowserNewContextOptions { ViewportSize = new() { Width = width, Height = height } });
        var chart = page.Locator("#cfe-domains");
        await Assertions.Expect(chart.Locator("svg, .cfe-chart-bars").First).ToBeVisibleAsync();
        await chart.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = LayoutBrowserTests.ScreenshotPath($"squid-stats-{width}.png"), FullPage = true });

        var labels = await chart.EvaluateAsync<string[][]>(VisibleLabels);
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        await page.Context.CloseAsync();

        Assert.Equal(10, labels.Length); // the demo log's top ten domains, each named once
        var overlaps = new List<string>();
        for (var i = 0; i < labels.Length; i++)
            for (var j = i + 1; j < labels.Length; j++)
                if (Intersect(labels[i], labels[j])) overlaps.Add($"'{labels[i][4]}' and '{labels[j][4]}'");
        Assert.True(overlaps.Count == 0, "chart labels drawn over each other:\n" + string.Join("\n", overlaps));
        Assert.True(widths[0] <= widths[1], $"the statistics page is wider than the screen: {widths[0]} > {widths[1]}");
    }

    /// <summary>On a phone a rule table's rows are cards: one field a line, its label in a column of its own, so every
    /// value starts at the same x and ends at the same x, on every card.</summary>
    [Fact]
    public async Task RuleTableCards_OnPhone_ValuesStartInOneColumn()
    {
        var page = await BrowserTests.LoggedInPageAsync(app.Chromium.Browser, app.BaseUrl, "/awall/policy/edit?name=internet-gateway",
            new BrowserNewContextOptions { ViewportSize = new() { Width = 390, Height = 844 } });
        await Assertions.Expect(page.Locator("#cfe-filter-2-conn_limit")).ToHaveValueAsync("3/60");
        await Assertions.Expect(page.Locator("#cfe-filter .mud-table-head")).ToBeHiddenAsync(); // rows as cards
        await page.Locator("#cfe-filter .cfe-records-title").EvaluateAsync(ToTitle);
        await page.ScreenshotAsync(new() { Path = LayoutBrowserTests.ScreenshotPath("rule-cards-390.png") });

        // [label, value's left, value's right, cell's left] of each labelled field of each card
        var fields = await page.Locator("#cfe-filter .mud-table-body td[data-label]").EvaluateAllAsync<string[][]>("""
            cells => cells.filter(td => td.dataset.label !== '#' && td.firstElementChild).map(td => {
                const v = td.firstElementChild.getBoundingClientRect(), c = td.getBoundingClientRect();
                return [td.dataset.label, String(Math.round(v.left)), String(Math.round(v.right)), String(Math.round(c.left))];
            })
            """);
        await page.SetViewportSizeAsync(1366, 768);
        await Assertions.Expect(page.Locator("#cfe-filter .mud-table-head")).ToBeVisibleAsync();
        await page.Locator("#cfe-filter .cfe-records-title").EvaluateAsync(ToTitle);
        await page.ScreenshotAsync(new() { Path = LayoutBrowserTests.ScreenshotPath("rule-table-1366.png") });
        await page.Context.CloseAsync();

        Assert.True(fields.Length >= 16, $"two cards of eight fields at least ({fields.Length} found)");
        var lefts = fields.Select(f => int.Parse(f[1])).Distinct().ToList();
        var rights = fields.Select(f => int.Parse(f[2])).Distinct().ToList();
        Assert.True(lefts.Count == 1, "values start at different x: " + string.Join(", ", fields.Select(f => $"{f[0]}={f[1]}")));
        Assert.True(rights.Count == 1, "values end at different x: " + string.Join(", ", fields.Select(f => $"{f[0]}={f[2]}")));
        Assert.True(lefts[0] - int.Parse(fields[0][3]) >= 80, "the labels have a column of their own left of the values");
    }

    /// <summary>A structure's cards on a phone: WireGuard's peer keys (44 characters without a break) ran past the
    /// screen's right edge, cut off, before the card's cells could wrap them.</summary>
    [Fact]
    public async Task StructureCards_OnPhone_LongWordsWrapInsideTheScreen()
    {
        var page = await BrowserTests.LoggedInPageAsync(app.Chromium.Browser, app.BaseUrl, "/wireguard/peers/edit?interface=wg0",
            new BrowserNewContextOptions { ViewportSize = new() { Width = 390, Height = 844 } });
        await Assertions.Expect(page.Locator("#cfe-peers .mud-table-body .mud-table-cell").First).ToBeVisibleAsync();
        var cells = await page.Locator("#cfe-peers .mud-table-body .mud-table-cell").EvaluateAllAsync<string[][]>("""
            cells => cells.filter(c => c.textContent.trim() !== '')
                .map(c => [c.textContent.trim(), String(Math.round(Math.max(...[...c.getClientRects(), ...[...c.querySelectorAll('*')]
                    .flatMap(e => [...e.getClientRects()])].map(r => r.right)))), String(window.innerWidth)])
            """);
        await page.Context.CloseAsync();

        Assert.Contains(cells, c => c[0].Contains("QrVrOnBzyMrGjwYsQA2ust9o", StringComparison.Ordinal));
        var past = cells.Where(c => int.Parse(c[1]) > int.Parse(c[2])).Select(c => $"{c[0]} ends at {c[1]} of {c[2]}").ToList();
        Assert.True(past.Count == 0, string.Join("\n", past));
    }

    /// <summary>Scrolls the table's title to the top, below the app bar.</summary>
    private const string ToTitle = "t => { t.scrollIntoView({ block: 'start' }); window.scrollBy(0, -64); }";

    private static bool Intersect(string[] a, string[] b)
    {
        double[] p = [.. a.Take(4).Select(double.Parse)], q = [.. b.Take(4).Select(double.Parse)];
        return p[0] < q[2] && q[0] < p[2] && p[1] < q[3] && q[1] < p[3];
    }
}
