namespace Acf.Tests.Modules;

/// <summary>The awall router wizard: the forwards table, the policy it writes, and its lockout check.</summary>
public class AwallWizardTests
{
    private const string Router = "/etc/awall/optional/router.json";

    /// <summary>The form as the browser posts it; <paramref name="state"/>: the forwards table, rows "SERVICE ADDR [PORT]"
    /// separated by ';' (as the rule table posts them: the count and one list per column).</summary>
    private static ModuleInput Submit(string button, string state, params (string Name, string Value)[] values)
    {
        var rows = state.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(r => r.Split(' ')).ToList();
        var all = new Dictionary<string, IReadOnlyList<string>>
        {
            ["wan"] = ["eth0"], ["lan"] = ["eth1"], ["acf_port"] = ["443"], ["ssh"] = ["true"],
            ["forwards.#"] = [rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            ["forwards.service"] = rows.Select(r => r[0]).ToList(),
            ["forwards.to_addr"] = rows.Select(r => r.Length > 1 ? r[1] : "").ToList(),
            ["forwards.to_port"] = rows.Select(r => r.Length > 2 ? r[2] : "").ToList(),
            // The demo's internet-gateway stays enabled: AwallExposureTests covers what the wizard says about it.
            ["keep_others"] = ["true"],
        };
        foreach (var (name, value) in values) all[name] = [value];
        return new ModuleInput(all, button);
    }

    /// <summary>The forwards table as <see cref="Submit"/> takes it.</summary>
    private static string State(CfeNode form) => string.Join(';', form.Find("forwards")!.Rows
        .Select(r => string.Join(' ', new[] { r["service"], r["to_addr"], r["to_port"] }.Where(c => c != ""))));

    /// <summary>Issue 20: the forwards are a rule table (no Add/Remove buttons, no row numbers to type).</summary>
    [Fact]
    public async Task Router_Read_ForwardsAsARuleTable()
    {
        using var host = ModuleTestHost.Demo();

        var form = (await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router")).Entity!;

        var forwards = form.Find("forwards")!;
        Assert.Equal(CfeTypes.Records, forwards.Type);
        Assert.Equal(["service", "to_addr", "to_port"], forwards.Children.Select(c => c.Name));
        Assert.Equal(["Apply"], form.Options.Select(o => o.Value));
    }

    [Theory]
    [InlineData("tcp/99999 192.168.1.20", "service")]
    [InlineData("gopher 192.168.1.20", "service")]
    [InlineData("http 192.168.1.300", "to_addr")]
    [InlineData("http 192.168.1.20 8080x", "to_port")]
    public async Task Router_BadForward_RefusedOnItsCellAndNothingWritten(string row, string column)
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router",
            Submit("Apply", "http 192.168.1.10;" + row));

        var forwards = result.Entity!.Find("forwards")!;
        Assert.False(result.Entity.Succeeded);
        Assert.StartsWith("Row 2, ", forwards.Errtxt);
        Assert.NotNull(forwards.Rows[1].GetValueOrDefault("@err " + column));
        Assert.False(File.Exists(host.RootPath(Router)));
        Assert.Null(host.Guard.Pending);
    }

