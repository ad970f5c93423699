namespace Acf.Web.Hosting;

/// <summary>One menu entry a user may open: ACF's category, group and tab, and the page it leads to.</summary>
public sealed record AppMenuItem(string Category, string Group, string Tab, string Href, int Order, string Prefix);

/// <summary>The side menu and the tabs, built from the manifests of the modules a user may use.</summary>
public static class AppMenu
{
    public static IReadOnlyList<AppMenuItem> Build(IEnumerable<AvailableModule> modules) =>
        modules
            .SelectMany(m => m.Module.Menu
                .Where(e => m.Actions.Contains(e.Action))
                .Select(e => new AppMenuItem(e.Category, e.Group, e.Tab, $"/{m.Module.Prefix}/{e.Action}", e.Order, m.Module.Prefix)))
            .OrderBy(i => i.Order)
            .ThenBy(i => i.Group, StringComparer.Ordinal)
            .ThenBy(i => i.Tab, StringComparer.Ordinal)
            .ToList();

    /// <summary>Categories in menu order, each with its groups; a group links to its first tab.</summary>
    public static IEnumerable<(string Category, IReadOnlyList<AppMenuItem> Groups)> Categories(IReadOnlyList<AppMenuItem> items) =>
        items.GroupBy(i => i.Category)
            .Select(c => (c.Key, (IReadOnlyList<AppMenuItem>)c.GroupBy(i => (i.Prefix, i.Group)).Select(g => g.First()).ToList()));

    /// <summary>The tabs that share the group of the page at <paramref name="href"/>.</summary>
    public static IReadOnlyList<AppMenuItem> TabsOf(IReadOnlyList<AppMenuItem> items, string href)
    {
        var current = items.FirstOrDefault(i => i.Href == href);
        return current is null ? [] : items.Where(i => i.Prefix == current.Prefix && i.Group == current.Group).ToList();
    }
}
