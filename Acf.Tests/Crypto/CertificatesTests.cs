using System.Security.Cryptography.X509Certificates;
using Acf.Broker.Crypto;

namespace Acf.Tests.Crypto;

/// <summary>PKCS#12 bundles and PEM certificates read for modules: key and certificates as PEM, failures as messages.</summary>
public class CertificatesTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadPkcs12_BundleWithCa_KeyFirstCertificateThenCaAsPemThatLoadsBack(bool rsa)
    {
        using var pki = new TestPki(rsa);

        var (contents, error) = Certificates.ReadPkcs12(pki.Pfx("s3cret"), "s3cret");

        Assert.Null(error);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", contents!.KeyPem);
        Assert.Equal(2, contents.Certificates.Count);
        var leaf = contents.Certificates[0];
        Assert.Equal("CN=spoke1.example.com, O=Example Corp", leaf.Subject);
        Assert.Equal("CN=DMVPN test CA, O=Example Corp", leaf.Issuer);
        Assert.Equal(["DNS:spoke1.example.com", "IP:172.18.1.1"], leaf.AltNames);
        Assert.False(leaf.IsCa);
        Assert.True(contents.Certificates[1].IsCa);
        using var loaded = X509Certificate2.CreateFromPem(leaf.Pem, contents.KeyPem);
        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(pki.Leaf.Thumbprint, loaded.Thumbprint);
        Assert.Equal(pki.Ca.RawData, X509Certificate2.CreateFromPem(contents.Certificates[1].Pem).RawData);
    }

    [Fact]
    public void ReadPkcs12_WrongPassword_MessageNoContents()
    {
        using var pki = new TestPki();

        var (contents, error) = Certificates.ReadPkcs12(pki.Pfx("right"), "wrong");

        Assert.Null(contents);
        Assert.Equal("The password is wrong, or the file is not a PKCS#12 (PFX) bundle.", error);
    }

    [Fact]
    public void ReadPkcs12_NotABundle_Message()
    {
        var (contents, error) = Certificates.ReadPkcs12("-----BEGIN CERTIFICATE-----\n"u8.ToArray(), "");

        Assert.Null(contents);
        Assert.NotNull(error);
    }

    [Fact]
    public void ReadPkcs12_OnlyCertificatesNoKey_Message()
    {
        using var pki = new TestPki();
        using var caPublic = X509CertificateLoader.LoadCertificate(pki.Ca.RawData);
        var pfx = new X509Certificate2Collection { caPublic }.Export(X509ContentType.Pkcs12, "pw")!;

        var (contents, error) = Certificates.ReadPkcs12(pfx, "pw");

        Assert.Null(contents);
        Assert.Equal("The bundle holds no private key.", error);
    }

    [Fact]
    public void ReadPem_Chain_EveryCertificateWithExpiry()
    {
        using var pki = new TestPki();
        var pem = pki.Leaf.ExportCertificatePem() + "\n" + pki.Ca.ExportCertificatePem() + "\n";

        var (certificates, error) = Certificates.ReadPem(pem);

        Assert.Null(error);
        Assert.Equal(["CN=spoke1.example.com, O=Example Corp", "CN=DMVPN test CA, O=Example Corp"], certificates.Select(c => c.Subject));
        Assert.Equal(pki.Leaf.NotAfter.ToUniversalTime(), certificates[0].NotAfter.UtcDateTime);
    }

    [Fact]
    public void ReadPem_NoCertificate_Message()
    {
        var (certificates, error) = Certificates.ReadPem("just text\n");

        Assert.Empty(certificates);
        Assert.NotNull(error);
    }
}
