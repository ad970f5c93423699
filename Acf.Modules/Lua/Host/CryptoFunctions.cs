using Acf.Broker.Crypto;
using KeraLua;

namespace Acf.Modules.Lua.Host;

/// <summary><c>acf.crypto</c>: the key and certificates of a PKCS#12 bundle, and the certificates of a PEM text.</summary>
internal static class CryptoFunctions
{
    public static readonly KeyValuePair<string, HostFunction>[] All =
    [
        new("crypto_pkcs12", Pkcs12),
        new("crypto_pem", Pem),
        new("crypto_x25519_pair", X25519Pair),
        new("crypto_x25519_public", X25519Public),
    ];

    /// <summary>acf.crypto.x25519_pair(): { private = base64, public = base64 }, a new WireGuard key pair for a key
    /// that leaves the box (a new peer's, shown once in its client config); a key the box keeps is made by the broker
    /// (acf.fs.write_new_key) and never reaches Lua.</summary>
    private static int X25519Pair(HostCall call)
    {
        var lua = call.Lua;
        var privateKey = Curve25519Keys.NewPrivateKey();
        lua.PushBoolean(true);
        lua.CreateTable(0, 2);
        lua.SetString("private", Convert.ToBase64String(privateKey));
        lua.SetString("public", Convert.ToBase64String(Curve25519Keys.PublicKeyOf(privateKey)));
        Array.Clear(privateKey);
        return 2;
    }

    /// <summary>acf.crypto.x25519_public(private): the public key (base64) of a base64 private key (wg pubkey).</summary>
    private static int X25519Public(HostCall call)
    {
        var lua = call.Lua;
        if (lua.StringArg(1) is not { } text || Curve25519Keys.PublicKeyOf(text) is not { } publicKey)
            return lua.Failure("invalid", "acf.crypto.x25519_public: the key must be the base64 of 32 bytes");
        lua.PushBoolean(true);
        lua.PushString(publicKey);
        return 2;
    }

    /// <summary>acf.crypto.pkcs12(bytes, password): { key = PEM, certificates = { {subject=, ..., pem=}, ... } }.</summary>
    private static int Pkcs12(HostCall call)
    {
        var lua = call.Lua;
        if (lua.Type(1) != LuaType.String) return lua.Failure("invalid", "acf.crypto.pkcs12: the file must be a string of bytes");
        if (lua.Type(2) != LuaType.String && lua.Type(2) != LuaType.Nil)
            return lua.Failure("invalid", "acf.crypto.pkcs12: the password must be a string");
        var (contents, error) = Certificates.ReadPkcs12(lua.ToBuffer(1, false), lua.StringArg(2) ?? "");
        if (contents is null) return lua.Failure("failed", error!);
        lua.PushBoolean(true);
        lua.CreateTable(0, 2);
        lua.SetString("key", contents.KeyPem);
        PushCertificates(lua, contents.Certificates);
        lua.SetField(-2, "certificates");
        return 2;
    }

    /// <summary>acf.crypto.pem(text): the certificates of a PEM text, as acf.crypto.pkcs12 lists them.</summary>
    private static int Pem(HostCall call)
    {
        var lua = call.Lua;
        if (lua.Type(1) != LuaType.String) return lua.Failure("invalid", "acf.crypto.pem: the text must be a string");
        var (certificates, error) = Certificates.ReadPem(lua.ToString(1, false));
        if (error is not null) return lua.Failure("failed", error);
        lua.PushBoolean(true);
        PushCertificates(lua, certificates);
        return 2;
    }

    private static void PushCertificates(KeraLua.Lua lua, IReadOnlyList<CertificateInfo> certificates)
    {
        lua.CreateTable(certificates.Count, 0);
        for (var i = 0; i < certificates.Count; i++)
        {
            var c = certificates[i];
            lua.CreateTable(0, 10);
            lua.SetString("subject", c.Subject);
            lua.SetString("issuer", c.Issuer);
            lua.SetString("not_before", c.NotBefore.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
            lua.SetString("not_after", c.NotAfter.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
            lua.SetInteger("expires", c.NotAfter.ToUnixTimeSeconds());
            lua.SetString("serial", c.Serial);
            lua.SetString("sha256", c.Sha256);
            lua.SetString("alt_names", string.Join(", ", c.AltNames));
            lua.SetBoolean("ca", c.IsCa);
            lua.SetString("pem", c.Pem);
            lua.RawSetInteger(-2, i + 1);
        }
    }
}
