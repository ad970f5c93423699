namespace Acf.Broker.Crypto;

/// <summary>One secret value of a file: the line's key (lower case), the value's bytes, and the public key it
/// derives when it is a Curve25519 private key ("" otherwise).</summary>
public sealed record SecretValue(string Key, byte[] Value, string PublicKey);

/// <summary>
/// The secret lines of a file the manifest declares <c>secret</c> (WireGuard's <c>/etc/wireguard/*.conf</c>):
/// <c>PrivateKey = ...</c> and <c>PresharedKey = ...</c>, the key in any case, as wg's parser reads them (the value ends
/// at a <c>#</c>, trailing blanks excluded). A module reads such a file with every secret value replaced by a token
/// <c>{secret:N}</c> (N counts them from 1 in file order) and writes it back with tokens: the broker puts the file's
/// own values back, so the key never passes through the module's Lua and an unchanged save writes the same bytes.
/// </summary>
public static class SecretLines
{
    public const string TokenPrefix = "{secret:";

    private static readonly string[] Keys = ["privatekey", "presharedkey"];

    public static string Token(int number) => TokenPrefix + number + "}";

    /// <summary>Each secret line's value range: (line's key, start, length) in file order.</summary>
    private static List<(string Key, int Start, int Length)> Find(ReadOnlySpan<byte> bytes)
    {
        var found = new List<(string, int, int)>();
        var lineStart = 0;
        while (lineStart < bytes.Length)
        {
            var end = bytes[lineStart..].IndexOf((byte)'\n');
            var lineEnd = end < 0 ? bytes.Length : lineStart + end;
            if (Value(bytes[lineStart..lineEnd]) is { } value) found.Add((value.Key, lineStart + value.Start, value.Length));
            lineStart = lineEnd + 1;
        }
        return found;
    }

    /// <summary>A line's secret key and its value's place in the line, or null for any other line.</summary>
    private static (string Key, int Start, int Length)? Value(ReadOnlySpan<byte> line)
    {
        var i = 0;
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t') i++;
        var keyStart = i;
        while (i < line.Length && char.IsAsciiLetterOrDigit((char)line[i])) i++;
        var key = Encoding.ASCII.GetString(line[keyStart..i]).ToLowerInvariant();
        if (!Keys.Contains(key)) return null;
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t') i++;
        if (i >= line.Length || line[i] != (byte)'=') return null;
        i++;
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t') i++;
        var start = i;
        var stop = line[start..].IndexOf((byte)'#') is var hash and >= 0 ? start + hash : line.Length;
        while (stop > start && line[stop - 1] is (byte)' ' or (byte)'\t' or (byte)'\r') stop--;
        return stop > start ? (key, start, stop - start) : null;
    }

    /// <summary>The file's secret values, in file order (token N is the N-th).</summary>
    public static IReadOnlyList<SecretValue> Values(byte[] bytes) =>
        Find(bytes).Select(v =>
        {
            var value = bytes.AsSpan(v.Start, v.Length).ToArray();
            var publicKey = v.Key == "privatekey" && Curve25519Keys.PublicKeyOf(Encoding.ASCII.GetString(value)) is { } p ? p : "";
            return new SecretValue(v.Key, value, publicKey);
        }).ToList();

    /// <summary>The file with each secret value replaced by its token, and the public key of each private key's token.</summary>
    public static (byte[] Redacted, IReadOnlyDictionary<string, string> PublicKeys) Redact(byte[] bytes)
    {
        var found = Find(bytes);
        if (found.Count == 0) return (bytes, new Dictionary<string, string>());
        var publicKeys = new Dictionary<string, string>(StringComparer.Ordinal);
        using var output = new MemoryStream(bytes.Length);
        var at = 0;
        for (var n = 0; n < found.Count; n++)
        {
            var (key, start, length) = found[n];
            output.Write(bytes, at, start - at);
            output.Write(Encoding.ASCII.GetBytes(Token(n + 1)));
            if (key == "privatekey" && Curve25519Keys.PublicKeyOf(Encoding.ASCII.GetString(bytes, start, length)) is { } publicKey)
                publicKeys[Token(n + 1)] = publicKey;
            at = start + length;
        }
        output.Write(bytes, at, bytes.Length - at);
        return (output.ToArray(), publicKeys);
    }