    [Fact]
    public async Task Router_Apply_WritesTheExpectedPolicyEnablesItAndStartsTheCountdown()
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router",
            Submit("Apply", "http 192.168.1.10 8080;tcp/2222 192.168.1.20 22"));

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        Assert.Equal(AwallPolicyTests.Fixture("router.expected.json"), host.ReadRootFile(Router));
        Assert.Equal("optional/router.json", new FileInfo(host.RootPath("/etc/awall/router.json")).LinkTarget);
        Assert.Equal("wizard/router", host.Guard.Pending!.Action);
    }

    [Fact]
    public async Task Router_AdminOutsideTheLan_KeepsTheAdminsAddressOpenFromWan()
    {
        using var host = ModuleTestHost.Demo();
        var remote = ModuleTestHost.Admin with { Origin = new RequestOrigin("203.0.113.7", 443) };

        var result = await host.RunAsync(remote, "awall", "wizard", "router", Submit("Apply", ""));

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        Assert.Contains("{ \"in\": \"WAN\", \"out\": \"_fw\", \"src\": \"203.0.113.7\", \"service\": \"acf\", \"action\": \"accept\" }",
            host.ReadRootFile(Router));
    }

    [Fact]
    public async Task Router_AcfPortNotTheOneInUse_WarnsAboutLockout()
    {
        using var host = ModuleTestHost.Demo();
        File.Delete(host.RootPath("/etc/awall/internet-gateway.json")); // the wizard's policy alone decides

        var result = await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router", Submit("Apply", "", ("acf_port", "8443"), ("ssh", "false")));

        Assert.Contains("would be cut off", result.Entity!.Find("apply_anyway")!.Errtxt);
        Assert.False(File.Exists(host.RootPath(Router)));
        Assert.Null(host.Guard.Pending);
    }

    [Fact]
    public async Task Router_ReadAfterApply_OpensWithTheWrittenForwards()
    {
        using var host = ModuleTestHost.Demo();
        await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router", Submit("Apply", "http 192.168.1.10 8080;tcp/2222 192.168.1.20 22"));
        host.Guard.Keep("root");

        var form = (await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router")).Entity!;

        Assert.Equal("http 192.168.1.10 8080;tcp/2222 192.168.1.20 22", State(form));
    }

    [Fact]
    public async Task Router_ExistingRouterPolicy_MergedKeepingItsZonesPoliciesFiltersAndSnat()
    {
        using var host = ModuleTestHost.Demo();
        host.WriteRootFile(Router, AwallPolicyTests.Fixture("router.own.json"));

        var result = await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router",
            Submit("Apply", "http 192.168.1.10 8080", ("lan_net", "192.168.1.0/24")));

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        Assert.Equal(AwallPolicyTests.Fixture("router.own.after-wizard.json"), host.ReadRootFile(Router));
    }

    [Fact]
    public async Task Router_ApplyTwiceTheSame_SecondWritesAndRunsNothing()
    {
        using var host = ModuleTestHost.Demo();
        await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router", Submit("Apply", "http 192.168.1.10 8080"));
        host.Guard.Keep("root");
        var before = host.Keep(Router);
        var runs = host.Audit.ReadAll().Count;

        var result = await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router", Submit("Apply", "http 192.168.1.10 8080"));

        before.AssertNothingChanged(result.Entity!);
        Assert.Equal(runs, host.Audit.ReadAll().Count);
    }

    [Fact]
    public async Task Router_EarlierPolicyWithSeparateDnat_ForwardsBecomeAcceptFiltersCarryingDnat()
    {
        using var host = ModuleTestHost.Demo();
        host.WriteRootFile(Router, AwallPolicyTests.Fixture("router.legacy.json"));
        var form = (await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router")).Entity!;

        var result = await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router", Submit("Apply", State(form)));

        Assert.Equal("http 192.168.1.10 8080;tcp/2222 192.168.1.20 22", State(form));
        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        var written = host.ReadRootFile(Router);
        Assert.Contains("{ \"in\": \"WAN\", \"service\": \"http\", \"action\": \"accept\", \"dnat\": { \"addr\": \"192.168.1.10\", \"port\": 8080 } }", written);
        Assert.DoesNotContain("\"dnat\": [", written);
        Assert.DoesNotContain("\"dest\"", written);
    }

    [Fact]
    public async Task Router_LanNetworkField_WrittenToTheZoneAndDecidesWhetherTheAdminIsInside()
    {
        using var host = ModuleTestHost.Demo();
        var fromOtherLan = ModuleTestHost.Admin with { Origin = new RequestOrigin("10.9.0.5", 443) };

        var result = await host.RunAsync(fromOtherLan, "awall", "wizard", "router", Submit("Apply", "", ("lan_net", "10.9.0.0/24")));

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        var written = host.ReadRootFile(Router);
        Assert.Contains("\"LAN\": { \"iface\": \"eth1\", \"addr\": \"10.9.0.0/24\" }", written);
        Assert.DoesNotContain("10.9.0.5", written);
    }

    [Fact]
    public async Task Router_BadLanNetwork_RefusedOnTheField()
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router", Submit("Apply", "", ("lan_net", "10.9.0.0/24\"x")));

        Assert.NotNull(result.Entity!.Find("lan_net")!.Errtxt);
        Assert.False(File.Exists(host.RootPath(Router)));
    }
}
