using static Acf.Tests.Modules.FormPost;

namespace Acf.Tests.Modules;

/// <summary>
/// The interfaces and DNS pages through the runner, as module <c>net</c> holding the real controllers of
/// alpine-baselayout with the manifest entries they are meant to get. ifquery is not needed: where it is missing the
/// broker saves unchecked, and the demo host simulates it otherwise.
/// </summary>
public class InterfacesFormsTests
{
    private const string Path_ = "/etc/network/interfaces";
    private const string Resolv = "/etc/resolv.conf";

    private const string Manifest = """
        { "title": "Network",
          "roles": { "USER": [ "interfaces/status" ],
                     "EXPERT": [ "interfaces/edit", "interfaces/delete", "interfaces/control", "dns/edit" ] },
          "capabilities": { "read": [ "/sys/class/net/" ],
                            "write": [ "/etc/network/interfaces", "/etc/resolv.conf" ],
                            "exec": [ [ "ifquery" ], [ "ifup" ], [ "ifdown" ] ], "services": [ "networking" ] },
          "confirm": [ "interfaces/control" ] }
        """;

    private static readonly ModuleFixtureFiles Files = new("alpine-baselayout", "interfaces");

    internal static ModuleTestHost Host(string fixture = "router.interfaces", TimeProvider? time = null)
    {
        var host = new ModuleTestHost(new ModulesOptions());
        if (time is not null) host.Time = time;
        var source = Path.Combine(ModuleTestHost.RepositoryRoot, "modules-lua", "alpine-baselayout");
        host.AddModule("net", Manifest,
            ("interfaces", File.ReadAllText(Path.Combine(source, "interfaces.lua"))),
            ("dns", File.ReadAllText(Path.Combine(source, "dns.lua"))));
        host.CopyLibrariesOf("alpine-baselayout", "net");
        var path = host.RootPath(Path_);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(Path.IsPathRooted(fixture) ? fixture : Files.PathOf(fixture), path);
        // A save restarts networking to apply the file: the demo's OpenRC needs the script.
        host.WriteRootFile("/etc/init.d/networking",
            File.ReadAllText(Path.Combine(ModuleTestHost.RepositoryRoot, "demo", "etc", "init.d", "networking")));
        return host;
    }

    internal static Task<CfeNode> RunAsync(ModuleTestHost host, string controller, string action, ModuleInput? input = null) =>
        host.RunOkAsync(ModuleTestHost.Admin, "net", controller, action, input);

    /// <summary>Opens the edit form of the stanza <paramref name="name"/> <paramref name="family"/>.</summary>
    private static Task<CfeNode> OpenEditAsync(ModuleTestHost host, string name, string family) =>
        RunAsync(host, "interfaces", "edit", Query(("name", name), ("family", family)));

    /// <summary>Saves the edit form as the browser posts it, with these changes.</summary>
    private static Task<CfeNode> SaveEditAsync(ModuleTestHost host, CfeNode form, params (string Name, string Value)[] changes) =>
        RunAsync(host, "interfaces", "edit", EditSubmit(form, changes));

    /// <summary>Opens the edit form of the stanza <paramref name="name"/> <paramref name="family"/> and saves it as the
    /// browser posts it, with these changes.</summary>
    private static async Task<CfeNode> EditAsync(ModuleTestHost host, string name, string family, params (string Name, string Value)[] changes) =>
        await SaveEditAsync(host, await OpenEditAsync(host, name, family), changes);

    /// <summary>What the browser posts back for the edit form: every field as shown, then the changes.</summary>
    internal static ModuleInput EditSubmit(CfeNode form, params (string Name, string Value)[] changes) =>
        Post(form, "Save", changes);


    [Fact]
    public async Task Status_ListsStanzasWithLiveStateAndLinks()
    {
        using var host = Host();
        host.WriteRootFile("/sys/class/net/eth0/operstate", "up\n");

        var result = await host.RunAsync(ModuleTestHost.User, "net", "interfaces", "status");

        Assert.True(result.Status == RunStatus.Ok, result.Error);
        var rows = result.Entity!.Rows;
        Assert.Equal(7, rows.Count);
        Assert.Equal(("eth0", "dhcp", "up", "yes"), (rows[1]["name"], rows[1]["address"], rows[1]["state"], rows[1]["auto"]));
        Assert.Equal(("eth1", "inet", "192.168.10.1 / 255.255.255.0", "unknown"),
            (rows[2]["name"], rows[2]["family"], rows[2]["address"], rows[2]["state"]));
        Assert.Equal("/alpine-baselayout/interfaces/edit?name=eth1&family=inet6", rows[3]["name@href"]);
    }

