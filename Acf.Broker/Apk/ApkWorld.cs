namespace Acf.Broker.Apk;

/// <summary>
/// <c>/etc/apk/world</c> (apk-world(5)): the explicitly installed packages, one dependency per line. apk reads any
/// whitespace as a separator and writes the list sorted by package name, one per line, ending with a newline.
/// </summary>
public static class ApkWorld
{
    public static IReadOnlyList<string> Parse(string text) =>
        text.Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The file as apk writes it: sorted by name (byte order), one per line, a final newline.</summary>
    public static string Format(IEnumerable<string> world)
    {
        var text = new StringBuilder();
        foreach (var entry in world.OrderBy(e => ApkDependency.Parse(e).Name, StringComparer.Ordinal).ThenBy(e => e, StringComparer.Ordinal))
            text.Append(entry).Append('\n');
        if (text.Length == 0) text.Append('\n');
        return text.ToString();
    }
}

/// <summary>
/// <c>/etc/apk/repositories</c> (apk-repositories(5)): one repository a line, <c>#</c> comments;
/// a line may start with an <c>@tag</c> and, in newer apk, a type word (<c>v2</c>, <c>v3</c>, <c>ndx</c>).
/// </summary>
public static class ApkRepositories
{
    /// <summary>The lines that are not comments or blank, trimmed, in order.</summary>
    public static IReadOnlyList<string> Parse(string text) =>
        text.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();

    /// <summary>The repository's URL (or absolute path) on a line; null for <c>set</c> lines.</summary>
    public static string? UrlOf(string line)
    {
        var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var i = 0;
        if (i < words.Length && words[i] == "set") return null;
        if (i < words.Length && words[i] is "v2" or "v3" or "ndx") i++;
        if (i < words.Length && words[i].StartsWith('@')) i++;
        return i < words.Length ? words[i] : null;
    }

    /// <summary>The tag of a line (<c>@testing https://...</c>), or null.</summary>
    public static string? TagOf(string line) =>
        line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(w => w.StartsWith('@'))?[1..];

    /// <summary>
    /// The name apk 2.x gives the cached index of a repository: <c>APKINDEX.</c>, the first four bytes of the SHA-1
    /// of the URL in hex, <c>.tar.gz</c> (apk-tools' <c>apk_repo_format_cache_index</c>).
    /// </summary>
    public static string CacheFileName(string url) =>
        $"APKINDEX.{Convert.ToHexStringLower(global::System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes(url)), 0, 4)}.tar.gz";
}
