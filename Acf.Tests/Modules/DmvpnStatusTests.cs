namespace Acf.Tests.Modules;

/// <summary>The DMVPN status page (dmvpn/status/view) through the runner over the demo tree.</summary>
public class DmvpnStatusTests
{

    private static Task<CfeNode> ViewAsync(ModuleTestHost host, AcfPrincipal? user = null) =>
        host.RunOkAsync(user ?? ModuleTestHost.User, "dmvpn", "status", "view");

    [Fact]
    public async Task View_DemoSpoke_ShowsTheRecordedCacheSasAndNeighbours()
    {
        using var host = ModuleTestHost.Demo();

        var page = await ViewAsync(host);

        var nhrp = page.Find("nhrp")!;
        Assert.Equal(["interface", "type", "protocol", "nbma", "claimed nbma", "flags", "identity"], nhrp.Columns);
        Assert.Equal(["local", "nhs", "nhs", "dynamic", "dynamic", "incomplete"], nhrp.Rows.Select(r => r["type"]));
        Assert.Equal("hub1.example.net", nhrp.Rows[1]["identity"]);
        var ike = page.Find("ike")!;
        Assert.Equal(["dmvpn #3", "dmvpn #4", "dmvpn #7"], ike.Rows.Select(r => r["name"]));
        var children = page.Find("children")!;
        Assert.Equal("c6a89c25", children.Rows[0]["in spi"]);
        Assert.Equal("51877", children.Rows[0]["out bytes"]);
        Assert.Equal("INSTALLED, 42m 11s", children.Rows[0]["state"]);
        var bgp = page.Find("bgp")!;
        Assert.Equal(["10.255.0.1", "10.255.0.2"], bgp.Rows.Select(r => r["neighbor"]));
        Assert.All(bgp.Rows, r => Assert.Equal("Established", r["state"]));
        Assert.StartsWith("IPv4 Unicast: router-id 10.255.0.12, AS 65000", bgp.Descr);
        Assert.All(new[] { nhrp, ike, children, bgp }, table => Assert.Null(table.Errtxt));
    }

    [Fact]
    public async Task View_NoRecordings_EmptyTablesWithoutErrors()
    {
        using var host = ModuleTestHost.Demo();
        Directory.Delete(host.RootPath("/usr/share/acf-demo/outputs"), recursive: true);

        var page = await ViewAsync(host);

        foreach (var name in new[] { "nhrp", "ike", "children", "bgp" })
        {
            Assert.Empty(page.Find(name)!.Rows);
            Assert.Null(page.Find(name)!.Errtxt);
        }
    }

    [Fact]
    public async Task View_ToolsReallyRunWithNoDaemon_EachTableSaysWhyInsteadOfRows()
    {
        // vtysh and swanctl really run here: missing (exit 127) or without nhrpd/bgpd/charon (exit 1 or 2); either way
        // the table must say so.
        using var host = ModuleTestHost.Demo(new SystemOptions
        {
            Mode = "demo",
            DemoReadOnlyCommands = [["vtysh", "-c"], ["swanctl", "--list-sas"]],
        });

        var page = await ViewAsync(host);

        foreach (var (name, tool) in new[] { ("nhrp", "vtysh"), ("bgp", "vtysh"), ("ike", "swanctl"), ("children", "swanctl") })
        {
            var table = page.Find(name)!;
            Assert.Empty(table.Rows);
            Assert.StartsWith(tool + " ", table.Errtxt);
            Assert.True(table.Errtxt!.Contains("not installed") || table.Errtxt.Contains("failed (exit status"), table.Errtxt);
        }
    }

    [Fact]
    public async Task View_RecordingWithBgpNotConfigured_SaysSo()
    {
        using var host = ModuleTestHost.Demo();
        host.WriteRootFile("/usr/share/acf-demo/outputs/vtysh_-c_show_bgp_summary.out", "% BGP instance not found\n");

        var page = await ViewAsync(host);

        Assert.Equal("BGP is not configured on this box (bgpd: BGP instance not found).", page.Find("bgp")!.Errtxt);
    }

    [Fact]
    public async Task View_Guest_IsRefused()
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(ModuleTestHost.Guest, "dmvpn", "status", "view");

        Assert.Equal(RunStatus.Forbidden, result.Status);
    }
}
