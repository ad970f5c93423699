namespace Acf.Tests.Modules;

/// <summary>
/// The diagnostics module (issue 21 item 5) beyond its fixtures: the kernel tables decoded from /proc/net, and a
/// tool's output reaching the page line by line while it runs.
/// </summary>
public class DiagnosticsModuleTests
{
    [Fact]
    public async Task Routes_DemoTables_DecodesHexAddressesPrefixesAndGateways()
    {
        using var host = ModuleTestHost.Demo();

        var form = (await host.RunAsync(ModuleTestHost.User, "diagnostics", "tables", "routes")).Entity!;

        var v4 = form.Find("ipv4")!.Rows;
        Assert.Contains(v4, r => r["destination"] == "default" && r["gateway"] == "198.51.100.1" && r["flags"] == "UG"
            && r["metric"] == "202" && r["device"] == "eth0");
        Assert.Contains(v4, r => r["destination"] == "192.168.1.0/24" && r["gateway"] == "" && r["device"] == "eth1");
        Assert.Contains(v4, r => r["destination"] == "10.20.0.0/16" && r["gateway"] == "10.255.0.1" && r["device"] == "gre1");
        var v6 = form.Find("ipv6")!.Rows;
        Assert.Contains(v6, r => r["destination"] == "default" && r["gateway"] == "fe80::21b:21ff:fe3a:9c01" && r["device"] == "eth0");
        Assert.Contains(v6, r => r["destination"] == "2001:db8:1::/64" && r["device"] == "eth1");
        Assert.Contains(v6, r => r["destination"] == "::1/128" && r["device"] == "lo");
    }

    [Fact]
    public async Task Routes_ThisMachinesRealRouteFile_EveryKernelLineBecomesARow()
    {
        // The file as a real kernel writes it (tabs, padded header, trailing blanks), not as the demo's author did.
        using var host = ModuleTestHost.Demo();
        var real = File.ReadAllText("/proc/net/route");
        host.WriteRootFile("/proc/net/route", real);

        var form = (await host.RunAsync(ModuleTestHost.User, "diagnostics", "tables", "routes")).Entity!;

        var kernelLines = real.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
        var rows = form.Find("ipv4")!.Rows;
        Assert.Equal(kernelLines, rows.Count);
        Assert.All(rows, r => Assert.Matches(@"^(default|\d+\.\d+\.\d+\.\d+/\d+)$", r["destination"]));
    }

    [Fact]
    public async Task Neighbours_DemoTables_ShowsStatesAndNoMacWhereTheKernelHasNone()
    {
        using var host = ModuleTestHost.Demo();

        var form = (await host.RunAsync(ModuleTestHost.User, "diagnostics", "tables", "neighbours")).Entity!;

        var rows = form.Find("neighbours")!.Rows;
        Assert.Equal(5, rows.Count);
        Assert.Contains(rows, r => r["address"] == "198.51.100.1" && r["mac"] == "00:1b:21:3a:9c:01" && r["state"] == "reachable"
            && r["device"] == "eth0");
        Assert.Contains(rows, r => r["address"] == "192.168.1.150" && r["mac"] == "" && r["state"] == "incomplete");
        var v6 = form.Find("neighbours6")!.Rows;
        Assert.Equal(4, v6.Count);
        Assert.Contains(v6, r => r["address"] == "fe80::21b:21ff:fe3a:9c01" && r["mac"] == "00:1b:21:3a:9c:01"
            && r["state"] == "reachable" && r["device"] == "eth0");
        Assert.Contains(v6, r => r["address"] == "2001:db8:1::150" && r["mac"] == "" && r["state"] == "failed" && r["device"] == "eth1");
    }

    [Fact]
    public async Task Ping_Submit_HandsEachOutputLineToThePageWhileItRuns()
    {
        using var host = ModuleTestHost.Demo();
        var lines = new List<string>();

        var result = await host.Runner.RunAsync(ModuleTestHost.Editor, "diagnostics", "tools", "ping",
            ModuleTestHost.Submit("Run", ("target", "198.51.100.1")), output: lines.Add);

        Assert.True(result.Entity!.Succeeded, result.Error ?? result.Entity.Errtxt);
        Assert.Equal(9, lines.Count);
        Assert.Equal("PING 198.51.100.1 (198.51.100.1): 56 data bytes", lines[0]);
        Assert.Equal("round-trip min/avg/max = 0.398/0.463/0.512 ms", lines[^1]);
    }

    [Fact]
    public async Task Ping_TargetWithoutRecording_SaysTheDemoHasNoneInsteadOfAnEmptyOutput()
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(ModuleTestHost.Editor, "diagnostics", "tools", "ping",
            ModuleTestHost.Submit("Run", ("target", "2001:db8::1")));

        Assert.True(result.Entity!.Succeeded);
        Assert.Equal("(The demo host simulates ping and has no recording for this target.)", result.Entity.Find("output")!.Text);
        var entry = host.Audit.ReadAll().Single(e => e.Action == "exec-simulated");
        Assert.Equal("ping -c 4 -w 10 -- 2001:db8::1", entry.Target);
    }
}
