namespace Acf.Modules.Roles;

/// <summary>One role line of ACF's <c>/etc/acf/roles</c>.</summary>
/// <param name="Name">The role name (the text before the first <c>:</c> or <c>=</c>).</param>
/// <param name="Permissions">The permissions as written, in file order (<c>/prefix/controller/action</c>).</param>
public sealed record RoleEntry(string Name, IReadOnlyList<string> Permissions);

/// <summary>
/// ACF's <c>/etc/acf/roles</c>: one line per role, <c>ROLE:/prefix/controller/action,/prefix/controller/action</c>
/// (ACF writes <c>:</c>, reads <c>:</c> or <c>=</c>, and takes the last three path words of each permission, so
/// <c>prefix/controller/action</c> without the leading slash works too). A line for a built-in role (EDITOR) adds to
/// it, as in ACF. Read and written losslessly: comments, blank and unreadable lines, the separator of each line and
/// its permissions stay as they were; only a line whose permissions change is rewritten.
/// </summary>
public sealed class RolesFile
{
    /// <summary>The longest role name accepted for a new role.</summary>
    public const int MaxNameLength = 32;

    private readonly NamedLineFile<Line> _file;

    private RolesFile(NamedLineFile<Line> file) => _file = file;

    /// <summary>The role lines in file order; a name defined twice counts with its first line, as ACF reads it.</summary>
    public IReadOnlyList<RoleEntry> Roles =>
        _file.Entries.Select(l => l.Role!).DistinctBy(r => r.Name, StringComparer.Ordinal).ToList();

    /// <summary>Parses the text of a roles file; never fails, because lines it cannot read are kept as they are.</summary>
    /// <param name="text">The file's content.</param>
    public static RolesFile Parse(string text) => new(NamedLineFile<Line>.Parse(text, ParseLine));

    /// <summary>The role of that name, or null.</summary>
    public RoleEntry? Find(string name) => _file.Find(name)?.Role;

    /// <summary>
    /// Sets a role's permissions: its line is rewritten in place (keeping its separator and line ending), or a line
    /// is appended for a new role. Later lines of the same name are removed, so the file holds one definition.
    /// </summary>
    /// <exception cref="ArgumentException">The name or a permission would not read back as written.</exception>
    public void Set(string name, IReadOnlyList<string> permissions)
    {
        if (ValidateName(name) is { } error) throw new ArgumentException(error, nameof(name));
        foreach (var permission in permissions)
            if (Parts(permission) is null) throw new ArgumentException($"'{permission}' is not a prefix/controller/action permission.", nameof(permissions));
        var role = new RoleEntry(name, permissions.ToArray());
        _file.Set(name, old =>
        {
            var (separator, carriageReturn) = old is null ? (':', false) : (old.Separator, old.CarriageReturn);
            return new Line(Format(role, separator, carriageReturn), role, separator, carriageReturn);
        });
    }

    /// <summary>Removes every line of the role; true when there was one.</summary>
    public bool Remove(string name) => _file.Remove(name);

    /// <summary>The file's text; an unchanged file comes back byte for byte.</summary>
    public string ToText() => _file.ToText();

    /// <summary>
    /// The <c>prefix/controller/action</c> a permission names (ACF's parse_path_info: the last three words of the
    /// path), or null when it has fewer than three words or a word that is not a module, controller or action name.
    /// </summary>
    public static string? Normalize(string permission) => Parts(permission) is { } p ? $"{p.Prefix}/{p.Controller}/{p.Action}" : null;

    /// <summary>A permission as ACF writes it: <c>/prefix/controller/action</c>.</summary>
    public static string Permission(string prefix, string controllerAction) => $"/{prefix}/{controllerAction}";

    /// <summary>Null when the name is acceptable for a role (the characters /etc/acf/passwd takes for roles).</summary>
    public static string? ValidateName(string name) =>
        string.IsNullOrEmpty(name) || name.Length > MaxNameLength
            ? $"A role name has 1 to {MaxNameLength} characters."
            : name.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_')
                ? null
                : "A role name may contain only A-Z, 0-9 and '_'.";

    private static (string Prefix, string Controller, string Action)? Parts(string permission)
    {
        var words = permission.Trim().Split('/', StringSplitOptions.RemoveEmptyEntries);
        // Every word must be a name: a ',' or ':' inside would read back as other permissions or another role.
        if (words.Length < 3 || !words.All(IsWord)) return null;
        var (prefix, controller, action) = (words[^3], words[^2], words[^1]);
        return (prefix, controller, action);
    }

    private static bool IsWord(string word) =>
        word.Length is > 0 and <= 64 && word.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-');

    private static Line ParseLine(string text)
    {
        var carriageReturn = text.EndsWith('\r');
        var content = carriageReturn ? text[..^1] : text;
        var cut = content.IndexOfAny([':', '=']);
        if (content.TrimStart().StartsWith('#') || cut <= 0) return new Line(text, null, ':', carriageReturn);
        var name = content[..cut];
        var permissions = content[(cut + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new Line(text, new RoleEntry(name, permissions), content[cut], carriageReturn);
    }

    private static string Format(RoleEntry role, char separator, bool carriageReturn) =>
        role.Name + separator + string.Join(',', role.Permissions) + (carriageReturn ? "\r" : "");

    private sealed record Line(string Text, RoleEntry? Role, char Separator, bool CarriageReturn) : INamedLine
    {
        public string? Name => Role?.Name;
    }
}
