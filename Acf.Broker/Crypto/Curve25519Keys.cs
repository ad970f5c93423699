using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace Acf.Broker.Crypto;

/// <summary>
/// Curve25519 key pairs as WireGuard writes them (<c>wg genkey</c>, <c>wg pubkey</c>): 32 bytes each, in base64 (44
/// characters). The private key is random and clamped (RFC 7748, section 5); the public key is X25519 of it with the
/// base point. .NET has no X25519, so BouncyCastle's RFC 7748 code does the multiplication.
/// </summary>
public static class Curve25519Keys
{
    public const int KeyBytes = 32;

    /// <summary>A new private key, clamped as <c>wg genkey</c> clamps it.</summary>
    public static byte[] NewPrivateKey()
    {
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        key[0] &= 248;
        key[31] &= 127;
        key[31] |= 64;
        return key;
    }

    /// <summary>The public key of <paramref name="privateKey"/> (any 32 bytes: X25519 clamps them itself).</summary>
    public static byte[] PublicKeyOf(byte[] privateKey)
    {
        if (privateKey.Length != KeyBytes) throw new ArgumentException("A Curve25519 key has 32 bytes.", nameof(privateKey));
        var publicKey = new byte[KeyBytes];
        X25519.ScalarMultBase(privateKey, 0, publicKey, 0);
        return publicKey;
    }

    /// <summary>The public key of a base64 private key, in base64; null when the text is not the base64 of 32 bytes.</summary>
    public static string? PublicKeyOf(string privateKey) =>
        Decode(privateKey) is { } bytes ? Convert.ToBase64String(PublicKeyOf(bytes)) : null;

    /// <summary>The 32 bytes of a base64 key, or null.</summary>
    public static byte[]? Decode(string text)
    {
        var buffer = new byte[KeyBytes + 3];
        return text.Length == 44 && Convert.TryFromBase64String(text, buffer, out var written) && written == KeyBytes
            ? buffer[..KeyBytes]
            : null;
    }
}
