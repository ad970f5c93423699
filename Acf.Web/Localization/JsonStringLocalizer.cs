using System.Collections.Concurrent;
using Microsoft.Extensions.Localization;

namespace Acf.Web.Localization;

/// <summary>
/// The app's strings: one catalog per language for all pages (the key is the English text, so a page needs no
/// resource file of its own), embedded in the assembly from <c>Acf.Web/i18n/&lt;code&gt;.json</c>.
/// </summary>
public sealed class AppTexts
{
    private readonly ConcurrentDictionary<string, TextCatalog> _catalogs = new(StringComparer.Ordinal);

    public TextCatalog For(string language) => _catalogs.GetOrAdd(language, Load);

    public static string ResourceName(string language) => $"Acf.Web.i18n.{language}.json";

    private static TextCatalog Load(string language)
    {
        if (language == Languages.Source) return TextCatalog.Empty;
        using var stream = typeof(AppTexts).Assembly.GetManifestResourceStream(ResourceName(language));
        return stream is null ? TextCatalog.Empty : TextCatalog.Read(stream, ResourceName(language));
    }
}

/// <summary>Hands every component the same catalog-backed localizer (the type or resource name does not matter).</summary>
public sealed class JsonStringLocalizerFactory(AppTexts texts) : IStringLocalizerFactory
{
    public IStringLocalizer Create(Type resourceSource) => new JsonStringLocalizer(texts);

    public IStringLocalizer Create(string baseName, string location) => new JsonStringLocalizer(texts);
}

/// <summary>Looks the English text up in the current UI language's catalog; without a translation the English shows.</summary>
public sealed class JsonStringLocalizer(AppTexts texts) : IStringLocalizer
{
    public LocalizedString this[string name]
    {
        get
        {
            var found = texts.For(Languages.Current).Find(name);
            return new LocalizedString(name, found ?? name, resourceNotFound: found is null);
        }
    }

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var text = this[name];
            return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, text.Value, arguments), text.ResourceNotFound);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        texts.For(Languages.Current).Entries.Select(e => new LocalizedString(e.Key, e.Value));
}
