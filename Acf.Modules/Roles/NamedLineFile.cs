namespace Acf.Modules.Roles;

/// <summary>
/// One line of a <see cref="NamedLineFile{TLine}"/>: its text as read or written (a CRLF file's <c>\r</c> kept), and
/// the name of the entry it defines, or null for a comment, a blank or an unreadable line.
/// </summary>
internal interface INamedLine
{
    string Text { get; }

    string? Name { get; }
}

/// <summary>
/// The lines of a file of one named entry a line (ACF's <c>/etc/acf/passwd</c> and <c>/etc/acf/roles</c>), kept
/// losslessly: every line as it was read, in order, and whether the file ended with a newline, so that an unchanged
/// file comes back byte for byte and a change rewrites only the line of the entry it changes. A name defined on
/// several lines counts with its first, as ACF reads it.
/// </summary>
internal sealed class NamedLineFile<TLine> where TLine : class, INamedLine
{
    private readonly List<TLine> _lines;
    private readonly bool _finalNewline;

    private NamedLineFile(List<TLine> lines, bool finalNewline)
    {
        _lines = lines;
        _finalNewline = finalNewline;
    }

    /// <summary>The lines that define an entry, in file order.</summary>
    public IEnumerable<TLine> Entries => _lines.Where(l => l.Name is not null);

    /// <summary>Splits a file's text into its lines; never fails: <paramref name="parseLine"/> keeps what it cannot read.</summary>
    public static NamedLineFile<TLine> Parse(string text, Func<string, TLine> parseLine)
    {
        ArgumentNullException.ThrowIfNull(text);
        // A new file gets the usual final newline once an entry is added.
        if (text.Length == 0) return new NamedLineFile<TLine>([], finalNewline: true);
        var parts = text.Split('\n');
        var finalNewline = parts[^1].Length == 0;
        var lines = parts.Take(finalNewline ? parts.Length - 1 : parts.Length).Select(parseLine).ToList();
        return new NamedLineFile<TLine>(lines, finalNewline);
    }

    /// <summary>The first line of the name (ordinal, case-sensitive), or null.</summary>
    public TLine? Find(string name) => _lines.FirstOrDefault(l => Defines(l, name));

    /// <summary>
    /// Replaces the first line of the name in place with <paramref name="format"/>(that line), or appends
    /// <paramref name="format"/>(null) when there is none. Later lines of the name are removed, so that the file holds
    /// one definition.
    /// </summary>
    public void Set(string name, Func<TLine?, TLine> format)
    {
        var index = _lines.FindIndex(l => Defines(l, name));
        if (index < 0)
        {
            _lines.Add(format(null));
            return;
        }

        var replacement = format(_lines[index]);
        _lines[index] = replacement;
        _lines.RemoveAll(l => !ReferenceEquals(l, replacement) && Defines(l, name));
    }

    /// <summary>Removes every line of the name; true when there was one.</summary>
    public bool Remove(string name) => _lines.RemoveAll(l => Defines(l, name)) > 0;

    /// <summary>The file's text; an unchanged file comes back byte for byte as it was read.</summary>
    public string ToText()
    {
        var text = string.Join('\n', _lines.Select(l => l.Text));
        return _finalNewline && _lines.Count > 0 ? text + "\n" : text;
    }

    private static bool Defines(TLine line, string name) => line.Name is { } own && own == name;
}
