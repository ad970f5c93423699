namespace Acf.Broker.Lbu;

/// <summary>
/// <c>/etc/lbu/lbu.conf</c>'s variables. lbu sets <c>DEFAULT_CIPHER=aes-256-cbc</c> and then sources the file as
/// shell, so a value may be quoted or refer to an earlier variable (<c>ENCRYPTION=$DEFAULT_CIPHER</c>).
/// <c>PASSWORD</c> is read too (lbu takes the encryption password from it) but never leaves this class except to
/// decrypt or encrypt.
/// </summary>
internal sealed class LbuSettings(IReadOnlyDictionary<string, string> values)
{
    public const string DefaultCipher = "aes-256-cbc";

    public IReadOnlyDictionary<string, string> Values { get; } = values;

    public string Media => Get("LBU_MEDIA");

    public string BackupDir => Get("LBU_BACKUPDIR");

    public int? BackupLimit => int.TryParse(Get("BACKUP_LIMIT"), out var limit) && limit >= 0 ? limit : null;

    /// <summary>ENCRYPTION: the cipher to encrypt with by default, empty when commits are plain.</summary>
    public string Encryption => Get("ENCRYPTION");

    /// <summary>The cipher <c>-e</c> (a commit with a password) uses when ENCRYPTION is not set.</summary>
    public string CipherForPassword => Encryption.Length > 0 ? Encryption : Get("DEFAULT_CIPHER") is { Length: > 0 } c ? c : DefaultCipher;

    public string? Password => Get("PASSWORD") is { Length: > 0 } p ? p : null;

    public LbuConfig ToConfig() => new(Media, BackupDir, BackupLimit, Encryption.Length > 0, CipherForPassword);

    private string Get(string key) => Values.TryGetValue(key, out var value) ? value : "";
}

/// <summary>Reads lbu.conf the way the shell assigns variables; lines that are not assignments are skipped.</summary>
internal static class LbuConfFile
{
    public const string Path = "/etc/lbu/lbu.conf";

    public static LbuSettings Load(string root)
    {
        var file = RootedPath.Resolve(root, Path).HostPath;
        return Parse(File.Exists(file) ? File.ReadAllText(file) : "");
    }

    public static LbuSettings Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["DEFAULT_CIPHER"] = LbuSettings.DefaultCipher };
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r').TrimStart(' ', '\t');
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line[7..].TrimStart(' ', '\t');
            var equals = line.IndexOf('=');
            if (equals <= 0 || !IsName(line.AsSpan(0, equals))) continue;
            if (ReadWord(line, equals + 1, values) is { } value) values[line[..equals]] = value;
        }
        return new LbuSettings(values);
    }

    private static bool IsName(ReadOnlySpan<char> name) =>
        !char.IsAsciiDigit(name[0]) && !name.ContainsAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

    /// <summary>The shell word at <paramref name="start"/>: quotes removed, <c>\</c> escapes and <c>$VAR</c> /
    /// <c>${VAR}</c> expanded outside single quotes; it ends at unquoted blank. Null when a quote is left open.</summary>
    private static string? ReadWord(string line, int start, Dictionary<string, string> values)
    {
        var word = new StringBuilder();
        var i = start;
        while (i < line.Length && line[i] is not (' ' or '\t' or ';'))
        {
            var c = line[i];
            if (c == '\'')
            {
                var close = line.IndexOf('\'', i + 1);
                if (close < 0) return null;
                word.Append(line, i + 1, close - i - 1);
                i = close + 1;
            }
            else if (c == '"')
            {
                i++;
                while (i < line.Length && line[i] != '"')
                {
                    if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '$' or '`' or '"' or '\\')
                    {
                        word.Append(line[i + 1]);
                        i += 2;
                    }
                    else if (line[i] == '$')
                    {
                        i = Expand(line, i, word, values);
                    }
                    else
                    {
                        word.Append(line[i++]);
                    }
                }
                if (i >= line.Length) return null;
                i++;
            }
            else if (c == '\\' && i + 1 < line.Length)
            {
                word.Append(line[i + 1]);
                i += 2;
            }
            else if (c == '$')
            {
                i = Expand(line, i, word, values);
            }
            else
            {
                word.Append(c);
                i++;
            }
        }
        return word.ToString();
    }

    /// <summary>Appends the value of <c>$NAME</c> or <c>${NAME}</c> at <paramref name="i"/>; returns the index after it.</summary>
    private static int Expand(string line, int i, StringBuilder word, Dictionary<string, string> values)
    {
        var braced = i + 1 < line.Length && line[i + 1] == '{';
        var start = i + (braced ? 2 : 1);
        var end = start;
        while (end < line.Length && (char.IsAsciiLetterOrDigit(line[end]) || line[end] == '_')) end++;
        if (end == start || (braced && (end >= line.Length || line[end] != '}')))
        {
            word.Append('$'); // not a variable reference: the shell keeps the dollar sign
            return i + 1;
        }
        word.Append(values.TryGetValue(line[start..end], out var value) ? value : "");
        return braced ? end + 1 : end;
    }
}
