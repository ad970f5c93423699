using System.Buffers;
using System.Security.Cryptography;

namespace Acf.Broker.Text;

/// <summary>
/// SHA-512-crypt (<c>$6$[rounds=N$]salt$hash</c>) as specified by Ulrich Drepper and implemented by glibc and musl,
/// so that hashes in ACF's <c>/etc/acf/passwd</c> and <c>/etc/shadow</c> stay interchangeable with the C library's
/// <c>crypt()</c>, <c>mkpasswd -m sha-512</c> and <c>openssl passwd -6</c>.
/// </summary>
public static class Sha512Crypt
{
    /// <summary>
    /// Rounds used for new hashes. The specification's default of 5000 is cheap for today's hardware; 200,000 costs a
    /// fraction of a second per login, which an admin app with a handful of users can afford.
    /// </summary>
    public const int DefaultRounds = 200_000;

    /// <summary>Rounds implied when a hash carries no <c>rounds=</c> part.</summary>
    public const int SpecDefaultRounds = 5000;

    /// <summary>Smallest number of rounds; smaller requests are raised to it, as the specification demands.</summary>
    public const int MinRounds = 1000;

    /// <summary>Largest number of rounds; larger requests are lowered to it, as the specification demands.</summary>
    public const int MaxRounds = 999_999_999;

    /// <summary>Longest salt the algorithm uses; longer salts are cut, as the specification demands.</summary>
    public const int MaxSaltLength = 16;

    /// <summary>
    /// Longest password accepted, in UTF-8 bytes. The algorithm's cost grows with the password's length (one step
    /// hashes the password repeated as many times as it is long), so an unbounded login field would let anyone
    /// on the network burn the appliance's CPU.
    /// </summary>
    public const int MaxPasswordBytes = 256;

    private const string Prefix = "$6$";
    private const string RoundsPrefix = "rounds=";
    private const string Alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const int DigestBytes = 64;
    private const int EncodedLength = 86; // 64 bytes, 6 bits per character: 21 groups of 4 plus 2.
    private static readonly SearchValues<char> AlphabetValues = SearchValues.Create(Alphabet);

    /// <summary>Hashes a password into the <c>$6$</c> format.</summary>
    /// <param name="password">The password; its UTF-8 bytes are hashed.</param>
    /// <param name="salt">
    /// The salt (visible ASCII without <c>$</c> and <c>:</c>; longer than 16 characters is cut to 16), or null for
    /// 16 random characters of the crypt alphabet.
    /// </param>
    /// <param name="rounds">Rounds, clamped to <see cref="MinRounds"/>..<see cref="MaxRounds"/>.</param>
    /// <returns>The hash; it carries <c>rounds=N$</c> whenever the rounds differ from 5000.</returns>
    /// <exception cref="ArgumentException">The salt has a forbidden character or the password is too long.</exception>
    public static string Hash(string password, string? salt = null, int rounds = DefaultRounds)
    {
        ArgumentNullException.ThrowIfNull(password);
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        if (passwordBytes.Length > MaxPasswordBytes)
        {
            throw new ArgumentException($"The password is longer than {MaxPasswordBytes} UTF-8 bytes.", nameof(password));
        }

        if (salt is null)
        {
            salt = RandomNumberGenerator.GetString(Alphabet, MaxSaltLength);
        }
        else
        {
            if (salt.Length > MaxSaltLength)
            {
                salt = salt[..MaxSaltLength];
            }

            if (!IsValidSalt(salt))
            {
                // '$' would end the salt early and ':' would split an /etc/acf/passwd line.
                throw new ArgumentException("The salt may hold only visible ASCII characters other than '$' and ':'.", nameof(salt));
            }
        }

        rounds = Math.Clamp(rounds, MinRounds, MaxRounds);
        var encoded = Compute(passwordBytes, Encoding.ASCII.GetBytes(salt), rounds);
        return rounds == SpecDefaultRounds
            ? $"{Prefix}{salt}${encoded}"
            : $"{Prefix}{RoundsPrefix}{rounds}${salt}${encoded}";
    }

