namespace Acf.Web.Auth;

/// <summary>One user's second factor: the TOTP secret (base32) and the hashes of the recovery codes not yet used.</summary>
public sealed record OtpEntry(string User, string Secret, IReadOnlyList<string> RecoveryHashes);

/// <summary>
/// Acf's <c>/etc/acf/otp</c>, beside ACF's passwd (which keeps its format): one line per user,
/// <c>user:totp:BASE32SECRET:hash,hash,...</c> (recovery codes as <c>$6$</c> hashes, each removed once used).
/// The second field names the kind, so other kinds can follow. Comments and lines it does not read are kept.
/// The broker writes it with mode 0600 and keeps no copies of it in history.
/// </summary>
public sealed class OtpFile
{
    public const string TotpKind = "totp";
    private const string Header = "# Acf second factor: user:totp:base32 secret:recovery code hashes (mode 0600; do not share)";

    private readonly List<(string Text, OtpEntry? Entry)> _lines;

    private OtpFile(List<(string, OtpEntry?)> lines) => _lines = lines;

    public static OtpFile Parse(string text)
    {
        var parts = text.Split('\n');
        var lines = parts.Take(parts[^1].Length == 0 ? parts.Length - 1 : parts.Length).Select(ParseLine).ToList();
        return new OtpFile(lines);
    }

    public OtpEntry? Find(string user) => _lines.FirstOrDefault(l => l.Entry?.User == user).Entry;

    public IEnumerable<string> Users => _lines.Where(l => l.Entry is not null).Select(l => l.Entry!.User).Distinct(StringComparer.Ordinal);

    public void Set(OtpEntry entry)
    {
        if (PasswdFile.ValidateUserName(entry.User) is { } error) throw new ArgumentException(error, nameof(entry));
        if (Totp.Decode(entry.Secret) is null) throw new ArgumentException("The secret is not base32.", nameof(entry));
        if (entry.RecoveryHashes.Any(h => h.Length == 0 || h.Any(c => c is ':' or ',' || char.IsControl(c))))
            throw new ArgumentException("A recovery hash holds ':' or ','.", nameof(entry));
        var line = ($"{entry.User}:{TotpKind}:{entry.Secret}:{string.Join(',', entry.RecoveryHashes)}", (OtpEntry?)entry);
        var index = _lines.FindIndex(l => l.Entry?.User == entry.User);
        if (index < 0)
        {
            if (_lines.Count == 0) _lines.Add((Header, null));
            _lines.Add(line);
            return;
        }
        _lines[index] = line;
        _lines.RemoveAll(l => l.Entry?.User == entry.User && !ReferenceEquals(l.Entry, entry));
    }

    public bool Remove(string user) => _lines.RemoveAll(l => l.Entry?.User == user) > 0;

    public string ToText() => _lines.Count == 0 ? "" : string.Join('\n', _lines.Select(l => l.Text)) + "\n";

    private static (string, OtpEntry?) ParseLine(string text)
    {
        var fields = text.Split(':');
        if (text.StartsWith('#') || fields.Length != 4 || fields[1] != TotpKind || fields[0].Length == 0 || fields[2].Length == 0)
            return (text, null);
        return (text, new OtpEntry(fields[0], fields[2], fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries)));
    }
}
