using static Acf.Tests.Modules.FormPost;

namespace Acf.Tests.Modules;

/// <summary>The OpenNHRP page (dmvpn/opennhrp/edit) through the runner over the demo tree, under confirm-or-rollback.</summary>
public class OpennhrpFormsTests
{
    private const string Conf = "/etc/opennhrp/opennhrp.conf";

    private static Task<CfeNode> RunAsync(ModuleTestHost host, ModuleInput? input = null, AcfPrincipal? user = null) =>
        host.RunOkAsync(user ?? ModuleTestHost.Admin, "dmvpn", "opennhrp", "edit", input);


    private static async Task<CfeNode> EditFormAsync(ModuleTestHost host, string iface = "gre1") =>
        await RunAsync(host, Query(("interface", iface)));

    [Fact]
    public async Task Edit_Read_ListsBlocksAndFillsTheChosenOne()
    {
        using var host = ModuleTestHost.Demo();

        var form = await EditFormAsync(host);

        Assert.Equal(["gre1", "eth1"], form.Find("blocks")!.Rows.Select(r => r["interface"]));
        Assert.Equal("/dmvpn/opennhrp/edit?interface=eth1", form.Find("blocks")!.Rows[1]["interface@href"]);
        Assert.Equal(["10.255.0.1/16 203.0.113.1 register cisco"], form.Find("map")!.Items);
        Assert.Equal(["10.255.0.0/16 hubs.dmvpn.example.net"], form.Find("dynamic_map")!.Items);
        Assert.Equal("3600", form.Find("holding_time")!.Text);
        Assert.True(form.Find("shortcut")!.Checked);
        Assert.False(form.Find("redirect")!.Checked);
        Assert.Equal(CfeTypes.Password, form.Find("cisco_authentication")!.Type);
        Assert.Equal("", form.Find("cisco_authentication")!.Text ?? "");
        Assert.Equal(["Save", "Delete"], form.Options.Select(o => o.Value));
    }

    [Fact]
    public async Task Edit_UnchangedSave_WritesSameBytesAndStartsNoCountdown()
    {
        using var host = ModuleTestHost.Demo();
        var before = host.Keep(Conf);
        var form = await EditFormAsync(host);

        var result = await RunAsync(host, Post(form, "Save"));

        before.AssertNothingChanged(result);
        Assert.Null(host.Guard.Pending);
    }

    [Fact]
    public async Task Edit_ChangeHoldingTimeAndAddMap_TouchesOnlyThoseLinesRestartsAndAwaitsConfirm()
    {
        using var host = ModuleTestHost.Demo();
        var before = host.ReadRootFile(Conf);
        var form = await EditFormAsync(host);

        var result = await RunAsync(host, Post(form, "Save", ("holding_time", "1800"),
            ("map", "10.255.0.1/16 203.0.113.1 register cisco\n10.255.0.2/16 203.0.113.2 register")));

        Assert.True(result.Succeeded, result.Errtxt);
        var expected = before.Replace("\tholding-time 3600\n", "\tholding-time 1800\n")
            .Replace("register cisco\n", "register cisco\n\tmap 10.255.0.2/16 203.0.113.2 register\n");
        Assert.Equal(expected, host.ReadRootFile(Conf));
        Assert.Contains(host.Audit.ReadAll(), e => e.Action == "service-restart" && e.Target == "opennhrp");
        Assert.Equal("opennhrp/edit", host.Guard.Pending!.Action);
    }

    [Fact]
    public async Task Edit_NotKept_TheFileComesBack()
    {
        using var host = ModuleTestHost.Demo();
        var before = host.ReadRootFile(Conf);
        var form = await EditFormAsync(host);
        await RunAsync(host, Post(form, "Save", ("redirect", "true")));
        Assert.NotEqual(before, host.ReadRootFile(Conf));

        host.Guard.RollBack(host.Guard.Pending!.Id, "test");

        Assert.Equal(before, host.ReadRootFile(Conf));
    }

