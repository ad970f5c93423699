namespace Acf.Tests.Localization;

/// <summary>
/// What a module shows in English on the demo host: its title, description and menu, and every label, description,
/// choice label, button label and question, and structure column of the forms its actions answer with, opened as the
/// browser opens them (no submit). Item pages are met by following the module's own links from those forms (a row's
/// <c>@href</c>, a <c>link</c>), a few per page. Choices whose label is their value are data (an interface, a package)
/// and are not asked for; a form's buttons always are.
/// </summary>
internal static class ModuleStrings
{
    private const int LinksPerPage = 3;

    public static async Task<SortedSet<string>> GatherAsync(ModuleTestHost host, string module)
    {
        var manifest = host.Catalog.Find(module) ?? throw new InvalidOperationException($"no module {module}");
        var strings = new SortedSet<string>(StringComparer.Ordinal) { manifest.Title };
        if (!string.IsNullOrEmpty(manifest.Description)) strings.Add(manifest.Description);
        foreach (var entry in manifest.Menu)
        {
            strings.Add(entry.Category);
            strings.Add(entry.Group);
            strings.Add(entry.Tab);
        }
        await WalkAsync(host, module, entity => Collect(entity, strings));
        return strings;
    }

    /// <summary>Every entity the module's actions answer with on the demo host, opened as the browser opens them (no
    /// submit), and the item pages its own links lead to, a few per page.</summary>
    public static async Task WalkAsync(ModuleTestHost host, string module, Action<CfeNode> visit)
    {
        var manifest = host.Catalog.Find(module) ?? throw new InvalidOperationException($"no module {module}");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var action in manifest.Actions.Order(StringComparer.Ordinal))
            await VisitAsync(host, module, $"/{module}/{action}", visit, seen, depth: 0);
    }

    private static async Task VisitAsync(ModuleTestHost host, string module, string href, Action<CfeNode> visit,
        HashSet<string> seen, int depth)
    {
        if (!seen.Add(href)) return;
        var uri = new Uri(new Uri("http://acf.invalid"), href);
        var parts = uri.AbsolutePath.Trim('/').Split('/');
        if (parts.Length != 3 || parts[0] != module) return;
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query)
            .ToDictionary(q => q.Key, q => (IReadOnlyList<string>)q.Value.Select(v => v ?? "").ToList());
        var result = await host.RunAsync(ModuleTestHost.Admin, module, parts[1], parts[2], new ModuleInput(query));
        if (result.Entity is not { } entity) return;
        visit(entity);
        if (depth > 0) return;
        var links = new List<string>();
        Links(entity, links);
        foreach (var link in links.Distinct().Take(LinksPerPage))
            await VisitAsync(host, module, link, visit, seen, depth + 1);
    }

    private static void Links(CfeNode node, List<string> links)
    {
        if (node.Type == CfeTypes.Link && node.Text is { } target && target.StartsWith('/')) links.Add(target);
        foreach (var row in node.Rows)
            links.AddRange(row.Where(c => c.Key.EndsWith("@href", StringComparison.Ordinal) && c.Value.StartsWith('/')).Select(c => c.Value));
        foreach (var child in node.Children) Links(child, links);
    }

    private static void Collect(CfeNode node, SortedSet<string> strings)
    {
        Add(strings, node.Label);
        Add(strings, node.Descr);
        Add(strings, node.Errtxt);
        foreach (var option in node.Options)
        {
            // A form's buttons are the module's words; a choice named by its value is data.
            if (node.Type == CfeTypes.Form || option.Label != option.Value) Add(strings, option.Label);
            Add(strings, option.Group);
            Add(strings, option.Confirm);
        }
        foreach (var column in node.Columns) Add(strings, column);
        foreach (var child in node.Children) Collect(child, strings);
    }

    private static void Add(SortedSet<string> strings, string? text)
    {
        if (!string.IsNullOrWhiteSpace(text) && !IsPath(text)) strings.Add(text);
    }

    /// <summary>A file's path as a label (a policy file, a log) is the file's name, the same in every language; so is
    /// a digest (a key of the health page's rows).</summary>
    private static bool IsPath(string text) =>
        text.StartsWith('/') && !text.Any(char.IsWhiteSpace) || text.Length >= 16 && text.All(char.IsAsciiHexDigitLower);
}
