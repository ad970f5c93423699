using System.Globalization;
using Acf.Broker.Text;
using Acf.Web.Components.Renderer;

namespace Acf.Tests.Lossless;

/// <summary>
/// The second pass of the lossless property (issue 14): one small edit of one field, and what the diff between the
/// file before and after may hold. A field owns the lines that hold its value; an edit that changes "a" to "b" may
/// only turn lines holding "a" into the same lines with "b" (or add one line holding "b" where the value was a
/// default), in the file's own line ending, keeping its final newline: every other line, comment, order and byte stays.
/// </summary>
internal static partial class OneEdit
{
    /// <summary>One edit: the field's dotted name, the value shown and the value submitted.</summary>
    public sealed record Edit(string Field, string Old, string New)
    {
        public override string ToString() => $"{Field}: '{Old}' -> '{New}'";
    }

    /// <summary>
    /// The edits a form offers: every field the admin types a value into (text, integer, an item of a list) that holds
    /// a value, changed a little in a way its type still accepts (a digit counted up, an address's last octet moved, a
    /// word lengthened). Hidden, readonly, password, select, boolean, longtext (the expert editor's whole file) and
    /// values that are not UTF-8 are not typed into here.
    /// </summary>
    public static IEnumerable<Edit> EditsOf(CfeNode form) => EditsOf(form.Children, "", form.Readonly);

    private static IEnumerable<Edit> EditsOf(IEnumerable<CfeNode> nodes, string prefix, bool readonlyAbove)
    {
        foreach (var node in nodes)
        {
            var path = CfeIds.Path(prefix, node.Name);
            if (readonlyAbove || node.Readonly) continue;
            switch (node.Type)
            {
                case CfeTypes.Group or CfeTypes.Form:
                    foreach (var edit in EditsOf(node.Children, path, false)) yield return edit;
                    break;
                case CfeTypes.Text when node.Text is { Length: > 0 } text && !ByteText.HasRawBytes(text) && Changed(text) is { } changed:
                    yield return new Edit(path, text, changed);
                    break;
                case CfeTypes.Integer when long.TryParse(node.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number):
                    var next = node.Max is { } max && number + 1 > max ? number - 1 : number + 1;
                    if (node.Min is not { } min || next >= min)
                        yield return new Edit(path, node.Text!, next.ToString(CultureInfo.InvariantCulture));
                    break;
                case CfeTypes.List when node.Items is [var first, ..] && !ByteText.HasRawBytes(first) && Changed(first) is { } item:
                    yield return new Edit(path, first, item);
                    break;
            }
        }
    }

    /// <summary>Applies <paramref name="edit"/> to the form state as the admin's typing would.</summary>
    public static void Apply(CfeNode form, CfeFormState state, Edit edit)
    {
        var current = state.GetText(edit.Field) ?? "";
        if (Find(form.Children, "", edit.Field) is { Type: CfeTypes.List } list)
        {
            var items = list.Items.ToList();
            items[0] = edit.New;
            state.SetText(edit.Field, string.Join("\n", items));
        }
        else
        {
            Assert.Equal(edit.Old, current);
            state.SetText(edit.Field, edit.New);
        }
    }

    private static CfeNode? Find(IEnumerable<CfeNode> nodes, string prefix, string path)
    {
        foreach (var node in nodes)
        {
            var here = CfeIds.Path(prefix, node.Name);
            if (here == path) return node;
            if (path.StartsWith(here + ".", StringComparison.Ordinal) && Find(node.Children, here, path) is { } inner) return inner;
        }
        return null;
    }

