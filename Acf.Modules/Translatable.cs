namespace Acf.Modules;

/// <summary>
/// Marks English text that code hands to a page, which translates it later (<c>L[refusal]</c>): a service's refusal
/// such as "There is no such user.". The catalog test (<c>AppCatalogTests</c>) finds these as it finds <c>L["..."]</c>,
/// so a message is never left out of de.json or fr.json.
/// </summary>
public static class Translatable
{
    public static string Text(string english) => english;
}
