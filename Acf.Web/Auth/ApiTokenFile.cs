using System.Text.RegularExpressions;

namespace Acf.Web.Auth;

/// <summary>One API token as stored: never the secret, only its SHA-256.</summary>
public sealed record ApiToken(string Id, string User, string SecretHash, DateTimeOffset Created, DateTimeOffset Expires,
    IReadOnlyList<string> Roles, string Name)
{
    public bool IsExpired(DateTimeOffset now) => now >= Expires;
}

/// <summary>
/// <c>/etc/acf/api-tokens</c>, one token a line in the style of ACF's passwd:
/// <c>id:user:sha256-hex:created:expires:ROLE1,ROLE2:name</c> (times in Unix seconds). Comments and lines it does
/// not understand are kept as they are.
/// </summary>
public sealed partial class ApiTokenFile
{
    private readonly List<object> _lines = []; // ApiToken or the raw text of a line kept as is

    public IEnumerable<ApiToken> Tokens => _lines.OfType<ApiToken>();

    public static ApiTokenFile Parse(string text)
    {
        var file = new ApiTokenFile();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0) continue;
            file._lines.Add(ParseLine(line) is { } token ? token : line);
        }
        return file;
    }

    public ApiToken? Find(string id) => Tokens.FirstOrDefault(t => t.Id == id);

    public void Add(ApiToken token) => _lines.Add(token);

    public bool Remove(string id) => _lines.RemoveAll(l => l is ApiToken t && t.Id == id) > 0;

    public string ToText()
    {
        var text = new StringBuilder();
        foreach (var line in _lines)
            text.Append(line is ApiToken t ? Format(t) : (string)line).Append('\n');
        return text.ToString();
    }

    /// <summary>A token's name: letters, digits, spaces and <c>. _ -</c> (nothing that could break the line format).</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    private static string Format(ApiToken t) => string.Join(':', t.Id, t.User, t.SecretHash,
        t.Created.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        t.Expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), string.Join(',', t.Roles), t.Name);

    private static ApiToken? ParseLine(string line)
    {
        var parts = line.Split(':', 7);
        if (parts.Length != 7 || !IdPattern().IsMatch(parts[0]) || parts[1].Length == 0 || !HashPattern().IsMatch(parts[2])
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var created)
            || !long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
            return null;
        var roles = parts[5].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new ApiToken(parts[0], parts[1], parts[2], DateTimeOffset.FromUnixTimeSeconds(created),
            DateTimeOffset.FromUnixTimeSeconds(expires), roles, parts[6]);
    }

    [GeneratedRegex(@"^[0-9a-f]{16}\z")]
    internal static partial Regex IdPattern();

    [GeneratedRegex(@"^[0-9a-f]{64}\z")]
    private static partial Regex HashPattern();

    [GeneratedRegex(@"^[A-Za-z0-9 ._-]{1,64}\z")]
    private static partial Regex NamePattern();
}
