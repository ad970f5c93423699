namespace Acf.Web.Components.Renderer;

/// <summary>
/// The stable DOM ids the renderer gives to fields and submit buttons, so that bUnit and Playwright tests find them
/// without depending on MudBlazor's markup. Whitespace becomes <c>-</c> so every id works as a CSS <c>#id</c> selector
/// for ordinary names.
/// </summary>
public static class CfeIds
{
    /// <summary>The dotted name of a field inside its parent (<c>group.field</c>); the top entity has none.</summary>
    public static string Path(string prefix, string name) =>
        prefix.Length == 0 ? name : name.Length == 0 ? prefix : prefix + "." + name;

    /// <summary><c>cfe-</c> and the dotted name with dots replaced by dashes (<c>cfe-group-field</c>).</summary>
    public static string Field(string dottedName) =>
        dottedName.Length == 0 ? "cfe-entity" : "cfe-" + Clean(dottedName.Replace('.', '-'));

    /// <summary><c>cfe-submit-</c> and the button's value.</summary>
    public static string Submit(string buttonValue) => "cfe-submit-" + Clean(buttonValue);

    private static string Clean(string text) =>
        string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                span[i] = char.IsWhiteSpace(source[i]) ? '-' : source[i];
        });
}
