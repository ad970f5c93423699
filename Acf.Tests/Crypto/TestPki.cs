using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Acf.Tests.Crypto;

/// <summary>A throwaway CA and a spoke certificate signed by it, made with System.Security.Cryptography, and their PFX.</summary>
public sealed class TestPki : IDisposable
{
    public TestPki(bool rsa = false)
    {
        var now = DateTimeOffset.UtcNow;
        // The CA's key is of the leaf's kind: CertificateRequest.Create signs only with a matching issuer key.
        using var caKey = rsa ? (AsymmetricAlgorithm)RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = caKey is RSA caRsa
            ? new CertificateRequest("CN=DMVPN test CA, O=Example Corp", caRsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest("CN=DMVPN test CA, O=Example Corp", (ECDsa)caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));

        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Parse("172.18.1.1"));
        san.AddDnsName("spoke1.example.com");
        CertificateRequest request;
        if (rsa)
        {
            var key = RSA.Create(2048);
            request = new CertificateRequest("CN=spoke1.example.com, O=Example Corp", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            Key = key;
        }
        else
        {
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            request = new CertificateRequest("CN=spoke1.example.com, O=Example Corp", key, HashAlgorithmName.SHA256);
            Key = key;
        }
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        NotAfter = now.AddYears(2).UtcDateTime;
        using var signed = request.Create(Ca, now.AddDays(-1), now.AddYears(2), [1, 2, 3, 4]);
        Leaf = Key is RSA r ? signed.CopyWithPrivateKey(r) : signed.CopyWithPrivateKey((ECDsa)Key);
    }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Leaf { get; }

    public AsymmetricAlgorithm Key { get; }

    public DateTime NotAfter { get; }

    /// <summary>
    /// Another leaf of this CA (an ECDSA key, its subject CN=<paramref name="commonName"/>, the address as its
    /// alternative name) with its key and the CA, as dmvpn-ca hands one out to each hub and spoke.
    /// </summary>
    public byte[] IssuePfx(string commonName, IPAddress address, string password)
    {
        var now = DateTimeOffset.UtcNow;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(address);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        using var signed = request.Create(Ca, now.AddDays(-1), now.AddYears(2), RandomNumberGenerator.GetBytes(8));
        using var leaf = signed.CopyWithPrivateKey(key);
        using var caPublic = X509CertificateLoader.LoadCertificate(Ca.RawData);
        return new X509Certificate2Collection { leaf, caPublic }.Export(X509ContentType.Pkcs12, password)!;
    }

    /// <summary>The leaf with its key and the CA, as dmvpn-ca hands them out.</summary>
    public byte[] Pfx(string password, bool withCa = true)
    {
        var collection = new X509Certificate2Collection { Leaf };
        using var caPublic = X509CertificateLoader.LoadCertificate(Ca.RawData);
        if (withCa) collection.Add(caPublic);
        return collection.Export(X509ContentType.Pkcs12, password)!;
    }

    public void Dispose()
    {
        Ca.Dispose();
        Leaf.Dispose();
        Key.Dispose();
    }
}
