namespace Acf.Broker.Apk;

/// <summary>How a dependency constrains the version: apk's comparison bits (<c>&lt;</c>, <c>=</c>, <c>&gt;</c>, and
/// <c>~</c> for a fuzzy match of the given prefix).</summary>
[Flags]
public enum ApkVersionOp
{
    Any = 0,
    Less = 1,
    Equal = 2,
    Greater = 4,
    Fuzzy = 8,
}

/// <summary>
/// One dependency as apk writes it in <c>D:</c>, <c>p:</c>, <c>i:</c> and <c>/etc/apk/world</c>:
/// <c>[!]name[@tag][op version]</c>, e.g. <c>busybox</c>, <c>so:libc.musl-x86_64.so.1</c>, <c>cmd:sh=1.37.0-r18</c>,
/// <c>nginx&gt;=1.26</c>, <c>foo@testing</c>, <c>!busybox-initscripts</c> (a conflict).
/// </summary>
public sealed record ApkDependency(string Name, ApkVersionOp Op, string? Version, string? Tag, bool Conflict)
{
    /// <summary>Reads one dependency word; the tag may stand before or after the version (<c>foo@edge&gt;1</c>,
    /// <c>foo&gt;1@edge</c>).</summary>
    public static ApkDependency Parse(string text)
    {
        var s = text.AsSpan().Trim();
        var conflict = s.StartsWith('!');
        if (conflict) s = s[1..];

        string? tag = null;
        var at = s.IndexOf('@');
        if (at >= 0)
        {
            var rest = s[(at + 1)..];
            var tagEnd = rest.IndexOfAny("<>=~");
            tag = (tagEnd < 0 ? rest : rest[..tagEnd]).ToString();
            s = tagEnd < 0 ? s[..at] : string.Concat(s[..at], rest[tagEnd..]).AsSpan();
        }

        var opAt = s.IndexOfAny("<>=~");
        if (opAt < 0) return new ApkDependency(s.ToString(), ApkVersionOp.Any, null, tag, conflict);
        var opEnd = opAt;
        while (opEnd < s.Length && s[opEnd] is '<' or '>' or '=' or '~') opEnd++;
        var op = ParseOp(s[opAt..opEnd]);
        return new ApkDependency(s[..opAt].ToString(), op, s[opEnd..].ToString(), tag, conflict);
    }

    private static ApkVersionOp ParseOp(ReadOnlySpan<char> op)
    {
        var result = ApkVersionOp.Any;
        foreach (var c in op)
            result |= c switch
            {
                '<' => ApkVersionOp.Less,
                '>' => ApkVersionOp.Greater,
                '=' => ApkVersionOp.Equal,
                _ => ApkVersionOp.Fuzzy | ApkVersionOp.Equal,
            };
        return result;
    }

    /// <summary>Whether a package (or provided name) of <paramref name="version"/> meets the version constraint;
    /// a conflict is not inverted here (the caller decides what a match of a conflict means).</summary>
    public bool AcceptsVersion(string? version)
    {
        if (Op == ApkVersionOp.Any || Version is null) return true;
        if (version is null) return false; // a name provided without a version meets no versioned constraint
        var r = ApkVersion.Compare(version, Version, fuzzy: (Op & ApkVersionOp.Fuzzy) != 0);
        var bit = r < 0 ? ApkVersionOp.Less : r > 0 ? ApkVersionOp.Greater : ApkVersionOp.Equal;
        return (Op & bit) != 0;
    }

    /// <summary>The dependency as apk writes it.</summary>
    public override string ToString()
    {
        var op = (Op & ~ApkVersionOp.Fuzzy) switch
        {
            _ when (Op & ApkVersionOp.Fuzzy) != 0 => "~",
            ApkVersionOp.Less => "<",
            ApkVersionOp.Less | ApkVersionOp.Equal => "<=",
            ApkVersionOp.Equal => "=",
            ApkVersionOp.Greater | ApkVersionOp.Equal => ">=",
            ApkVersionOp.Greater => ">",
            _ => "",
        };
        return $"{(Conflict ? "!" : "")}{Name}{(Tag is null ? "" : "@" + Tag)}{(Version is null ? "" : op + Version)}";
    }
}
