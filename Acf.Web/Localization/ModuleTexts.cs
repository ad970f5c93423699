using System.Collections.Concurrent;

namespace Acf.Web.Localization;

/// <summary>
/// Modules carry their own translations: <c>modules-lua/&lt;module&gt;/i18n/&lt;code&gt;.json</c>, keyed by the English
/// text the module writes (a label, a description, a choice's or a button's label, a column, a menu entry). Only what
/// is shown is translated: values, option values and the names of fields never change, so a submit is the same in
/// every language. Text a module builds from data (a file name in a label) has no entry and stays as it is.
/// </summary>
public sealed class ModuleTexts(SystemHost host)
{
    private readonly ConcurrentDictionary<(string Module, string Language), TextCatalog> _catalogs = new();

    public static string CatalogPath(string modulesPath, string module, string language) =>
        Path.Combine(modulesPath, module, "i18n", language + ".json");

    public TextCatalog For(string module, string language) =>
        language == Languages.Source
            ? TextCatalog.Empty
            : _catalogs.GetOrAdd((module, language), key => TextCatalog.Load(CatalogPath(host.ModulesPath, key.Module, key.Language)));

    /// <summary>The module's catalog for the current language.</summary>
    public TextCatalog For(string module) => For(module, Languages.Current);

    /// <summary>The entity as the current language shows it.</summary>
    public CfeNode Translate(string module, CfeNode node) => Translate(For(module, Languages.Current), node);

    /// <summary>Menu entries (category, group, tab) in the current language, each by its own module's catalog.</summary>
    public IReadOnlyList<AppMenuItem> Translate(IReadOnlyList<AppMenuItem> items)
    {
        var language = Languages.Current;
        if (language == Languages.Source) return items;
        return items.Select(i =>
        {
            var catalog = For(i.Prefix, language);
            return i with { Category = catalog.Translate(i.Category), Group = catalog.Translate(i.Group), Tab = catalog.Translate(i.Tab) };
        }).ToList();
    }

    internal static CfeNode Translate(TextCatalog catalog, CfeNode node)
    {
        if (catalog.Entries.Count == 0) return node;
        string? T(string? text) => string.IsNullOrEmpty(text) ? text : catalog.Translate(text);
        return node with
        {
            Label = T(node.Label),
            Descr = T(node.Descr),
            Errtxt = T(node.Errtxt),
            Children = node.Children.Select(c => Translate(catalog, c)).ToList(),
            Options = node.Options.Select(o => o with
            {
                // A choice without a label shows its value: a translation of the value becomes its label.
                Label = string.IsNullOrEmpty(o.Label) ? catalog.Find(o.Value) ?? o.Label : catalog.Translate(o.Label),
                Group = T(o.Group),
                Confirm = T(o.Confirm),
            }).ToList(),
            Columns = node.Columns.Select(catalog.Translate).ToList(),
            Rows = node.Type == CfeTypes.Structure || node.Type == CfeTypes.Chart
                ? node.Rows.Select(r => TranslateKeys(catalog, r)).ToList()
                : node.Rows,
        };
    }

    /// <summary>A structure's columns are the keys of its rows: a translated column title renames the key in every row.</summary>
    private static IReadOnlyDictionary<string, string> TranslateKeys(TextCatalog catalog, IReadOnlyDictionary<string, string> row)
    {
        var translated = new Dictionary<string, string>(row.Count, StringComparer.Ordinal);
        // Two columns that one language names alike keep their English keys rather than lose a cell.
        foreach (var (key, value) in row)
        {
            // A row's own question for a button ("@confirm Stop") is shown text: its value is translated, its key not.
            var shown = key.StartsWith(RowQuestion, StringComparison.Ordinal) ? catalog.Translate(value) : value;
            if (!translated.TryAdd(TranslateKey(catalog, key), shown)) translated[key] = shown;
        }
        return translated;
    }

    private const string RowQuestion = "@confirm ";

    /// <summary>
    /// A cell about a column (<c>name@href</c>, <c>state@tone</c>) follows its column's new name; a cell about the
    /// row (<c>@key</c>, <c>@confirm Stop</c>) keeps its key.
    /// </summary>
    private static string TranslateKey(TextCatalog catalog, string key)
    {
        var at = key.IndexOf('@');
        return at switch
        {
            < 0 => catalog.Translate(key),
            0 => key,
            _ => catalog.Translate(key[..at]) + key[at..],
        };
    }
}
