using Acf.Web.Localization;

namespace Acf.Tests.Localization;

/// <summary>
/// Every string the app shows goes through a localizer (<c>L["English"]</c>) or is marked for one
/// (<c>Translatable.Text("English")</c>); each must have a translation in every language's catalog, with the same
/// placeholders. A string added to a page without its German and French fails here.
/// </summary>
public partial class AppCatalogTests
{
    public static TheoryData<string> Translated() => new(Languages.Translated);

    [Theory]
    [MemberData(nameof(Translated))]
    public void Catalog_EveryStringOfTheApp_IsTranslated(string language)
    {
        var catalog = ReadCatalog(language);

        var missing = SourceStrings().Where(s => !catalog.TryGetValue(s, out var text) || string.IsNullOrWhiteSpace(text)).ToList();

        Assert.True(missing.Count == 0, $"Acf.Web/i18n/{language}.json lacks {missing.Count} strings:\n" + string.Join("\n", missing));
    }

    [Theory]
    [MemberData(nameof(Translated))]
    public void Catalog_EveryTranslation_KeepsThePlaceholders(string language)
    {
        var catalog = ReadCatalog(language);

        var broken = catalog.Where(e => !Placeholders(e.Key).SetEquals(Placeholders(e.Value))).Select(e => $"{e.Key} => {e.Value}").ToList();

        Assert.True(broken.Count == 0, "Placeholders differ:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void SourceStrings_FindsLocalizedAndMarkedStrings()
    {
        var strings = SourceStrings();

        Assert.Contains("Log out", strings); // MainLayout: @L["Log out"]
        Assert.Contains("There is no such user.", strings); // UserAdmin: Translatable.Text(...)
        Assert.Contains("The user name must not start with '-'.", strings); // Acf.Modules/Roles/PasswdFile
        Assert.Contains(@"Holds bytes that are not UTF-8, shown as \xNN and kept as they are; change it on the expert page.", strings);
    }

    /// <summary>
    /// The English strings of Acf.Web's pages and services, and the refusals Acf.Modules marks for them (the users'
    /// store in Roles/), as the code writes them (C# escapes undone).
    /// </summary>
    internal static SortedSet<string> SourceStrings()
    {
        var strings = new SortedSet<string>(StringComparer.Ordinal);
        var files = new[] { "Acf.Web", "Acf.Modules" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(ModuleTestHost.RepositoryRoot, project), "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".razor") || f.EndsWith(".cs"))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (Match m in LocalizerCall().Matches(text)) strings.Add(Unescape(m.Groups[1].Value));
            foreach (Match m in MarkedText().Matches(text)) strings.Add(Unescape(m.Groups[1].Value));
        }
        return strings;
    }

    internal static Dictionary<string, string> ReadCatalog(string language) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(
            File.ReadAllText(Path.Combine(ModuleTestHost.RepositoryRoot, "Acf.Web", "i18n", language + ".json")))!;

    internal static HashSet<string> Placeholders(string text) => Placeholder().Matches(text).Select(m => m.Value).ToHashSet();

    private static string Unescape(string literal) =>
        EscapedChar().Replace(literal, m => m.Groups[1].Value switch { "n" => "\n", "t" => "\t", var c => c });

    [GeneratedRegex(@"\bL\[""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LocalizerCall();

    [GeneratedRegex(@"Translatable\.Text\(""((?:[^""\\]|\\.)*)""\)")]
    private static partial Regex MarkedText();

    [GeneratedRegex(@"\\(.)")]
    private static partial Regex EscapedChar();

    [GeneratedRegex(@"\{\d+(?::[^}]*)?\}")]
    private static partial Regex Placeholder();
}
