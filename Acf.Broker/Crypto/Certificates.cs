using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Acf.Broker.Crypto;

/// <summary>What an admin needs to see of a certificate, and its PEM text.</summary>
public sealed record CertificateInfo(string Subject, string Issuer, DateTimeOffset NotBefore, DateTimeOffset NotAfter,
    string Serial, string Sha256, IReadOnlyList<string> AltNames, bool IsCa, string Pem);

/// <summary>The contents of a PKCS#12 (PFX) file as PEM: the private key (PKCS#8) and the certificates, the key's own first.</summary>
public sealed record Pkcs12Contents(string KeyPem, IReadOnlyList<CertificateInfo> Certificates);

/// <summary>
/// Reads certificates and PKCS#12 files for modules (strongSwan's swanctl wants PEM files in x509, x509ca and
/// private). Failures are values: a wrong password or a damaged file gives a message, never an exception.
/// </summary>
public static class Certificates
{
    /// <summary>A PFX larger than this is not a certificate bundle.</summary>
    public const int MaxPkcs12Bytes = 256 * 1024;

    public static (Pkcs12Contents? Contents, string? Error) ReadPkcs12(byte[] pfx, string password)
    {
        if (pfx.Length == 0) return (null, "The file is empty.");
        if (pfx.Length > MaxPkcs12Bytes) return (null, $"The file is larger than {MaxPkcs12Bytes / 1024} KiB; it is not a certificate bundle.");
        X509Certificate2Collection collection;
        try
        {
            // Ephemeral: the key stays in memory (nothing lands in a key store on disk); exportable to write it as PEM.
            collection = X509CertificateLoader.LoadPkcs12Collection(pfx, password,
                X509KeyStorageFlags.EphemeralKeySet | X509KeyStorageFlags.Exportable);
        }
        catch (CryptographicException)
        {
            return (null, "The password is wrong, or the file is not a PKCS#12 (PFX) bundle.");
        }
        try
        {
            var owner = collection.FirstOrDefault(c => c.HasPrivateKey);
            if (owner is null) return (null, "The bundle holds no private key.");
            var key = ExportKey(owner);
            if (key is null) return (null, "The bundle's key type is not supported (RSA, ECDSA or DSA are).");
            var ordered = new List<X509Certificate2> { owner };
            ordered.AddRange(collection.Where(c => !ReferenceEquals(c, owner)));
            return (new Pkcs12Contents(key, ordered.Select(Describe).ToList()), null);
        }
        catch (CryptographicException e)
        {
            return (null, $"The key cannot be read: {e.Message}");
        }
        finally
        {
            foreach (var certificate in collection) certificate.Dispose();
        }
    }

    /// <summary>Every certificate of a PEM text (a file may hold a chain); an error when there is none.</summary>
    public static (IReadOnlyList<CertificateInfo> Certificates, string? Error) ReadPem(string pem)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            return ([], $"Not a PEM certificate: {e.Message}");
        }
        try
        {
            if (collection.Count == 0) return ([], "No certificate in the text.");
            return (collection.Select(Describe).ToList(), null);
        }
        finally
        {
            foreach (var certificate in collection) certificate.Dispose();
        }
    }

    private static string? ExportKey(X509Certificate2 certificate)
    {
        using AsymmetricAlgorithm? key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey()
            ?? (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetDSAPrivateKey();
        return key is null ? null : PemEncoding.WriteString("PRIVATE KEY", key.ExportPkcs8PrivateKey()) + "\n";
    }

    private static CertificateInfo Describe(X509Certificate2 certificate)
    {
        var names = new List<string>();
        if (certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault() is { } san)
        {
            names.AddRange(san.EnumerateDnsNames().Select(n => "DNS:" + n));
            names.AddRange(san.EnumerateIPAddresses().Select(a => "IP:" + a));
        }
        var isCa = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault()?.CertificateAuthority ?? false;
        return new CertificateInfo(certificate.Subject, certificate.Issuer,
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            certificate.SerialNumber, Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256)), names, isCa,
            PemEncoding.WriteString("CERTIFICATE", certificate.RawData) + "\n");
    }
}