    /// <summary>A value changed a little, keeping its shape; null when there is nothing to change safely.</summary>
    internal static string? Changed(string value)
    {
        if (value.Contains('\n') || value.Contains('\r')) return null;
        var ipv4 = LastOctet().Match(value);
        if (ipv4.Success)
        {
            var octet = int.Parse(ipv4.Groups[2].Value, CultureInfo.InvariantCulture);
            var moved = octet is 0 or 255 ? octet : octet == 254 ? 253 : octet + 1;
            if (moved != octet)
                return value[..ipv4.Groups[2].Index] + moved.ToString(CultureInfo.InvariantCulture) + value[(ipv4.Groups[2].Index + ipv4.Groups[2].Length)..];
        }
        var digit = LastDigit().Match(value);
        if (digit.Success && !value.Contains(':'))
        {
            var d = digit.Value[0] - '0';
            return value[..digit.Index] + (d == 9 ? '8' : (char)('0' + d + 1)) + value[(digit.Index + 1)..];
        }
        // A word lengthened where a name stands: a domain's or a path's first label, or a value that is one word.
        var word = NameLabel().Match(value);
        if (!word.Success && OneWord().IsMatch(value)) word = FirstWord().Match(value);
        return word.Success ? value[..(word.Index + word.Length)] + "x" + value[(word.Index + word.Length)..] : null;
    }

    /// <summary>
    /// Why the file after the edit is not the file before with only the edited field's lines changed, or null. The
    /// edit changed one token of the value (<see cref="Core"/>). Where the file holds that token, the field owns the
    /// lines holding it: only such lines may change, each into the same line with the token replaced (spacing inside
    /// the line may be normalised; words, comments and the line end may not change). Where the file does not hold it
    /// (the value was a default, or lives in another file of the form), the edit may only add one block of lines in
    /// the file's line ending: no existing line changes.
    /// </summary>
    public static string? Violation(byte[] before, byte[] after, Edit edit, Regex? formOwned = null)
    {
        var older = Text(before);
        var newer = Text(after);
        var diff = TextDiff.Lines(older, newer).Where(l => l.Kind == DiffLineKind.Same || formOwned?.IsMatch(l.Text) != true).ToList();
        var removed = diff.Where(l => l.Kind == DiffLineKind.Removed).ToList();
        var added = diff.Where(l => l.Kind == DiffLineKind.Added).ToList();
        var shown = string.Join("\n", diff.Where(l => l.Kind != DiffLineKind.Same)
            .Select(l => (l.Kind == DiffLineKind.Removed ? "-" : "+") + Escape(l.Text)));
        var lastOld = older.Split('\n').Length - (older.EndsWith('\n') ? 1 : 0);
        var lastTouched = removed.Any(l => l.Old == lastOld) || (diff.Count > 0 && diff[^1].Kind == DiffLineKind.Added);
        if (!lastTouched && older.EndsWith('\n') != newer.EndsWith('\n'))
            return $"the final newline changed ({before.Length} -> {after.Length} bytes)";
        if (removed.Count == 0 && added.Count == 0) return null;
        var (oldCore, newCore) = Core(edit.Old, edit.New);
        var owned = older.Split('\n').Any(line => Holds(line, oldCore));
        if (!owned)
        {
            if (removed.Count > 0) return $"the file did not hold '{oldCore}', yet line {removed[0].Old} was changed:\n{shown}";
            var block = added.Select(l => l.New!.Value).ToList();
            if (block[^1] - block[0] != block.Count - 1) return $"lines were added in more than one place:\n{shown}";
            return EndingViolation(older, added, shown);
        }
        if (removed.FirstOrDefault(l => !Holds(l.Text, oldCore)) is { } foreign)
            return $"line {foreign.Old} does not hold '{oldCore}' and was changed:\n{shown}";
        if (added.FirstOrDefault(l => !Holds(l.Text, newCore)) is { } stray)
            return $"new line {stray.New} does not hold '{newCore}':\n{shown}";
        // A value the file held only in a comment (sshd's "#Port 22") was a default: its edit adds the one line.
        if (removed.Count == 0 && added.Count == 1) return EndingViolation(older, added, shown);
        if (added.Count != removed.Count)
            return $"{removed.Count} line(s) holding '{oldCore}' became {added.Count}:\n{shown}";
        for (var i = 0; i < removed.Count; i++)
            if (!Replacements(removed[i].Text, oldCore, newCore).Any(r => SameLine(r, added[i].Text)))
                return $"line {removed[i].Old} was rewritten, not just its value:\n{shown}";
        return null;
    }

