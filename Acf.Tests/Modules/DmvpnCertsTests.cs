using System.Security.Cryptography.X509Certificates;
using Acf.Tests.Crypto;

namespace Acf.Tests.Modules;

/// <summary>
/// The certificate import page (dmvpn/certs/edit) through the runner over the demo tree: a PFX made in the test
/// arrives as base64 (as the browser's file field sends it) and lands in /etc/swanctl as PEM, the key with mode 0600.
/// </summary>
public class DmvpnCertsTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Public = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static Task<CfeNode> RunAsync(ModuleTestHost host, ModuleInput? input = null) =>
        host.RunOkAsync(ModuleTestHost.Admin, "dmvpn", "certs", "edit", input);

    private static ModuleInput Import(string name, byte[] pfx, string password) =>
        ModuleTestHost.Submit("Import", ("name", name), ("bundle", Convert.ToBase64String(pfx)), ("password", password));

    [Fact]
    public async Task Edit_ImportPfx_KeyCertificateAndCaWrittenAsPemKeyPrivate()
    {
        using var host = ModuleTestHost.Demo();
        using var pki = new TestPki();

        var done = await RunAsync(host, Import("spoke1", pki.Pfx("pfx-pw"), "pfx-pw"));

        Assert.True(done.Succeeded, done.Errtxt);
        Assert.StartsWith("Imported CN=spoke1.example.com, O=Example Corp", done.Descr);
        var key = host.RootPath("/etc/swanctl/private/spoke1.pem");
        var cert = host.RootPath("/etc/swanctl/x509/spoke1.pem");
        var ca = host.RootPath("/etc/swanctl/x509ca/spoke1-ca.pem");
        Assert.Equal(Private, File.GetUnixFileMode(key));
        Assert.Equal(Public, File.GetUnixFileMode(cert));
        Assert.Equal(Public, File.GetUnixFileMode(ca));
        using var loaded = X509Certificate2.CreateFromPem(File.ReadAllText(cert), File.ReadAllText(key));
        Assert.Equal(pki.Leaf.Thumbprint, loaded.Thumbprint);
        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(pki.Ca.RawData, X509Certificate2.CreateFromPem(File.ReadAllText(ca)).RawData);
        Assert.True(string.IsNullOrEmpty(done.Find("bundle")!.Text));
        Assert.True(string.IsNullOrEmpty(done.Find("password")!.Text));
    }

    [Fact]
    public async Task Edit_AfterImport_ListsTheNewCertificateWithIssuerAndExpiry()
    {
        using var host = ModuleTestHost.Demo();
        using var pki = new TestPki();

        var done = await RunAsync(host, Import("spoke1", pki.Pfx("pw"), "pw"));

        var rows = done.Find("installed")!.Rows;
        var leaf = Assert.Single(rows, r => r["file"] == "/etc/swanctl/x509/spoke1.pem");
        Assert.Equal("CN=DMVPN test CA, O=Example Corp", leaf["issuer"]);
        Assert.StartsWith(pki.NotAfter.ToString("yyyy-MM-dd"), leaf["expires"]);
        Assert.Equal("DNS:spoke1.example.com, IP:172.18.1.1", leaf["names"]);
        Assert.Contains(rows, r => r["file"] == "/etc/swanctl/private/spoke1.pem" && r["subject"] == "mode 0600");
    }

    [Fact]
    public async Task Edit_Read_ListsTheDemoCertificates()
    {
        using var host = ModuleTestHost.Demo();

        var form = await RunAsync(host);

        var rows = form.Find("installed")!.Rows;
        Assert.Contains(rows, r => r["file"] == "/etc/swanctl/x509/dmvpn.pem" && r["subject"].Contains("CN=spoke12.example.net")
            && r["names"] == "DNS:spoke12.example.net, IP:10.255.0.12");
        Assert.Contains(rows, r => r["file"] == "/etc/swanctl/x509ca/dmvpn-ca.pem" && r["kind"] == "CA");
    }

    [Fact]
    public async Task Edit_WrongPassword_ErrorOnThePasswordAndNothingWritten()
    {
        using var host = ModuleTestHost.Demo();
        using var pki = new TestPki();

        var failed = await RunAsync(host, Import("spoke1", pki.Pfx("right"), "wrong"));

        Assert.False(failed.Succeeded);
        Assert.Equal("The password is wrong, or the file is not a PKCS#12 (PFX) bundle.", failed.Find("password")!.Errtxt);
        Assert.False(File.Exists(host.RootPath("/etc/swanctl/private/spoke1.pem")));
        Assert.False(File.Exists(host.RootPath("/etc/swanctl/x509/spoke1.pem")));
    }

    [Fact]
    public async Task Edit_UploadNotBase64_ErrorOnTheFileField()
    {
        using var host = ModuleTestHost.Demo();

        var failed = await RunAsync(host, ModuleTestHost.Submit("Import", ("name", "x"), ("bundle", "%%%"), ("password", "pw")));

        Assert.StartsWith("The upload did not arrive intact", failed.Find("bundle")!.Errtxt);
    }

    [Theory]
    [InlineData("../../etc/shadow")]
    [InlineData("spoke1\n")]
    [InlineData("spoke 1")]
    [InlineData(".hidden")]
    [InlineData("spoke1.pem")]
    public async Task Edit_BadName_ErrorOnTheNameAndNothingWritten(string name)
    {
        using var host = ModuleTestHost.Demo();
        using var pki = new TestPki();
        var before = Directory.GetFiles(host.RootPath("/etc/swanctl"), "*", SearchOption.AllDirectories).Length;

        var failed = await RunAsync(host, Import(name, pki.Pfx("pw"), "pw"));

        Assert.NotNull(failed.Find("name")!.Errtxt);
        Assert.Equal(before, Directory.GetFiles(host.RootPath("/etc/swanctl"), "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task Edit_ReimportOverAReadableKey_KeyBecomesPrivate()
    {
        using var host = ModuleTestHost.Demo();
        using var pki = new TestPki();
        var pfx = pki.Pfx("pw");
        await RunAsync(host, Import("spoke1", pfx, "pw"));
        var key = host.RootPath("/etc/swanctl/private/spoke1.pem");
        File.SetUnixFileMode(key, Public);

        await RunAsync(host, Import("spoke1", pfx, "pw"));

        Assert.Equal(Private, File.GetUnixFileMode(key));
    }
}
