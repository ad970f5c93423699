using static Acf.Tests.Modules.Router.RouterHost;

namespace Acf.Tests.Modules.Router;

/// <summary>The WireGuard status page over the demo's recorded `wg show all dump`: interfaces and peers parsed, and
/// the private key the dump prints never in the form.</summary>
public class WireguardStatusTests
{
    [Fact]
    public async Task Status_ParsesInterfacesAndPeers()
    {
        using var host = Create();

        var form = await RunAsync(host, "wireguard", "status", "view");

        var wg0 = Assert.Single(form.Find("interfaces")!.Rows);
        Assert.Equal("wg0", wg0["name"]);
        Assert.Equal("51820", wg0["listen_port"]);
        var peers = form.Find("peers")!.Rows;
        Assert.Equal(2, peers.Count);
        Assert.Equal("203.0.113.7:51820", peers[0]["endpoint"]);
        Assert.Equal("10.8.0.2/32, 192.168.50.0/24", peers[0]["allowed_ips"]);
        Assert.Equal("2026-12-05 13:30 UTC", peers[0]["latest_handshake"]);
        Assert.Equal("1482904", peers[0]["received"]);
        Assert.Equal("never", peers[1]["latest_handshake"]);
        Assert.Equal("", peers[1]["endpoint"]);
    }

    [Fact]
    public async Task Status_NeverShowsThePrivateOrPresharedKey()
    {
        using var host = Create();
        const string dump = "/usr/share/acf-demo/outputs/wg_show_all_dump.out";
        host.WriteRootFile(dump, host.ReadRootFile(dump).Replace("\t(none)\t203.0.113.7", "\tPRESHARED-secret=\t203.0.113.7"));

        var form = await RunAsync(host, "wireguard", "status", "view");

        var shown = string.Join("\n", form.Find("interfaces")!.Rows.Concat(form.Find("peers")!.Rows).SelectMany(r => r.Values));
        Assert.Contains("203.0.113.7", shown);
        Assert.DoesNotContain("PRIVATE-", shown);
        Assert.DoesNotContain("PRESHARED-", shown);
    }
}
