using System.Security.Cryptography.X509Certificates;
using Acf.Web.Security;
using Microsoft.Extensions.Options;

namespace Acf.Tests.Security;

public sealed class TlsCertificateTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("acf-tls-").FullName;

    private TlsCertificate Create(HttpsOptions? options = null) => new(Options.Create(options ?? new HttpsOptions()),
        new SystemHost(HostMode.Alpine, "/", _data, "/nonexistent"), TimeProvider.System, NullLogger<TlsCertificate>.Instance);

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public void Certificate_FirstStart_MakesSelfSignedP256WithHostAndLoopbackAndPrivateKey0600()
    {
        var tls = Create();

        var certificate = tls.Certificate;

        Assert.True(tls.IsSelfSigned);
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal(256, certificate.GetECDsaPublicKey()!.KeySize);
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains(IPAddress.Loopback, san.EnumerateIPAddresses());
        Assert.Contains(Dns.GetHostName().ToLowerInvariant(), san.EnumerateDnsNames());
        var key = Path.Combine(_data, "tls", TlsCertificate.KeyFile);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(_data, "tls")));
    }

    [Fact]
    public void Certificate_SecondStart_ReusesTheSameCertificateAndFiles()
    {
        var first = TlsCertificate.Fingerprint(Create().Certificate);
        var certPath = Path.Combine(_data, "tls", TlsCertificate.CertificateFile);
        var bytes = File.ReadAllBytes(certPath);
        var keyBytes = File.ReadAllBytes(Path.Combine(_data, "tls", TlsCertificate.KeyFile));

        var second = Create().Certificate;

        Assert.Equal(first, TlsCertificate.Fingerprint(second));
        Assert.Equal(bytes, File.ReadAllBytes(certPath));
        Assert.Equal(keyBytes, File.ReadAllBytes(Path.Combine(_data, "tls", TlsCertificate.KeyFile)));
        Assert.Matches("^([0-9A-F]{2}:){31}[0-9A-F]{2}$", first);
    }

    [Fact]
    public void Certificate_Configured_IsUsedAndNothingIsMade()
    {
        var made = Create().Certificate; // a certificate to configure, made elsewhere
        var elsewhere = Directory.CreateTempSubdirectory("acf-tls-conf-").FullName;
        File.Move(Path.Combine(_data, "tls", TlsCertificate.CertificateFile), Path.Combine(elsewhere, "box.crt"));
        File.Move(Path.Combine(_data, "tls", TlsCertificate.KeyFile), Path.Combine(elsewhere, "box.key"));

        var tls = Create(new HttpsOptions { CertificatePath = Path.Combine(elsewhere, "box.crt"), KeyPath = Path.Combine(elsewhere, "box.key") });
        var certificate = tls.Certificate;

        Assert.False(tls.IsSelfSigned);
        Assert.Equal(TlsCertificate.Fingerprint(made), TlsCertificate.Fingerprint(certificate));
        Assert.False(File.Exists(Path.Combine(_data, "tls", TlsCertificate.CertificateFile)));
        Directory.Delete(elsewhere, recursive: true);
    }
}