    [Fact]
    public async Task Edit_User_Forbidden()
    {
        using var host = Host();

        var result = await host.RunAsync(ModuleTestHost.User, "net", "interfaces", "edit");

        Assert.Equal(RunStatus.Forbidden, result.Status);
    }

    [Fact]
    public async Task Edit_Read_SplitsOptionsIntoFields()
    {
        using var host = Host();

        var form = await OpenEditAsync(host, "gre1", "inet");

        Assert.Equal("gre", form.Find("tunnel.mode")!.Text);
        Assert.Equal("203.0.113.9", form.Find("tunnel.remote")!.Text);
        Assert.Equal("64", form.Find("tunnel.ttl")!.Text);
        Assert.Equal("1400", form.Find("mtu")!.Text);
        Assert.Equal(["modprobe ip_gre"], form.Find("pre_up")!.Items);
        Assert.True(form.Find("auto")!.Checked);
    }

    [Theory]
    [InlineData("eth1", "inet")]
    [InlineData("eth1", "inet6")]
    [InlineData("br0", "inet")]
    [InlineData("gre1", "inet")]
    [InlineData("eth0", "inet")]
    public async Task Edit_UnchangedSave_WritesSameBytes(string name, string family)
    {
        using var host = Host();
        var before = host.Keep(Path_);

        var result = await EditAsync(host, name, family);

        before.AssertNothingChanged(result);
    }

    [Fact]
    public async Task Edit_Save_WritesExactlyTheExpectedFile()
    {
        using var host = Host();
        var before = host.ReadRootFile(Path_);

        var result = await EditAsync(host, "eth1", "inet", ("address", "192.168.11.1"), ("mtu", ""),
            ("gateway", "192.168.11.254"), ("up", "ip route add 10.99.0.0/16 via 192.168.10.254"));

        Assert.True(result.Succeeded, Errors(result));
        var expected = before
            .Replace("\taddress 192.168.10.1\n", "\taddress 192.168.11.1\n")
            .Replace("\tmtu 1500\n", "")
            .Replace("\tup ip route add 10.98.0.0/16 via 192.168.10.254\n\tpost-down ip route del 10.99.0.0/16\n",
                "\tpost-down ip route del 10.99.0.0/16\n\tgateway 192.168.11.254\n");
        Assert.Equal(expected, host.ReadRootFile(Path_));
        Assert.Contains(host.Audit.ReadAll(), e => e.Action == "service-restart" && e.Target == "networking");
    }

    [Fact]
    public async Task Edit_Rename_KeepsPlaceCommentsAndAutoLine()
    {
        using var host = Host();
        var before = host.ReadRootFile(Path_);

        var result = await EditAsync(host, "eth0", "inet", ("name", "wan0"));

        Assert.True(result.Succeeded, Errors(result));
        var expected = before.Replace("auto lo eth0\n", "auto lo wan0\n").Replace("iface eth0 inet dhcp\n", "iface wan0 inet dhcp\n");
        Assert.Equal(expected, host.ReadRootFile(Path_));
    }

    [Fact]
    public async Task Control_TakeDownNotKept_RunsIfdownThenIfupAgain()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        using var host = Host(time: time);

