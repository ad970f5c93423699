namespace Acf.Tests.Modules;

/// <summary>
/// What each zone can reach (issue 17): the exposure table from the combined set of enabled policies, on the overview,
/// in the policy editor and in the router wizard, and the wizard owning its promise when another enabled policy
/// (the demo's internet-gateway) opens SSH from the WAN.
/// </summary>
public class AwallExposureTests
{
    private const string Router = "/etc/awall/optional/router.json";
    private const string GatewayLink = "/etc/awall/internet-gateway.json";

    private static ModuleInput Wizard(string button, string state, params (string Name, string Value)[] values)
    {
        var all = new Dictionary<string, IReadOnlyList<string>>
        {
            ["wan"] = ["eth0"], ["lan"] = ["eth1"], ["lan_net"] = ["192.168.1.0/24"], ["acf_port"] = ["443"], ["ssh"] = ["true"],
            ["state"] = [state],
        };
        foreach (var (name, value) in values) all[name] = [value];
        return new ModuleInput(all, button);
    }

    private static bool WanReachesRouterSsh(CfeNode form) =>
        form.Find("exposure")!.Rows.Any(r => r["zone"] == "WAN" && r["reaches"].StartsWith("this router", StringComparison.Ordinal)
            && r["what"].Contains("ssh", StringComparison.Ordinal));

    [Fact]
    public async Task List_Read_ShowsWhatTheWanReachesAndBecauseOfWhichPolicy()
    {
        using var host = ModuleTestHost.Demo();

        var form = (await host.RunAsync(AwallPolicyTests.FromLan, "awall", "policy", "list")).Entity!;

        var rows = form.Find("exposure")!.Rows;
        Assert.Contains(rows, r => r["zone"] == "WAN" && r["reaches"] == "this router" && r["what"] == "ssh (tcp/22)"
            && r["because"] == "filter 2 of internet-gateway");
        Assert.Contains(rows, r => r["zone"] == "LAN" && r["reaches"] == "through to WAN" && r["what"] == "everything");
    }

    [Fact]
    public async Task Router_ReadWithInternetGatewayEnabled_SaysPlainlyBeforeApplyThatSshStaysOpen()
    {
        using var host = ModuleTestHost.Demo();

        var form = (await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router")).Entity!;

        Assert.Contains("Not everything else is dropped: SSH stays open from the WAN because of internet-gateway", form.Descr);
        Assert.DoesNotContain("everything else is dropped.", form.Descr);
        Assert.True(WanReachesRouterSsh(form));
    }

    [Fact]
    public async Task Router_ApplyWithInternetGatewayEnabled_RefusedUntilTheAdminChoosesAndNothingWritten()
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router", Wizard("Apply", ""));

        Assert.False(result.Entity!.Succeeded);
        Assert.Contains("SSH stays open from the WAN because of internet-gateway", result.Entity.Find("disable_others")!.Errtxt);
        Assert.False(File.Exists(host.RootPath(Router)));
        Assert.Null(host.Guard.Pending);
    }

    [Fact]
    public async Task Router_ApplyDisablingTheOthers_WanReachesNoSshAndRollbackBringsTheGatewayBack()
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router", Wizard("Apply", "", ("disable_others", "true")));
        var gatewayOff = new FileInfo(host.RootPath(GatewayLink)).LinkTarget is null;
        var form = (await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router")).Entity!;
        host.Guard.RollBack(host.Guard.Pending!.Id, "test");

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        Assert.Contains("internet-gateway disabled", result.Entity.Descr);
        Assert.True(gatewayOff);
        Assert.False(WanReachesRouterSsh(form));
        Assert.Contains("everything else is dropped.", form.Descr);
        Assert.Equal("optional/internet-gateway.json", new FileInfo(host.RootPath(GatewayLink)).LinkTarget);
    }

    [Fact]
    public async Task Router_ApplyKeepingTheOthers_TheDoneMessageSaysSshStaysOpen()
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router", Wizard("Apply", "", ("keep_others", "true")));

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        Assert.Contains("SSH stays open from the WAN because of internet-gateway", result.Entity.Descr);
        Assert.Equal("optional/internet-gateway.json", new FileInfo(host.RootPath(GatewayLink)).LinkTarget);
    }

    [Fact]
    public async Task Edit_ChangeOpensDnsToTheWan_SaysSoAndWaitsForConfirmation()
    {
        using var host = ModuleTestHost.Demo();
        const string gateway = "/etc/awall/optional/internet-gateway.json";
        var before = host.ReadRootFile(gateway);
        var form = (await host.RunAsync(AwallPolicyTests.FromLan, "awall", "policy", "edit",
            AwallPolicyTests.Query("internet-gateway"))).Entity!;
        var filters = AwallPolicyTests.LinesOf(form.Find("filter")!) + "\nin=WAN out=_fw service=dns action=accept";

        var refused = await AwallPolicyTests.Edit(host, "internet-gateway", ("filter", filters));
        var unchanged = host.ReadRootFile(gateway);
        var confirmed = await AwallPolicyTests.Edit(host, "internet-gateway", ("filter", filters), ("open_wan", "true"));

        Assert.Contains("opens this router's DNS (filter 4 of internet-gateway) to the WAN", refused.Entity!.Find("open_wan")!.Errtxt);
        Assert.Contains(refused.Entity.Find("exposure")!.Rows, r => r["zone"] == "WAN" && r["what"].StartsWith("dns", StringComparison.Ordinal));
        Assert.Equal(before, unchanged);
        Assert.True(confirmed.Entity!.Succeeded, confirmed.Entity.Errtxt);
    }

    [Fact]
    public async Task Edit_ChangeThatOpensNothingNew_NoConfirmationNeeded()
    {
        using var host = ModuleTestHost.Demo();

        var result = await AwallPolicyTests.Edit(host, "internet-gateway", ("description", "Gateway"));

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
    }
}
