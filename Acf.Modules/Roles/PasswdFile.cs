namespace Acf.Modules.Roles;

/// <summary>One user of ACF's <c>/etc/acf/passwd</c>.</summary>
/// <param name="Name">The login name, compared ordinally and case-sensitively as ACF does.</param>
/// <param name="PasswordHash">The crypt hash, normally <c>$6$...</c>.</param>
/// <param name="RealName">The display name.</param>
/// <param name="Roles">Role names such as ADMIN or EDITOR.</param>
/// <param name="Skin">ACF's skin field; empty when absent.</param>
/// <param name="Home">ACF's home page field; empty when absent.</param>
public sealed record AcfUser(string Name, string PasswordHash, string RealName, IReadOnlyList<string> Roles, string Skin, string Home);

/// <summary>
/// ACF's <c>/etc/acf/passwd</c> (<c>user:hash:Real Name:ROLE1,ROLE2:skin:home</c>, the last two fields optional),
/// read and written losslessly: comments, blank lines and lines this class does not understand stay verbatim and in
/// place, so that saving one user never rewrites what an admin wrote by hand.
/// </summary>
public sealed class PasswdFile
{
    private const int MinFields = 4;
    private const int MaxFields = 6;
    private const int MaxUserNameLength = 32;

    private readonly NamedLineFile<Line> _file;

    private PasswdFile(NamedLineFile<Line> file) => _file = file;

    /// <summary>
    /// The users in file order. When a name appears on several lines, each is listed; <see cref="Find"/> returns the
    /// first, which is the one that counts.
    /// </summary>
    public IReadOnlyList<AcfUser> Users => _file.Entries.Select(l => l.User!).ToList();

    /// <summary>Parses the text of a passwd file; never fails, because lines it cannot read are kept as they are.</summary>
    /// <param name="text">The file's content, lines separated by <c>\n</c>.</param>
    public static PasswdFile Parse(string text) => new(NamedLineFile<Line>.Parse(text, ParseLine));

    /// <summary>Checks a user name for a new or renamed user.</summary>
    /// <param name="name">The proposed name.</param>
    /// <returns>
    /// Null when the name is acceptable, otherwise an English message meant as the key for
    /// <c>IStringLocalizer</c>.
    /// </returns>
    public static string? ValidateUserName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxUserNameLength)
        {
            return Translatable.Text("The user name must be 1 to 32 characters long.");
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return Translatable.Text("The user name may contain only letters, digits, '.', '_' and '-'.");
            }
        }

        // A leading '-' would be read as an option by any command the name is ever handed to.
        return name[0] == '-' ? Translatable.Text("The user name must not start with '-'.") : null;
    }

    /// <summary>Finds a user by name (ordinal, case-sensitive).</summary>
    /// <param name="name">The login name.</param>
    /// <returns>The first user with that name, or null.</returns>
    public AcfUser? Find(string name) => _file.Find(name)?.User;

    /// <summary>
    /// Replaces the user's line in place, or appends a line when the user is new. Later lines with the same name
    /// are removed, so that the file holds one definition of the user.
    /// </summary>
    /// <param name="user">The user to write.</param>
    /// <exception cref="ArgumentException">
    /// A field holds <c>:</c>, a line break or another control character, the name is invalid, or a role name is not
    /// made of <c>A-Z</c>, <c>0-9</c> and <c>_</c>.
    /// </exception>
    public void Upsert(AcfUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        Validate(user);

        _file.Set(user.Name, old => FormatLine(user, old?.FieldCount ?? 0, old?.CarriageReturn ?? false));
    }

    /// <summary>Removes every line of the named user.</summary>
    /// <param name="name">The login name.</param>
    /// <returns>True when a line was removed.</returns>
    public bool Remove(string name) => _file.Remove(name);

    /// <summary>Returns the file's text; unchanged files come back byte for byte as they were read.</summary>
    public string ToText() => _file.ToText();

    private static Line ParseLine(string text)
    {
        // A CRLF file from another system still parses; the '\r' is kept so unchanged lines stay byte-identical.
        var carriageReturn = text.EndsWith('\r');
        var content = carriageReturn ? text[..^1] : text;
        var trimmed = content.TrimStart();
        if (trimmed.Length == 0 || trimmed[0] == '#')
        {
            return new Line(text, null, 0, carriageReturn);
        }

        var fields = content.Split(':');
        if (fields.Length is < MinFields or > MaxFields || fields[0].Length == 0)
        {
            return new Line(text, null, 0, carriageReturn);
        }

        var user = new AcfUser(
            fields[0],
            fields[1],
            fields[2],
            SplitRoles(fields[3]),
            fields.Length > 4 ? fields[4] : string.Empty,
            fields.Length > 5 ? fields[5] : string.Empty);
        return new Line(text, user, fields.Length, carriageReturn);
    }

    private static IReadOnlyList<string> SplitRoles(string roles) =>
        Array.AsReadOnly(roles.Split(',', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// Writes a user line with as many fields as needed, and never fewer than the line it replaces had, so that
    /// an admin's empty trailing fields survive an edit.
    /// </summary>
    private static Line FormatLine(AcfUser user, int fieldCount, bool carriageReturn)
    {
        var needed = user.Home.Length > 0 ? 6 : user.Skin.Length > 0 ? 5 : MinFields;
        var count = Math.Max(needed, fieldCount);
        var fields = new[] { user.Name, user.PasswordHash, user.RealName, string.Join(',', user.Roles), user.Skin, user.Home };
        var content = string.Join(':', fields.Take(count));
        // A private copy, so that a caller changing its list later cannot change what Find returns.
        var stored = user with { Roles = Array.AsReadOnly(user.Roles.ToArray()) };
        return new Line(carriageReturn ? content + "\r" : content, stored, count, carriageReturn);
    }

    private static void Validate(AcfUser user)
    {
        var nameError = ValidateUserName(user.Name);
        if (nameError is not null)
        {
            throw new ArgumentException(nameError, nameof(user));
        }

        CheckField(user.PasswordHash, "password hash");
        CheckField(user.RealName, "real name");
        CheckField(user.Skin, "skin");
        CheckField(user.Home, "home");
        ArgumentNullException.ThrowIfNull(user.Roles, nameof(user));
        foreach (var role in user.Roles)
        {
            // Roles are joined with ',' and matched against /etc/acf/roles, so anything else would either split
            // into other roles or never match.
            if (string.IsNullOrEmpty(role) || !role.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                throw new ArgumentException($"The role name '{role}' may contain only A-Z, 0-9 and '_'.", nameof(user));
            }
        }
    }

    private static void CheckField(string value, string what)
    {
        ArgumentNullException.ThrowIfNull(value, what);
        // ':' would shift every following field and a line break would inject a whole user line.
        if (value.Any(c => c == ':' || char.IsControl(c)))
        {
            throw new ArgumentException($"The {what} must not contain ':' or control characters.", "user");
        }
    }

    /// <param name="Text">The line exactly as in the file, without its '\n'.</param>
    /// <param name="User">The user on this line, or null for comments, blank and unreadable lines.</param>
    /// <param name="FieldCount">How many ':'-separated fields the line has (user lines only).</param>
    /// <param name="CarriageReturn">Whether the line ends in '\r'.</param>
    private sealed record Line(string Text, AcfUser? User, int FieldCount, bool CarriageReturn) : INamedLine
    {
        public string? Name => User?.Name;
    }
}
