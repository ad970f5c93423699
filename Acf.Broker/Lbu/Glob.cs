namespace Acf.Broker.Lbu;

/// <summary>
/// fnmatch(3) for one path component, as apk uses it on protected paths and the shell on lbu's archive names:
/// <c>*</c>, <c>?</c>, <c>[a-z]</c>, <c>[!x]</c> / <c>[^x]</c> and <c>\</c> escapes. A leading dot is not special
/// (apk passes no FNM_PERIOD), and a component never holds a slash, so FNM_PATHNAME changes nothing here.
/// </summary>
internal static class Glob
{
    public static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        int p = 0, n = 0, starP = -1, starN = -1;
        while (n < name.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = ++p;
                starN = n;
                continue;
            }
            if (p < pattern.Length && MatchOne(pattern, p, name[n]) is var next && next > 0)
            {
                p = next;
                n++;
                continue;
            }
            if (starP < 0) return false;
            p = starP; // let the last star take one more character
            n = ++starN;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    /// <summary>The pattern index after the element at <paramref name="p"/> when it matches <paramref name="c"/>, else -1.</summary>
    private static int MatchOne(ReadOnlySpan<char> pattern, int p, char c)
    {
        switch (pattern[p])
        {
            case '?':
                return p + 1;
            case '\\' when p + 1 < pattern.Length:
                return pattern[p + 1] == c ? p + 2 : -1;
            case '[':
                var end = ClassEnd(pattern, p);
                if (end < 0) return c == '[' ? p + 1 : -1; // an unclosed '[' is an ordinary character
                return InClass(pattern[(p + 1)..end], c) ? end + 1 : -1;
            default:
                return pattern[p] == c ? p + 1 : -1;
        }
    }

    private static int ClassEnd(ReadOnlySpan<char> pattern, int open)
    {
        var i = open + 1;
        if (i < pattern.Length && pattern[i] is '!' or '^') i++;
        if (i < pattern.Length && pattern[i] == ']') i++; // a ']' first in the class is literal
        for (; i < pattern.Length; i++)
            if (pattern[i] == ']') return i;
        return -1;
    }

    private static bool InClass(ReadOnlySpan<char> body, char c)
    {
        var negate = body.Length > 0 && body[0] is '!' or '^';
        if (negate) body = body[1..];
        var found = false;
        for (var i = 0; i < body.Length; i++)
        {
            var low = body[i];
            if (i + 2 < body.Length && body[i + 1] == '-')
            {
                if (c >= low && c <= body[i + 2]) found = true;
                i += 2;
            }
            else if (low == c)
            {
                found = true;
            }
        }
        return found != negate;
    }
}
