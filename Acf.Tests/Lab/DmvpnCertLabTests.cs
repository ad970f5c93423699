namespace Acf.Tests.Lab;

/// <summary>The certificate variant of <see cref="DmvpnLab"/>: a hub and one spoke, each importing its own PKCS#12
/// bundle (its key, its certificate, the DMVPN's CA) on Acf's Certificates page and naming it on the hub or spoke form,
/// with no pre-shared key.</summary>
public sealed class DmvpnCertLab() : DmvpnLab([Hub, Spoke1], certificates: true);

/// <summary>
/// Issue 18: the DMVPN Acf writes with certificates, on real daemons: the IKE SA authenticated by the certificates Acf
/// imported (each end sees the other's subject), NHRP registered under those identities, traffic over the tunnel.
/// </summary>
[Trait("Category", "Lab")]
public sealed class DmvpnCertLabTests(DmvpnCertLab lab) : IClassFixture<DmvpnCertLab>
{
    private static readonly DmvpnBox Hub = DmvpnLab.Hub;
    private static readonly DmvpnBox Spoke = DmvpnLab.Spoke1;

    [DmvpnLabFact]
    public async Task Hub_and_spoke_authenticate_with_the_certificates_imported_through_Acf()
    {
        lab.WaitFor(() => lab.SaUp(Spoke), "the spoke's SAs with the hub");
        lab.WaitFor(() => lab.Registered(Spoke), "the spoke's NHRP registration");

        // Public-key authentication both ways, each end named by its certificate's subject.
        var spokeSas = lab.Node(Spoke).Must("swanctl", "--list-sas");
        Assert.Contains($"remote '{lab.Identity(Hub)}' @ {Hub.Wan}[", spokeSas);
        var hubSas = lab.Node(Hub).Must("swanctl", "--list-sas");
        Assert.Contains($"remote '{lab.Identity(Spoke)}' @ {Spoke.Wan}[", hubSas);
        Assert.Contains("dmvpn: #", hubSas); // the hub answers with the connection Acf wrote
        var swanctl = File.ReadAllText(Path.Combine(lab.Node(Hub).Root, "etc", "swanctl", "swanctl.conf"));
        Assert.DoesNotContain("auth = psk", swanctl);
        Assert.DoesNotContain("ike-dmvpn", swanctl);
        // What charon loaded is what Acf imported: the box's certificate and key, the CA.
        var certs = lab.Node(Hub).Must("swanctl", "--list-certs");
        Assert.Contains($"subject:  \"{lab.Identity(Hub)}\"", certs);
        Assert.Contains("has private key", certs);

        var ping = lab.Node(Spoke).Run("ping", "-c", "3", "-W", "5", Hub.Tunnel);
        Assert.True(ping.Status == 0, ping.Stdout + ping.Stderr + lab.Diagnostics());

        // Acf's Certificates page lists what the box holds, read back from the files it wrote.
        var page = await LabAcf.ReadAsync(lab.Client(Spoke), "dmvpn/certs/edit");
        var installed = LabAcf.Field(page, "installed").EnumerateArray().Select(row => row.GetProperty("file").GetString()).ToList();
        Assert.Contains("/etc/swanctl/x509/spoke1.pem", installed);
        Assert.Contains("/etc/swanctl/x509ca/spoke1-ca.pem", installed);
        Assert.Contains("/etc/swanctl/private/spoke1.pem", installed);
    }
}
