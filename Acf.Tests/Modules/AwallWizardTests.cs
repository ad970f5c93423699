using Acf.Modules;
using Acf.Modules.Cfe;

namespace Acf.Tests.Modules;

/// <summary>The awall router wizard: the forwards table, the policy it writes, and its lockout check.</summary>
public class AwallWizardTests
{
    private const string Router = "/etc/awall/optional/router.json";

    private static ModuleInput Submit(string button, string state, params (string Name, string Value)[] values)
    {
        var all = new Dictionary<string, IReadOnlyList<string>>
        {
            ["wan"] = ["eth0"], ["lan"] = ["eth1"], ["acf_port"] = ["443"], ["ssh"] = ["true"], ["state"] = [state],
            // The demo's internet-gateway stays enabled: AwallExposureTests covers what the wizard says about it.
            ["keep_others"] = ["true"],
        };
        foreach (var (name, value) in values) all[name] = [value];
        return new ModuleInput(all, button);
    }

    [Fact]
    public async Task Router_AddForward_AddsARowCarriedInTheForm()
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router", Submit("Add forward", "",
            ("forward_service", "tcp/2222"), ("forward_addr", "192.168.1.20"), ("forward_port", "22")));

        var row = Assert.Single(result.Entity!.Find("forwards")!.Rows);
        Assert.Equal("tcp/2222", row["service"]);
        Assert.Equal("tcp/2222 192.168.1.20 22", result.Entity.Find("state")!.Text);
        Assert.False(File.Exists(host.RootPath(Router)));
    }

    [Theory]
    [InlineData("tcp/99999", "192.168.1.20", "", "forward_service")]
    [InlineData("gopher", "192.168.1.20", "", "forward_service")]
    [InlineData("http", "192.168.1.300", "", "forward_addr")]
    [InlineData("http", "192.168.1.20", "8080;x", "forward_port")]
    public async Task Router_AddBadForward_RefusedOnTheField(string service, string address, string port, string field)
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router", Submit("Add forward", "",
            ("forward_service", service), ("forward_addr", address), ("forward_port", port)));

        Assert.NotNull(result.Entity!.Find(field)!.Errtxt);
        Assert.Empty(result.Entity.Find("forwards")!.Rows);
    }

    [Fact]
    public async Task Router_RemoveForward_DropsThatRow()
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router",
            Submit("Remove forward", "http 192.168.1.10;tcp/2222 192.168.1.20 22", ("forward_row", "1")));

        Assert.Equal("tcp/2222 192.168.1.20 22", result.Entity!.Find("state")!.Text);
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

        Assert.Equal("http 192.168.1.10 8080;tcp/2222 192.168.1.20 22", form.Find("state")!.Text);
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
        var before = host.ReadRootFile(Router);
        var runs = host.Audit.ReadAll().Count;

        var result = await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router", Submit("Apply", "http 192.168.1.10 8080"));

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        Assert.Equal("Nothing changed.", result.Entity.Descr);
        Assert.Equal(before, host.ReadRootFile(Router));
        Assert.Equal(runs, host.Audit.ReadAll().Count);
    }

    [Fact]
    public async Task Router_EarlierPolicyWithSeparateDnat_ForwardsBecomeAcceptFiltersCarryingDnat()
    {
        using var host = ModuleTestHost.Demo();
        host.WriteRootFile(Router, AwallPolicyTests.Fixture("router.legacy.json"));
        var form = (await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router")).Entity!;

        var result = await host.RunAsync(AwallPolicyTests.FromLan, "awall", "wizard", "router", Submit("Apply", form.Find("state")!.Text!));

        Assert.Equal("http 192.168.1.10 8080;tcp/2222 192.168.1.20 22", form.Find("state")!.Text);
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