    [Fact]
    public async Task Edit_EmptySecret_KeepsItAndRemoveClearsIt()
    {
        using var host = ModuleTestHost.Demo();
        var form = await EditFormAsync(host);

        await RunAsync(host, Post(form, "Save", ("shortcut", "false")));
        var kept = host.ReadRootFile(Conf);
        host.Guard.Keep("root");
        var again = await EditFormAsync(host);
        await RunAsync(host, Post(again, "Save", ("remove_authentication", "true")));

        Assert.Contains("\tcisco-authentication dmvpn12\n", kept);
        Assert.DoesNotContain("cisco-authentication", host.ReadRootFile(Conf));
    }

    [Fact]
    public async Task Edit_NewBlock_AppendedAtTheEnd()
    {
        using var host = ModuleTestHost.Demo();
        var before = host.ReadRootFile(Conf);
        var form = await RunAsync(host);

        var result = await RunAsync(host, Post(form, "Save", ("name", "gre2"), ("map", "10.254.0.1/16 198.51.100.1 register"),
            ("cisco_authentication", "k3y"), ("redirect", "true")));

        Assert.True(result.Succeeded, result.Errtxt);
        Assert.Equal(before + "\ninterface gre2\n  map 10.254.0.1/16 198.51.100.1 register\n  cisco-authentication k3y\n  redirect\n",
            host.ReadRootFile(Conf));
    }

    [Fact]
    public async Task Edit_Delete_RemovesTheBlockOnly()
    {
        using var host = ModuleTestHost.Demo();
        var before = host.ReadRootFile(Conf);
        var form = await EditFormAsync(host, "eth1");

        var result = await RunAsync(host, Post(form, "Delete"));

        Assert.True(result.Succeeded, result.Errtxt);
        Assert.Equal(before.Replace("interface eth1\n\tshortcut-destination\n", ""), host.ReadRootFile(Conf));
        Assert.Equal(["gre1"], result.Find("blocks")!.Rows.Select(r => r["interface"]));
    }

    public static TheoryData<string, string, string> BadFields => new()
    {
        { "name", "gre1\ninterface evil", "Line breaks" },
        { "name", "gre 1", "1 to 15" },
        { "map", "10.255.0.9 203.0.113.9 register\ninterface evil", "Line 2:" },
        { "map", "10.255.0.9/33 203.0.113.9", "Line 1:" },
        { "map", "10.255.0.9 999.0.113.9", "Line 1:" },
        { "map", "10.255.0.9 203.0.113.9 always", "Line 1:" },
        { "map", "10.255.0.9 203.0.113.9 # x", "Line 1: '#'" },
        { "dynamic_map", "10.255.0.0 hubs.example.net", "Line 1:" },
        { "dynamic_map", "10.255.0.0/16 hubs..example.net", "Line 1:" },
        { "shortcut_target", "192.168.12.0/24 holding-time 99999", "Line 1:" },
        { "multicast", "everyone", "Line 1:" },
        { "holding_time", "0", "smallest" },
        { "holding_time", "60\nshortcut", "whole number" },
        { "route_table", "-1", "smallest" },
        { "cisco_authentication", "toolongsecret", "At most 8" },
        { "cisco_authentication", "a b", "No spaces" },
        { "cisco_authentication", "ab\ncd", "Line breaks" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task Edit_BadField_RefusedOnTheFieldAndNothingWritten(string field, string value, string message)
    {
        using var host = ModuleTestHost.Demo();
        var before = host.Keep(Conf);
        var form = await EditFormAsync(host);

        var result = await RunAsync(host, Post(form, "Save", (field, value)));

        before.AssertRefusedOn(result, field, message);
        Assert.Null(host.Guard.Pending);
    }

    [Fact]
    public async Task Edit_NoConfigFile_SaysThisBoxDoesNotUseOpennhrp()
    {
        using var host = ModuleTestHost.Demo();
        File.Delete(host.RootPath(Conf));

        var page = await RunAsync(host);

        Assert.Equal(CfeTypes.Group, page.Type);
        Assert.Contains("this box does not use OpenNHRP", page.Children.Single().Text);
    }

    [Fact]
    public async Task Edit_User_IsRefused()
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(ModuleTestHost.User, "dmvpn", "opennhrp", "edit");

        Assert.Equal(RunStatus.Forbidden, result.Status);
    }
}
