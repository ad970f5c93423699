using System.Globalization;
using Acf.Broker.Crypto;
using KeraLua;

namespace Acf.Modules.Lua;

/// <summary>The host functions behind <c>acf.crypto</c> and <c>acf.text.base64_decode</c>.</summary>
internal sealed partial class LuaSandbox
{
    private void RegisterCrypto()
    {
        Register("crypto_pkcs12", CryptoPkcs12);
        Register("crypto_pem", CryptoPem);
        Register("text_base64_decode", TextBase64Decode);
    }

    /// <summary>acf.crypto.pkcs12(bytes, password): { key = PEM, certificates = { {subject=, ..., pem=}, ... } }.</summary>
    private int CryptoPkcs12()
    {
        if (_lua.Type(1) != LuaType.String) return Failure("invalid", "acf.crypto.pkcs12: the file must be a string of bytes");
        if (_lua.Type(2) != LuaType.String && _lua.Type(2) != LuaType.Nil)
            return Failure("invalid", "acf.crypto.pkcs12: the password must be a string");
        var (contents, error) = Certificates.ReadPkcs12(_lua.ToBuffer(1, false), StringArg(2) ?? "");
        if (contents is null) return Failure("failed", error!);
        _lua.PushBoolean(true);
        _lua.CreateTable(0, 2);
        SetString("key", contents.KeyPem);
        PushCertificates(contents.Certificates);
        _lua.SetField(-2, "certificates");
        return 2;
    }

    /// <summary>acf.crypto.pem(text): the certificates of a PEM text, as acf.crypto.pkcs12 lists them.</summary>
    private int CryptoPem()
    {
        if (_lua.Type(1) != LuaType.String) return Failure("invalid", "acf.crypto.pem: the text must be a string");
        var (certificates, error) = Certificates.ReadPem(_lua.ToString(1, false));
        if (error is not null) return Failure("failed", error);
        _lua.PushBoolean(true);
        PushCertificates(certificates);
        return 2;
    }

    /// <summary>The bytes of a base64 text (how a file field's upload travels); failure when it is not base64.</summary>
    private int TextBase64Decode()
    {
        if (_lua.Type(1) != LuaType.String) return Failure("invalid", "acf.text.base64_decode: the text must be a string");
        var text = _lua.ToString(1, false);
        var bytes = new byte[text.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64String(text, bytes, out var written)) return Failure("failed", "The text is not base64.");
        if (!_budget.HasRoomFor(written)) return Failure("failed", "The decoded text is too large for the memory limit.");
        _lua.PushBoolean(true);
        _lua.PushBuffer(bytes.AsSpan(0, written).ToArray());
        return 2;
    }

    private void PushCertificates(IReadOnlyList<CertificateInfo> certificates)
    {
        _lua.CreateTable(certificates.Count, 0);
        for (var i = 0; i < certificates.Count; i++)
        {
            var c = certificates[i];
            _lua.CreateTable(0, 10);
            SetString("subject", c.Subject);
            SetString("issuer", c.Issuer);
            SetString("not_before", c.NotBefore.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
            SetString("not_after", c.NotAfter.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
            _lua.PushInteger(c.NotAfter.ToUnixTimeSeconds());
            _lua.SetField(-2, "expires");
            SetString("serial", c.Serial);
            SetString("sha256", c.Sha256);
            SetString("alt_names", string.Join(", ", c.AltNames));
            _lua.PushBoolean(c.IsCa);
            _lua.SetField(-2, "ca");
            SetString("pem", c.Pem);
            _lua.RawSetInteger(-2, i + 1);
        }
    }
}
