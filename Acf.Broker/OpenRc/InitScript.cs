using System.Text.RegularExpressions;

namespace Acf.Broker.OpenRc;

/// <summary>
/// What Acf reads from an <c>openrc-run</c> script (<c>/etc/init.d/&lt;name&gt;</c>): its description, the extra
/// commands it offers (<c>extra_commands</c>, <c>extra_started_commands</c> that need the service started,
/// <c>extra_stopped_commands</c> that need it stopped; the old <c>opts</c> stands in for <c>extra_commands</c> as
/// openrc-run.sh does), the display <c>name</c> and the <c>supervisor</c>. Values are taken as written: variables
/// are not expanded, since the script is never run.
/// </summary>
public sealed partial record InitScript(
    string? Description,
    IReadOnlyList<string> ExtraCommands,
    IReadOnlyList<string> ExtraStartedCommands,
    IReadOnlyList<string> ExtraStoppedCommands,
    string? Name,
    string? Supervisor)
{
    public static readonly InitScript Empty = new(null, [], [], [], null, null);

    /// <summary>Every extra command, in the order the script lists them.</summary>
    public IReadOnlyList<string> AllExtraCommands =>
        ExtraCommands.Concat(ExtraStartedCommands).Concat(ExtraStoppedCommands).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Reads the top-level assignments (outside functions: <c>depend() { ... }</c> and the like) of the variables
    /// OpenRC itself reads; the last assignment wins, as in the shell. Quoted values may span lines.
    /// </summary>
    public static InitScript Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var depth = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (depth == 0 && Assignment().Match(line) is { Success: true } match)
            {
                var rest = match.Groups["value"].Value;
                // A quoted value that does not close on this line goes on over the next lines.
                while (Unclosed(rest) && i + 1 < lines.Length) rest += "\n" + lines[++i];
                values[match.Groups["name"].Value] = Value(rest);
                continue;
            }
            depth = Math.Max(0, depth + BraceBalance(line));
        }

        return new InitScript(
            NonEmpty(values.GetValueOrDefault("description")),
            Words(values.GetValueOrDefault("extra_commands") ?? values.GetValueOrDefault("opts")),
            Words(values.GetValueOrDefault("extra_started_commands")),
            Words(values.GetValueOrDefault("extra_stopped_commands")),
            NonEmpty(values.GetValueOrDefault("name")),
            NonEmpty(values.GetValueOrDefault("supervisor")));
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static IReadOnlyList<string> Words(string? value) =>
        value is null ? [] : value.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The shell word at the start of <paramref name="text"/>: quotes removed, backslash escapes resolved.</summary>
    private static string Value(string text)
    {
        var value = new StringBuilder();
        var quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\'')
            {
                if (c == '\'') quote = '\0';
                else value.Append(c);
            }
            else if (quote == '"')
            {
                if (c == '"') quote = '\0';
                else if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`') value.Append(text[++i]);
                else value.Append(c);
            }
            else if (c is '"' or '\'') quote = c;
            else if (c == '\\' && i + 1 < text.Length) value.Append(text[++i]);
            else if (char.IsWhiteSpace(c) || c is ';' or '#') break;
            else value.Append(c);
        }
        return value.ToString();
    }

    private static bool Unclosed(string text)
    {
        var quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\0')
            {
                if (c is '"' or '\'') quote = c;
                else if (c == '\\') i++;
                else if (c == '#' || char.IsWhiteSpace(c) || c == ';') return false;
            }
            else if (c == quote) quote = '\0';
            else if (quote == '"' && c == '\\') i++;
        }
        return quote != '\0';
    }

    /// <summary>Opening minus closing braces outside quotes and comments (<c>${x}</c> counts as both).</summary>
    private static int BraceBalance(string line)
    {
        var balance = 0;
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else if (quote == '"' && c == '\\') i++;
                continue;
            }
            switch (c)
            {
                case '\\': i++; break;
                case '"' or '\'': quote = c; break;
                case '#' when i == 0 || char.IsWhiteSpace(line[i - 1]): return balance;
                case '{': balance++; break;
                case '}': balance--; break;
            }
        }
        return balance;
    }

    [GeneratedRegex(@"^[ \t]*(?:export[ \t]+)?(?<name>description|extra_commands|extra_started_commands|extra_stopped_commands|opts|name|supervisor)=(?<value>.*)$")]
    private static partial Regex Assignment();
}
