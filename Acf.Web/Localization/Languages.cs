using Microsoft.AspNetCore.Localization;

namespace Acf.Web.Localization;

/// <summary>
/// The languages the app speaks. English is the source text; every other language has an app catalog
/// (<c>Acf.Web/i18n/&lt;code&gt;.json</c>) and, per module, <c>modules-lua/&lt;module&gt;/i18n/&lt;code&gt;.json</c>.
/// </summary>
public static class Languages
{
    public const string Source = "en";

    /// <summary>Code and name in the language itself (what the language menu shows).</summary>
    public static readonly IReadOnlyList<(string Code, string Name)> All =
    [
        ("en", "English"),
        ("de", "Deutsch"),
        ("fr", "Français"),
    ];

    /// <summary>The languages with catalogs (all but the source).</summary>
    public static IEnumerable<string> Translated => All.Select(l => l.Code).Where(c => c != Source);

    public static bool IsSupported(string? code) => All.Any(l => l.Code == code);

    /// <summary>The language of the current request or circuit: the UI culture's language, when Acf speaks it.</summary>
    public static string Current
    {
        get
        {
            var culture = CultureInfo.CurrentUICulture;
            for (var c = culture; !string.IsNullOrEmpty(c.Name); c = c.Parent)
                if (IsSupported(c.Name)) return c.Name;
            return Source;
        }
    }

    /// <summary>
    /// Chooses the language per request: the language cookie (the user's choice in the menu), then the browser's
    /// Accept-Language, then English. (The app runs with invariant globalization: the cultures carry only their names,
    /// so numbers and dates keep one format whatever the language.)
    /// </summary>
    public static RequestLocalizationOptions RequestOptions()
    {
        var cultures = All.Select(l => new CultureInfo(l.Code)).ToList();
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(Source),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
            FallBackToParentCultures = true,
            FallBackToParentUICultures = true,
        };
        options.RequestCultureProviders =
        [
            new CookieRequestCultureProvider { CookieName = CookieName },
            new AcceptLanguageHeaderRequestCultureProvider(),
        ];
        return options;
    }

    public const string CookieName = "acf-language";
}