    /// <summary>New lines end as the file's lines do (unless the file mixes endings).</summary>
    private static string? EndingViolation(string older, List<DiffLine> added, string shown) =>
        !MixedEndings(older) && added.FirstOrDefault(l => l.Text.EndsWith('\r') != MostlyCrlf(older)) is { } ending
            ? $"new line {ending.New} does not end as the file's lines do:\n{shown}"
            : null;

    /// <summary>The file as text: UTF-8 when it is, else Latin-1 (every byte one character, nothing replaced).</summary>
    private static string Text(byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }

    /// <summary>The token the edit changed, before and after: the differing part widened to whole words.</summary>
    internal static (string Old, string New) Core(string old, string changed)
    {
        var prefix = 0;
        while (prefix < old.Length && prefix < changed.Length && old[prefix] == changed[prefix]) prefix++;
        var suffix = 0;
        while (suffix < old.Length - prefix && suffix < changed.Length - prefix && old[^(suffix + 1)] == changed[^(suffix + 1)]) suffix++;
        int start = prefix, oldEnd = old.Length - suffix, newEnd = changed.Length - suffix;
        while (start > 0 && !IsSeparator(old[start - 1])) start--;
        while (oldEnd < old.Length && !IsSeparator(old[oldEnd])) { oldEnd++; newEnd++; }
        return (old[start..oldEnd], changed[start..newEnd]);
    }

    private static bool IsSeparator(char c) => char.IsWhiteSpace(c) || "\"',={}:;[]()".Contains(c);

    private static string[] Tokens(string line) =>
        line.Split([' ', '\t', '\r', '"', '\'', ',', '=', '{', '}', ':', ';', '[', ']', '(', ')'], StringSplitOptions.RemoveEmptyEntries);

    private static bool Holds(string line, string token) => Tokens(line).Contains(token, StringComparer.OrdinalIgnoreCase);

    /// <summary>The line with one whole-token occurrence of the old token replaced by the new one, for each occurrence.</summary>
    private static IEnumerable<string> Replacements(string line, string old, string replacement)
    {
        for (var at = line.IndexOf(old, StringComparison.OrdinalIgnoreCase); at >= 0; at = line.IndexOf(old, at + 1, StringComparison.OrdinalIgnoreCase))
            if ((at == 0 || IsSeparator(line[at - 1])) && (at + old.Length == line.Length || IsSeparator(line[at + old.Length])))
                yield return line[..at] + replacement + line[(at + old.Length)..];
    }

    /// <summary>The same line, spacing inside it aside (a tab made a space); its line end must be the same.</summary>
    private static bool SameLine(string expected, string actual) =>
        expected.EndsWith('\r') == actual.EndsWith('\r')
        && string.Equals(Spaces().Replace(expected.Trim(), " "), Spaces().Replace(actual.Trim(), " "), StringComparison.OrdinalIgnoreCase);

    private static bool MixedEndings(string text)
    {
        var lines = text.Split('\n')[..^1];
        return lines.Any(l => l.EndsWith('\r')) && lines.Any(l => !l.EndsWith('\r'));
    }

    private static bool MostlyCrlf(string text)
    {
        var lines = text.Split('\n');
        return lines.Count(l => l.EndsWith('\r')) * 2 > lines.Length - 1;
    }

    internal static string Escape(string line) => line.Replace("\r", "\\r").Replace("\t", "\\t");

    [GeneratedRegex(@"\b(\d{1,3}\.\d{1,3}\.\d{1,3}\.)(\d{1,3})\b")]
    private static partial Regex LastOctet();

    [GeneratedRegex(@"\d(?=\D*$)")]
    private static partial Regex LastDigit();

    [GeneratedRegex(@"[A-Za-z]+")]
    private static partial Regex FirstWord();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"(?<=^|[\s/])[A-Za-z][A-Za-z0-9-]*(?=\.[A-Za-z])|(?<=/)[A-Za-z][A-Za-z0-9_-]*")]
    private static partial Regex NameLabel();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_-]*$")]
    private static partial Regex OneWord();
}
