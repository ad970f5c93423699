namespace Acf.Web.Components.Renderer;

/// <summary>
/// The only places where text from a module becomes a URL. A module's <c>link</c> target is used as an href only when
/// it is an app path or an http(s) address; anything else (<c>javascript:</c>, <c>data:</c>, protocol-relative
/// <c>//host</c>) is shown as text.
/// </summary>
public static class CfeHrefs
{
    /// <summary>The target as an href when it is safe to follow, else null.</summary>
    public static string? SafeHref(string? target)
    {
        if (string.IsNullOrEmpty(target)) return null;
        // Browsers drop tabs and newlines inside URLs and read '\' as '/', so "/\t/evil" or "/\evil" would turn
        // into a protocol-relative address: refuse any control character, whitespace or backslash outright.
        foreach (var c in target)
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\') return null;

        if (target[0] == '/')
            return target.Length == 1 || target[1] != '/' ? target : null;

        var absolute = target.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        return absolute
            && Uri.TryCreate(target, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? target
            : null;
    }

    /// <summary>True for http(s) addresses, which open in a new tab without an opener.</summary>
    public static bool IsExternal(string href) => !href.StartsWith('/');

    /// <summary>A <c>data:</c> URL that downloads the exact bytes <paramref name="text"/> stands for (<see cref="Acf.Modules.Cfe.ByteText"/>).</summary>
    public static string BytesDataUrl(string? text) =>
        "data:application/octet-stream;base64," + Convert.ToBase64String(Acf.Modules.Cfe.ByteText.Encode(text ?? ""));

    /// <summary>A <c>data:</c> URL that downloads <paramref name="text"/> as a UTF-8 text file.</summary>
    public static string TextDataUrl(string? text) =>
        "data:text/plain;charset=utf-8;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(text ?? ""));
}
