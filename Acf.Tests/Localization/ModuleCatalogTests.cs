using Acf.Web.Localization;

namespace Acf.Tests.Localization;

/// <summary>
/// Every module's catalogs (<c>modules-lua/&lt;module&gt;/i18n/&lt;lang&gt;.json</c>) against what its forms show on the
/// demo host (<see cref="ModuleStrings"/>): a label, description, choice, button or column without a German or French
/// translation fails, naming the module and the strings. Set <c>ACF_I18N_MISSING</c> to a folder to get the missing
/// strings written there as JSON skeletons (<c>&lt;module&gt;.&lt;lang&gt;.json</c>).
/// </summary>
public class ModuleCatalogTests
{
    public static TheoryData<string> Modules() => new(Directory.GetDirectories(Path.Combine(ModuleTestHost.RepositoryRoot, "modules-lua"))
        .Where(Acf.Broker.Catalog.ModuleCatalog.IsModuleFolder)
        .Select(Path.GetFileName)
        .Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Modules))]
    public async Task Catalogs_EveryStringTheModuleShows_IsTranslated(string module)
    {
        using var host = ModuleTestHost.Demo();
        _ = host.Runner;
        var shown = await ModuleStrings.GatherAsync(host, module);

        var missing = new List<string>();
        foreach (var language in Languages.Translated)
        {
            var catalog = TextCatalog.Load(ModuleTexts.CatalogPath(Path.Combine(ModuleTestHost.RepositoryRoot, "modules-lua"), module, language));
            var lacking = shown.Where(s => catalog.Find(s) is null).ToList();
            var broken = catalog.Entries.Where(e => !AppCatalogTests.Placeholders(e.Key).SetEquals(AppCatalogTests.Placeholders(e.Value))).Select(e => e.Key);
            missing.AddRange(lacking.Select(s => $"{language}: {s}"));
            missing.AddRange(broken.Select(s => $"{language} (placeholders differ): {s}"));
            WriteSkeleton(module, language, lacking);
        }

        Assert.True(missing.Count == 0, $"modules-lua/{module}/i18n lacks {missing.Count} translations:\n" + string.Join("\n", missing));
    }

    [Fact]
    public async Task Gather_HostnameForm_FindsLabelsButtonsAndMenu()
    {
        using var host = ModuleTestHost.Demo();
        _ = host.Runner;

        var shown = await ModuleStrings.GatherAsync(host, "alpine-baselayout");

        Assert.Contains("Base system", shown); // the manifest's title
        Assert.Contains("Hostname", shown); // a menu group and the field's label
        Assert.Contains("Save", shown); // the form's button
    }

    private static void WriteSkeleton(string module, string language, List<string> lacking)
    {
        if (Environment.GetEnvironmentVariable("ACF_I18N_MISSING") is not { Length: > 0 } folder || lacking.Count == 0) return;
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, $"{module}.{language}.json"),
            System.Text.Json.JsonSerializer.Serialize(lacking.ToDictionary(s => s, _ => ""),
                new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }
}
