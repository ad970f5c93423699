using System.Globalization;
using System.Security.Cryptography;

namespace Acf.Broker;

/// <summary>
/// The secret that keys the audit chain (issue 16): each entry's hash is an HMAC-SHA-256 of its line under this key, so
/// whoever edits <c>audit.log</c> from outside cannot recompute a chain that verifies, as they could a plain hash
/// chain. The key lives beside the log (<c>audit.log.key</c>, mode 0600, in the 0700 data folder of the broker's user)
/// and is made when the first entry is written. Its file also names the first keyed entry: entries before it were
/// written by an Acf without keys and keep their plain SHA-256 (an upgraded log stays verifiable; such an entry can
/// still not be changed without breaking the first keyed entry, which holds its hash).
/// </summary>
internal sealed class AuditKey
{
    private readonly byte[] _secret;

    private AuditKey(long firstKeyed, byte[] secret)
    {
        FirstKeyed = firstKeyed;
        _secret = secret;
    }

    /// <summary>The number of the first entry hashed with the key.</summary>
    public long FirstKeyed { get; }

    public static string PathOf(string auditLogPath) => auditLogPath + ".key";

    /// <summary>The key of the log, or null when none was made yet (or its file is not one).</summary>
    public static AuditKey? Load(string auditLogPath)
    {
        var path = PathOf(auditLogPath);
        if (!File.Exists(path)) return null;
        var parts = File.ReadAllText(path).Trim().Split(' ');
        if (parts is not [var first, var hex] || !long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            || hex.Length != 64) return null;
        try
        {
            return new AuditKey(seq, Convert.FromHexString(hex));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Makes the log's key, keying entries from <paramref name="firstKeyed"/> on (written 0600, durably,
    /// before the first entry it keys).</summary>
    public static AuditKey Create(string auditLogPath, long firstKeyed)
    {
        var key = new AuditKey(firstKeyed, RandomNumberGenerator.GetBytes(32));
        DurableFile.Write(PathOf(auditLogPath),
            Encoding.ASCII.GetBytes($"{firstKeyed.ToString(CultureInfo.InvariantCulture)} {Convert.ToHexStringLower(key._secret)}\n"));
        return key;
    }

    /// <summary>The hash entry <paramref name="seq"/> carries: keyed from <see cref="FirstKeyed"/> on.</summary>
    public string Hash(string body, long seq) => seq >= FirstKeyed
        ? Convert.ToHexStringLower(HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(body)))
        : Plain(body);

    /// <summary>The plain SHA-256 of entries written before the log had a key.</summary>
    public static string Plain(string body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
}