        var result = await RunAsync(host, "interfaces", "control", ModuleTestHost.Submit("Take down", ("name", "eth1")));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Contains("simulated", result.Descr);
        Assert.Contains(host.Audit.ReadAll(), e => e.Action == "exec-simulated" && e.Target == "ifdown eth1");
        Assert.Equal(["ifup", "eth1"], Assert.Single(host.Guard.Pending!.Commands!).Argv);
        time.Advance(TimeSpan.FromSeconds(host.Apply.ConfirmSeconds + 1));
        Assert.Null(host.Guard.Pending);
        Assert.Contains(host.Audit.ReadAll(), e => e.Action == "exec-simulated" && e.Target == "ifup eth1");
    }

    [Theory]
    [InlineData("eth7", "No stanza for eth7")]
    [InlineData("eth1;reboot", "Name an interface")]
    public async Task Control_UnknownOrBadName_RefusedAndNothingRuns(string name, string message)
    {
        using var host = Host();

        var result = await RunAsync(host, "interfaces", "control", ModuleTestHost.Submit("Take down", ("name", name)));

        Assert.False(result.Succeeded);
        Assert.Contains(message, result.Errtxt);
        Assert.DoesNotContain(host.Audit.ReadAll(), e => e.Action.StartsWith("exec", StringComparison.Ordinal));
        Assert.Null(host.Guard.Pending);
    }

    [Fact]
    public async Task Edit_New_AppendsStanzaWithAuto()
    {
        using var host = Host("alpine-default.interfaces");
        var before = host.ReadRootFile(Path_);
        var form = await RunAsync(host, "interfaces", "edit");

        var result = await SaveEditAsync(host, form, ("name", "eth0.10"), ("method", "static"),
            ("address", "10.10.0.1/24"), ("auto", "true"), ("other", "vlan-raw-device eth0"));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(before + "\nauto eth0.10\niface eth0.10 inet static\n\taddress 10.10.0.1/24\n\tvlan-raw-device eth0\n",
            host.ReadRootFile(Path_));
    }

    public static TheoryData<string, string, string> Refused => new()
    {
        { "address", "192.168.1.300", "IPv4 address" },
        { "address", "192.168.1.1/33", "prefix length" },
        { "address", "10.0.0.1\nauto evil", "Line breaks" },
        { "netmask", "255.0.255.0", "netmask" },
        { "gateway", "2001:db8::1", "IPv4 address" },
        { "name", "averyveryverylongname", "15" },
        { "name", "eth0 x", "15" },
        { "method", "auto", "not offered" },
        { "mtu", "12", "smallest" },
        { "tunnel.remote", "example.com", "IPv4 or IPv6" },
        { "up", "echo a\u0001b", "control character" },
        { "other", "iface evil inet dhcp", "starts a new stanza" },
        { "other", "novalue", "needs a value" },
        { "other", "bad\rkey x", "control character" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Edit_BadValue_RefusedAndNothingWritten(string field, string value, string message)
    {
        using var host = Host();
        var before = host.Keep(Path_);

        var result = await EditAsync(host, "eth1", "inet", (field, value));

        before.AssertRefusedOn(result, field, message);
        Assert.DoesNotContain(host.Audit.ReadAll(), e => e.Action == "write");
    }

    [Fact]
    public async Task Edit_ChangedSinceRead_Refused()
    {
        using var host = Host();
        var form = await OpenEditAsync(host, "eth1", "inet");
        File.AppendAllText(host.RootPath(Path_), "# someone else\n");
        var before = host.Keep(Path_);

        var result = await SaveEditAsync(host, form, ("address", "192.168.11.1"));

        before.AssertRefused(result, "changed since");
    }

    [Fact]
    public async Task Delete_RemovesStanzaAndAutoWord()
    {
        using var host = Host();
        var before = host.ReadRootFile(Path_);
        var form = await RunAsync(host, "interfaces", "delete", Query(("name", "eth0"), ("family", "inet")));

        var result = await RunAsync(host, "interfaces", "delete", ModuleTestHost.Submit("Delete",
            ("name", "eth0"), ("family", "inet"), ("tag", form.Find("tag")!.Text!)));

        Assert.Equal(["Delete"], form.Options.Select(o => o.Value));
        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(before.Replace("auto lo eth0\n", "auto lo\n")
                .Replace("# WAN: DHCP from the ISP\niface eth0 inet dhcp\n\thostname edge\n\tudhcpc_opts -O search\n\n", ""),
            host.ReadRootFile(Path_));
    }

    [Fact]
    public async Task Dns_Edit_SavesServersAndSearchInPlace()
    {
        using var host = Host();
        host.WriteRootFile(Resolv, "# local\nsearch lan\nnameserver 192.168.10.1\noptions rotate\n");
        var form = await RunAsync(host, "dns", "edit");
        var unchanged = await RunAsync(host, "dns", "edit", ModuleTestHost.Submit("Save",
            ("nameservers", "192.168.10.1"), ("search", "lan"), ("tag", form.Find("tag")!.Text!)));

        var result = await RunAsync(host, "dns", "edit", ModuleTestHost.Submit("Save",
            ("nameservers", "192.168.10.1\n2001:db8::53"), ("search", "lan\nexample.com"), ("tag", unchanged.Find("tag")!.Text!)));

        Assert.Equal(["192.168.10.1"], form.Find("nameservers")!.Items);
        Assert.Equal("Nothing changed.", unchanged.Descr);
        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal("# local\nsearch lan example.com\nnameserver 192.168.10.1\nnameserver 2001:db8::53\noptions rotate\n",
            host.ReadRootFile(Resolv));
    }

    [Theory]
    [InlineData("nameservers", "10.0.0.1\n999.1.1.1", "not an IP address")]
    [InlineData("search", "bad domain", "not a domain")]
    [InlineData("search", "a\u0001b", "control character")]
    public async Task Dns_Edit_BadValue_RefusedAndNothingWritten(string field, string value, string message)
    {
        using var host = Host();
        const string text = "nameserver 10.0.0.1\n";
        host.WriteRootFile(Resolv, text);

        var result = await RunAsync(host, "dns", "edit", ModuleTestHost.Submit("Save",
            field == "nameservers" ? [(field, value)] : [("nameservers", "10.0.0.1"), (field, value)]));

        Assert.False(result.Succeeded);
        Assert.Contains(message, result.Find(field)!.Errtxt);
        Assert.Equal(text, host.ReadRootFile(Resolv));
    }
}
