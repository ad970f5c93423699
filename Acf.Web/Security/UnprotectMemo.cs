using Microsoft.AspNetCore.DataProtection;

namespace Acf.Web.Security;

/// <summary>
/// Remembers what the login cookie and the antiforgery tokens decrypt to, so that a script or a browser that sends the
/// same cookie and header with every API call pays for each decryption once rather than three times a request (each
/// a key derivation, AES and an HMAC in DataProtection: about 17 µs of the 40 - 60 µs a cookie call cost the app more
/// than a token call, docs/benchmarks.md "The cookie path"). Only a ciphertext that decrypted is kept, under its exact
/// bytes, so the answer is the one decrypting it gives; a forged or damaged one is decrypted (and refused) every time.
/// Nothing about who may do what is kept: the session list is still asked on every request (a logout, a lock, a
/// password or role change ends the cookie at once, <c>SessionStore</c>), the antiforgery check still compares the
/// tokens with each other and with the user, and the cookie's expiry is still read from its ticket. Acf never revokes
/// a DataProtection key while running; a revoked key's ciphertexts would be honoured here until the memo is cleared.
/// At most <see cref="Capacity"/> entries for each purpose; when full it starts again empty.
/// </summary>
public static class UnprotectMemo
{
    public const int Capacity = 256;

    /// <summary>The purposes memoized: the cookie scheme's ticket and the antiforgery tokens (ASP.NET Core's own names).</summary>
    public static readonly IReadOnlySet<string> Purposes = new HashSet<string>(StringComparer.Ordinal)
    {
        "Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware",
        "Microsoft.AspNetCore.Antiforgery.AntiforgeryToken.v1",
    };

    /// <summary>Wraps the registered <see cref="IDataProtectionProvider"/> (call after <c>AddDataProtection</c>).</summary>
    public static IServiceCollection AddUnprotectMemo(this IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IDataProtectionProvider))
            ?? throw new InvalidOperationException("AddDataProtection first: there is no IDataProtectionProvider to wrap.");
        services.Remove(registered);
        services.AddSingleton<IDataProtectionProvider>(sp => new Provider(registered switch
        {
            { ImplementationInstance: IDataProtectionProvider instance } => instance,
            { ImplementationFactory: { } factory } => (IDataProtectionProvider)factory(sp),
            _ => (IDataProtectionProvider)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!),
        }));
        return services;
    }

    /// <summary>A protector whose purpose chain starts with one of <see cref="Purposes"/> memoizes; any other is the inner one.</summary>
    internal sealed class Provider(IDataProtectionProvider inner) : IDataProtectionProvider
    {
        public IDataProtector CreateProtector(string purpose) => Purposes.Contains(purpose)
            ? new Protector(inner.CreateProtector(purpose))
            : inner.CreateProtector(purpose);
    }

    internal sealed class Protector(IDataProtector inner) : IDataProtector
    {
        private readonly Lock _gate = new();
        private Dictionary<Ciphertext, byte[]>? _known;

        /// <summary>A sub-purpose (the cookie scheme's name, its version) keeps memoizing, with its own entries.</summary>
        public IDataProtector CreateProtector(string purpose) => new Protector(inner.CreateProtector(purpose));

        public byte[] Protect(byte[] plaintext) => inner.Protect(plaintext);

        public byte[] Unprotect(byte[] protectedData)
        {
            var key = new Ciphertext(protectedData);
            lock (_gate)
            {
                if (_known is not null && _known.TryGetValue(key, out var known)) return (byte[])known.Clone();
            }
            var plaintext = inner.Unprotect(protectedData); // throws for a forged, damaged or revoked one: nothing kept
            lock (_gate)
            {
                _known ??= [];
                if (_known.Count >= Capacity) _known.Clear();
                _known[new Ciphertext((byte[])protectedData.Clone())] = (byte[])plaintext.Clone();
            }
            return plaintext;
        }

        /// <summary>The entries held now (tests).</summary>
        internal int Count
        {
            get
            {
                lock (_gate) return _known?.Count ?? 0;
            }
        }
    }

    /// <summary>Ciphertext bytes as a key: compared whole; hashed with the process's random seed (no chosen collisions).</summary>
    private readonly struct Ciphertext : IEquatable<Ciphertext>
    {
        private readonly byte[] _bytes;
        private readonly int _hash;

        public Ciphertext(byte[] bytes)
        {
            _bytes = bytes;
            var hash = new HashCode();
            hash.AddBytes(bytes);
            _hash = hash.ToHashCode();
        }

        public bool Equals(Ciphertext other) => _bytes.AsSpan().SequenceEqual(other._bytes);

        public override bool Equals(object? obj) => obj is Ciphertext other && Equals(other);

        public override int GetHashCode() => _hash;
    }
}