    /// <summary>Checks a password against a stored <c>$6$</c> hash.</summary>
    /// <param name="password">The password typed at login.</param>
    /// <param name="storedHash">The stored hash, e.g. the second field of an <c>/etc/acf/passwd</c> line.</param>
    /// <returns>
    /// True when the password matches; false when it does not, when the password is too long, and for anything
    /// that is not a well-formed <c>$6$</c> hash (an empty field, <c>!</c>, <c>*</c>, another scheme). Never throws,
    /// because a damaged passwd file must lock a user out, not crash the login page.
    /// </returns>
    public static bool Verify(string password, string storedHash)
    {
        if (password is null || storedHash is null || !TryParse(storedHash, out var rounds, out var salt, out var expected))
        {
            return false;
        }

        // Checked on the characters first (never fewer than the bytes) so that a huge posted password is not encoded.
        if (password.Length > MaxPasswordBytes)
        {
            return false;
        }

        var passwordBytes = Encoding.UTF8.GetBytes(password);
        if (passwordBytes.Length > MaxPasswordBytes)
        {
            return false;
        }

        var actual = Compute(passwordBytes, Encoding.ASCII.GetBytes(salt), rounds);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(actual), Encoding.ASCII.GetBytes(expected));
    }

    /// <summary>The rounds <see cref="Verify"/> spends on <paramref name="storedHash"/>: 0 for a hash it refuses at once.</summary>
    public static int CostOf(string storedHash) => TryParse(storedHash, out var rounds, out _, out _) ? rounds : 0;

    /// <summary>Splits a stored hash into rounds, salt and encoded digest, refusing anything not well formed.</summary>
    private static bool TryParse(string stored, out int rounds, out string salt, out string encoded)
    {
        rounds = SpecDefaultRounds;
        salt = string.Empty;
        encoded = string.Empty;
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = stored.AsSpan(Prefix.Length);
        if (rest.StartsWith(RoundsPrefix, StringComparison.Ordinal))
        {
            // Strict like musl: digits only, then '$'. glibc would read "rounds=x$..." as a salt, but no crypt()
            // ever writes that, so such a hash can only be damaged or forged.
            rest = rest[RoundsPrefix.Length..];
            var end = rest.IndexOf('$');
            if (end is < 1 or > 10)
            {
                return false;
            }

            long value = 0;
            foreach (var c in rest[..end])
            {
                if (c is < '0' or > '9')
                {
                    return false;
                }

                value = value * 10 + (c - '0');
            }

            rounds = (int)Math.Clamp(value, MinRounds, MaxRounds);
            rest = rest[(end + 1)..];
        }

        var saltEnd = rest.IndexOf('$');
        if (saltEnd < 0 || saltEnd > MaxSaltLength)
        {
            return false;
        }

        var saltSpan = rest[..saltEnd];
        var encodedSpan = rest[(saltEnd + 1)..];
        if (!IsValidSalt(saltSpan) || encodedSpan.Length != EncodedLength || encodedSpan.ContainsAnyExcept(AlphabetValues))
        {
            return false;
        }

        salt = saltSpan.ToString();
        encoded = encodedSpan.ToString();
        return true;
    }

    private static bool IsValidSalt(ReadOnlySpan<char> salt)
    {
        foreach (var c in salt)
        {
            if (c is < '!' or > '~' or '$' or ':')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Runs the algorithm and returns the 86 characters that follow the salt.</summary>
    private static string Compute(byte[] password, byte[] salt, int rounds)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        var a = new byte[DigestBytes];
        var b = new byte[DigestBytes];
        try
        {
            // Digest B: password, salt, password.
            sha.AppendData(password);
            sha.AppendData(salt);
            sha.AppendData(password);
            sha.GetHashAndReset(b);

            // Digest A: password, salt, then as many bytes of B as the password is long, then for each bit of the
            // password's length (lowest first) either B or the password.
            sha.AppendData(password);
            sha.AppendData(salt);
            AppendRepeated(sha, b, password.Length);
            for (var n = password.Length; n > 0; n >>= 1)
            {
                sha.AppendData((n & 1) != 0 ? b : password);
            }

            sha.GetHashAndReset(a);

            // P sequence: the digest of the password repeated once per byte, stretched to the password's length.
            for (var i = 0; i < password.Length; i++)
            {
                sha.AppendData(password);
            }

            var p = Stretch(sha, password.Length);

            // S sequence: the digest of the salt repeated 16 + A[0] times, stretched to the salt's length.
            for (var i = 0; i < 16 + a[0]; i++)
            {
                sha.AppendData(salt);
            }

            var s = Stretch(sha, salt.Length);

            // The rounds mix A with P and S in an order fixed by the round number, which is what makes them slow
            // to compute without making them skippable.
            for (var round = 0; round < rounds; round++)
            {
                var odd = (round & 1) != 0;
                sha.AppendData(odd ? p : a);
                if (round % 3 != 0)
                {
                    sha.AppendData(s);
                }

                if (round % 7 != 0)
                {
                    sha.AppendData(p);
                }

                sha.AppendData(odd ? a : p);
                sha.GetHashAndReset(a);
            }

            CryptographicOperations.ZeroMemory(p);
            CryptographicOperations.ZeroMemory(s);
            return Encode(a);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(a);
            CryptographicOperations.ZeroMemory(b);
        }
    }

    /// <summary>Appends <paramref name="length"/> bytes of <paramref name="block"/> repeated.</summary>
    private static void AppendRepeated(IncrementalHash sha, byte[] block, int length)
    {
        for (var left = length; left > 0; left -= block.Length)
        {
            sha.AppendData(block, 0, Math.Min(left, block.Length));
        }
    }

    /// <summary>Finishes the digest and repeats it to <paramref name="length"/> bytes.</summary>
    private static byte[] Stretch(IncrementalHash sha, int length)
    {
        var digest = sha.GetHashAndReset();
        var result = new byte[length];
        for (var offset = 0; offset < length; offset += digest.Length)
        {
            digest.AsSpan(0, Math.Min(digest.Length, length - offset)).CopyTo(result.AsSpan(offset));
        }

        CryptographicOperations.ZeroMemory(digest);
        return result;
    }

    /// <summary>
    /// Encodes the final digest with crypt's base64: groups of three bytes taken in the specification's shuffled
    /// order, each written low six bits first.
    /// </summary>
    private static string Encode(byte[] digest)
    {
        var output = new StringBuilder(EncodedLength);
        // The specification lists 21 triples (0,21,42), (22,43,1), (44,2,23), ...: each starts 22 bytes (mod 63)
        // after the previous one and its members lie 21 apart (mod 63).
        for (var group = 0; group < 21; group++)
        {
            var first = group * 22 % 63;
            AppendBase64(output, digest[first], digest[(first + 21) % 63], digest[(first + 42) % 63], 4);
        }

        AppendBase64(output, 0, 0, digest[63], 2);
        return output.ToString();
    }

    private static void AppendBase64(StringBuilder output, byte high, byte middle, byte low, int characters)
    {
        var bits = (high << 16) | (middle << 8) | low;
        for (var i = 0; i < characters; i++)
        {
            output.Append(Alphabet[bits & 0x3f]);
            bits >>= 6;
        }
    }
}
