using System.Security.Cryptography;

namespace Acf.Broker.Lbu;

/// <summary>
/// What <c>openssl enc -&lt;cipher&gt; -salt -pass pass:...</c> writes, which is how lbu encrypts an apkovl (no
/// <c>-pbkdf2</c>): <c>Salted__</c>, an 8-byte random salt, then the data in CBC mode with PKCS#7 padding, the key
/// and IV from EVP_BytesToKey with one round of the default digest (SHA-256 since OpenSSL 1.1.0; MD5 before, which
/// decryption falls back to for old archives). Only the AES-CBC ciphers are done here.
/// </summary>
internal static class OpensslEnc
{
    private static readonly byte[] Magic = "Salted__"u8.ToArray();

    public static IReadOnlyList<string> Ciphers { get; } = ["aes-128-cbc", "aes-192-cbc", "aes-256-cbc"];

    public static bool IsSupported(string cipher) => KeyLength(cipher) > 0;

    public static byte[] Encrypt(ReadOnlySpan<byte> plain, string password, string cipher, byte[]? salt = null)
    {
        salt ??= RandomNumberGenerator.GetBytes(8);
        var (key, iv) = DeriveKey(HashAlgorithmName.SHA256, password, salt, KeyLength(cipher));
        using var aes = Aes.Create();
        aes.Key = key;
        var encrypted = aes.EncryptCbc(plain, iv, PaddingMode.PKCS7);
        return [.. Magic, .. salt, .. encrypted];
    }

    /// <summary>The plain bytes, or null when the password (or the data) is wrong.</summary>
    public static byte[]? Decrypt(byte[] data, string password, string cipher)
    {
        if (!IsSupported(cipher) || data.Length < 32 || !data.AsSpan(0, 8).SequenceEqual(Magic)) return null;
        var salt = data[8..16];
        foreach (var digest in new[] { HashAlgorithmName.SHA256, HashAlgorithmName.MD5 })
        {
            var (key, iv) = DeriveKey(digest, password, salt, KeyLength(cipher));
            using var aes = Aes.Create();
            aes.Key = key;
            try
            {
                var plain = aes.DecryptCbc(data.AsSpan(16), iv, PaddingMode.PKCS7);
                if (plain.Length >= 2 && plain[0] == 0x1f && plain[1] == 0x8b) return plain; // gzip: the right key
            }
            catch (CryptographicException)
            {
                // bad padding: a wrong password or digest; try the next digest
            }
        }
        return null;
    }

    private static int KeyLength(string cipher) => cipher switch
    {
        "aes-128-cbc" => 16,
        "aes-192-cbc" => 24,
        "aes-256-cbc" => 32,
        _ => 0,
    };

    /// <summary>EVP_BytesToKey with one iteration: D_i = H(D_{i-1} || password || salt), concatenated.</summary>
    private static (byte[] Key, byte[] Iv) DeriveKey(HashAlgorithmName digest, string password, byte[] salt, int keyLength)
    {
        var pass = Encoding.UTF8.GetBytes(password);
        var material = new List<byte>();
        byte[] previous = [];
        while (material.Count < keyLength + 16)
        {
            using var hash = IncrementalHash.CreateHash(digest);
            hash.AppendData(previous);
            hash.AppendData(pass);
            hash.AppendData(salt);
            previous = hash.GetHashAndReset();
            material.AddRange(previous);
        }
        return (material.GetRange(0, keyLength).ToArray(), material.GetRange(keyLength, 16).ToArray());
    }
}
