using System.Collections.Frozen;
using System.Text.Json;

namespace Acf.Web.Localization;

/// <summary>
/// One language's translations, keyed by the English source text (the string the code or the module wrote): a flat
/// JSON object <c>{"English": "Deutsch"}</c>. A key without a translation shows the English text.
/// </summary>
public sealed class TextCatalog(IReadOnlyDictionary<string, string> entries)
{
    public static readonly TextCatalog Empty = new(FrozenDictionary<string, string>.Empty);

    public IReadOnlyDictionary<string, string> Entries { get; } = entries;

    public string? Find(string english) =>
        Entries.TryGetValue(english, out var text) && !string.IsNullOrEmpty(text) ? text : null;

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
