using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Acf.Web.Security;

/// <summary>
/// The server certificate: the configured one, or a self-signed ECDSA P-256 certificate made at first start in
/// <c>&lt;data&gt;/tls</c> (key 0600) and reused afterwards, so the fingerprint an admin noted stays the same.
/// Loaded only when an HTTPS address is bound.
/// </summary>
public sealed class TlsCertificate(IOptions<HttpsOptions> options, SystemHost host, TimeProvider time, ILogger<TlsCertificate> logger)
{
    public const string CertificateFile = "cert.pem";
    public const string KeyFile = "key.pem";

    private readonly Lock _gate = new();
    private X509Certificate2? _certificate;

    public string Folder => Path.Combine(host.DataPath, "tls");

    /// <summary>True once the certificate is in use (an HTTPS address was bound).</summary>
    public bool IsLoaded => _certificate is not null;

    /// <summary>True when no certificate is configured, so Acf serves its own self-signed one.</summary>
    public bool IsSelfSigned => options.Value.CertificatePath.Length == 0;

    public X509Certificate2 Certificate
    {
        get
        {
            lock (_gate)
            {
                if (_certificate is not null) return _certificate;
                _certificate = IsSelfSigned ? LoadOrCreateSelfSigned() : LoadConfigured(options.Value);
                logger.LogInformation("HTTPS certificate {Subject} ({Source}), SHA-256 fingerprint {Fingerprint}",
                    _certificate.Subject, IsSelfSigned ? Path.Combine(Folder, CertificateFile) : options.Value.CertificatePath,
                    Fingerprint(_certificate));
                return _certificate;
            }
        }
    }

    /// <summary>The SHA-256 fingerprint of the certificate's DER form, as browsers show it (<c>AB:CD:...</c>).</summary>
    public static string Fingerprint(X509Certificate2 certificate) =>
        Convert.ToHexString(SHA256.HashData(certificate.RawData)).Chunk(2).Select(c => new string(c)).Aggregate((a, b) => a + ":" + b);

    private X509Certificate2 LoadOrCreateSelfSigned()
    {
        var certPath = Path.Combine(Folder, CertificateFile);
        var keyPath = Path.Combine(Folder, KeyFile);
        if (File.Exists(certPath) && File.Exists(keyPath)) return X509Certificate2.CreateFromPemFile(certPath, keyPath);

        var folder = Directory.CreateDirectory(Folder);
        folder.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var name = HostName();
        var request = new CertificateRequest(new X500DistinguishedName($"CN={name}, O=Acf self-signed"), key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        if (name != "localhost") san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        using var made = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));

        // The key is written first and never readable by others, not even for a moment; the pair appears by rename.
        WriteAtomically(keyPath, key.ExportPkcs8PrivateKeyPem(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        WriteAtomically(certPath, made.ExportCertificatePem(),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        logger.LogWarning("Made a self-signed HTTPS certificate for {Name} in {Folder}; browsers will ask to trust it: "
            + "compare the fingerprint they show with the one logged here", name, Folder);
        return X509Certificate2.CreateFromPemFile(certPath, keyPath);
    }

    private static X509Certificate2 LoadConfigured(HttpsOptions https)
    {
        var password = https.CertificatePassword.Length > 0 ? https.CertificatePassword : null;
        var head = new byte[11];
        using (var file = File.OpenRead(https.CertificatePath)) file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (System.Text.Encoding.ASCII.GetString(head) != "-----BEGIN ")
            return X509CertificateLoader.LoadPkcs12FromFile(https.CertificatePath, password);
        var keyPath = https.KeyPath.Length > 0 ? https.KeyPath : null;
        return password is null
            ? X509Certificate2.CreateFromPemFile(https.CertificatePath, keyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(https.CertificatePath, password, keyPath);
    }

    private static string HostName()
    {
        var name = Dns.GetHostName().Trim().ToLowerInvariant();
        return name.Length is > 0 and < 254 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') ? name : "localhost";
    }

    private static void WriteAtomically(string path, string text, UnixFileMode mode)
    {
        var temp = path + ".tmp";
        File.Delete(temp);
        using (var stream = new FileStream(temp, new FileStreamOptions
               { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode }))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(text));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }
}
