using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Acf.Web.Localization;

/// <summary>
/// One language's translations, keyed by the English source text (the string the code or the module wrote): a flat
/// JSON object <c>{"English": "Deutsch"}</c>. A key without a translation shows the English text.
/// A key with placeholders is a template for text a module builds around data: <c>"Restart {0}? ..."</c> translates
/// "Restart squid? ..." with squid put where the translation has <c>{0}</c> (the exact key wins over a template).
/// </summary>
public sealed partial class TextCatalog
{
    public static readonly TextCatalog Empty = new(FrozenDictionary<string, string>.Empty);

    private readonly List<(Regex Pattern, string Text)> _templates;

    public TextCatalog(IReadOnlyDictionary<string, string> entries)
    {
        Entries = entries;
        // Longer templates first: "Package names ..." is more specific than "Package {0}".
        _templates = entries
            .Where(e => Placeholder().IsMatch(e.Key) && !string.IsNullOrEmpty(e.Value))
            .OrderByDescending(e => e.Key.Length)
            .Select(e => (Pattern(e.Key), e.Value))
            .ToList();
    }

    public IReadOnlyDictionary<string, string> Entries { get; }

    public string? Find(string english)
    {
        if (Entries.TryGetValue(english, out var text) && !string.IsNullOrEmpty(text)) return text;
        foreach (var (pattern, template) in _templates)
        {
            var match = pattern.Match(english);
            if (!match.Success) continue;
            return Placeholder().Replace(template, p =>
                match.Groups["p" + p.Groups[1].Value] is { Success: true } data ? data.Value : p.Value);
        }
        return null;
    }

    /// <summary>The English key as a whole-text pattern, each <c>{n}</c> capturing the data in its place.</summary>
    private static Regex Pattern(string key)
    {
        var seen = new HashSet<string>();
        var parts = Placeholder().Split(key); // text, index, text, index, ..., text
        var pattern = new System.Text.StringBuilder("^");
        for (var i = 0; i < parts.Length; i++)
            pattern.Append(i % 2 == 0 ? Regex.Escape(parts[i]) : seen.Add(parts[i]) ? $"(?<p{parts[i]}>.*?)" : $"\\k<p{parts[i]}>");
        return new Regex(pattern.Append('$').ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    [GeneratedRegex(@"\{(\d+)\}")]
    private static partial Regex Placeholder();

    public string Translate(string english) => Find(english) ?? english;

    /// <summary>Reads a catalog; a missing file is an empty catalog, a malformed one an error naming the file.</summary>
    public static TextCatalog Load(string path)
    {
        if (!File.Exists(path)) return Empty;
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    public static TextCatalog Read(Stream json, string name)
    {
        try
        {
            var entries = JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
            return new TextCatalog(entries.ToFrozenDictionary(StringComparer.Ordinal));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The translation catalog {name} is not a JSON object of strings: {e.Message}", e);
        }
    }
}