    /// <summary>
    /// The candidate with each token put back to <paramref name="current"/>'s value (the file as it is now, its tag
    /// checked by the caller). A token must be the whole value of a secret line of the same key as the value it
    /// names (a private key never becomes a preshared key, nor any other line's value); the error says why not.
    /// A candidate without tokens is returned as it is.
    /// </summary>
    public static byte[]? Restore(byte[] candidate, byte[]? current, out string? error)
    {
        error = null;
        var prefix = Encoding.ASCII.GetBytes(TokenPrefix);
        if (candidate.AsSpan().IndexOf(prefix) < 0) return candidate;
        var values = current is null ? [] : Values(current);
        var lines = Find(candidate);
        using var output = new MemoryStream(candidate.Length + 64);
        var at = 0;
        var restored = 0;
        foreach (var (key, start, length) in lines)
        {
            var text = Encoding.ASCII.GetString(candidate, start, length);
            if (!text.StartsWith(TokenPrefix, StringComparison.Ordinal)) continue;
            if (!text.EndsWith('}') || !int.TryParse(text.AsSpan(TokenPrefix.Length, text.Length - TokenPrefix.Length - 1),
                    System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
                || n < 1 || n > values.Count || values[n - 1].Key != key)
            {
                error = $"{text} names no {key} value of the file as it is now; nothing was written.";
                return null;
            }
            output.Write(candidate, at, start - at);
            output.Write(values[n - 1].Value);
            at = start + length;
            restored++;
        }
        output.Write(candidate, at, candidate.Length - at);
        var result = output.ToArray();
        if (result.AsSpan().IndexOf(prefix) >= 0)
        {
            error = $"A {TokenPrefix}N}} token stands only as the whole value of a PrivateKey or PresharedKey line; nothing was written.";
            return null;
        }
        return result;
    }

    /// <summary>
    /// True for <c>wg show ... dump</c>: its output holds each running interface's private key and each peer's
    /// preshared key, including keys set by hand (<c>wg set</c>) that no file holds, so <see cref="Scrub"/>'s values
    /// cannot know them. <see cref="ScrubWgDump"/> hides them by their place in the dump instead.
    /// </summary>
    public static bool IsWgDump(IReadOnlyList<string> argv) =>
        argv.Count >= 2 && Path.GetFileName(argv[0]) == "wg" && argv[1] == "show" && argv.Contains("dump");

    /// <summary>
    /// A <c>wg show ... dump</c> output with the private key of every interface line and the preshared key of every
    /// peer line replaced by <c>(hidden)</c> (a preshared key of <c>(none)</c> stays). wg prints tab-separated lines:
    /// with <c>all</c> an interface has 5 fields (name, private key, public key, port, fwmark) and a peer 9 (name,
    /// public key, preshared key, endpoint, ...); for one interface the name is left out (4 and 8 fields).
    /// </summary>
    public static string ScrubWgDump(string text, bool all)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var fields = lines[i].Split('\t');
            var first = all ? 1 : 0; // the first field after the interface name
            var secret = (fields.Length - first) switch
            {
                4 => first, // interface: its private key
                8 => first + 1, // peer: its preshared key
                _ => -1,
            };
            if (secret < 0 || fields[secret] is "(none)" or "") continue;
            fields[secret] = "(hidden)";
            lines[i] = string.Join('\t', fields);
        }
        return string.Join('\n', lines);
    }

    /// <summary><paramref name="text"/> with every value of <paramref name="values"/> replaced by <c>(hidden)</c>:
    /// what a command prints (wg show's dump) never hands a module a key its files hold.</summary>
    public static string Scrub(string text, IEnumerable<SecretValue> values)
    {
        foreach (var value in values)
        {
            var secret = Encoding.ASCII.GetString(value.Value);
            if (secret.Length >= 8 && text.Contains(secret, StringComparison.Ordinal))
                text = text.Replace(secret, "(hidden)", StringComparison.Ordinal);
        }
        return text;
    }
}
