namespace Acf.Tests.Modules;

/// <summary>The awall module's policies (list, enable/disable, delete, edit) over the demo tree, under confirm-or-rollback.</summary>
public class AwallPolicyTests
{
    internal static readonly AcfPrincipal FromLan = ModuleTestHost.Admin with { Origin = new RequestOrigin("192.168.1.50", 443) };

    /// <summary>The demo host (<see cref="ModuleTestHost.Demo"/>), under the name that awall tests on other branches still call.</summary>
    internal static ModuleTestHost DemoHost() => ModuleTestHost.Demo();

    internal static string Fixture(string name) =>
        new ModuleFixtureFiles("awall").Text(name);

    private const string Gateway = "/etc/awall/optional/internet-gateway.json";
    private const string WebServer = "/etc/awall/optional/web-server.json";

    /// <summary>The edit form's current values, with some replaced: what a browser submits.</summary>
    internal static Task<RunResult> Edit(ModuleTestHost host, string name, params (string Field, string Value)[] changes) =>
        EditWith(host, name, (form, values) =>
        {
            foreach (var (field, value) in changes)
            {
                if (RuleTables.Contains(field)) AddRows(values, form.Find(field)!, RowsOf(value));
                else values[field] = [value];
            }
        });

    /// <summary>The edit form submitted with one rule table's rows replaced (cells as typed, spaces and all).</summary>
    internal static Task<RunResult> EditRows(ModuleTestHost host, string name, string table, IReadOnlyList<IReadOnlyDictionary<string, string>> rows) =>
        EditWith(host, name, (form, values) => AddRows(values, form.Find(table)!, rows));

    /// <summary>The audit log holds an entry for each of these actions on these targets.</summary>
    private static void AssertAudited(ModuleTestHost host, params (string Action, string Target)[] entries)
    {
        var audit = host.Audit.ReadAll();
        foreach (var (action, target) in entries)
            Assert.Contains(audit, e => e.Action == action && e.Target == target);
    }

    private static async Task<RunResult> EditWith(ModuleTestHost host, string name, Action<CfeNode, Dictionary<string, IReadOnlyList<string>>> change)
    {
        var form = (await host.RunAsync(FromLan, "awall", "policy", "edit", Query(name))).Entity!;
        // As a browser submits it: the read-only name is not sent, the hidden policy_name carries it.
        var values = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var field in new[] { "description", "import", "variable", "zone", "service", "ipset", "tag", "policy_name" })
        {
            var node = form.Find(field)!;
            values[field] = node.Type == CfeTypes.List ? [string.Join("\n", node.Items)] : [node.Text ?? ""];
        }
        foreach (var table in RuleTables)
        {
            var node = form.Find(table)!;
            Assert.Equal(CfeTypes.Records, node.Type);
            AddRows(values, node, node.Rows);
        }
        values["enabled"] = [form.Find("enabled")!.Checked ? "true" : "false"];
        change(form, values);
        return await host.RunAsync(FromLan, "awall", "policy", "edit", new ModuleInput(values, "Apply"));
    }

    /// <summary>The sections the edit form shows as rule tables (issue 20), posted as the browser posts a table.</summary>
    internal static readonly string[] RuleTables = ["policy", "filter", "snat", "dnat"];

    /// <summary>Rows written as awall lines, one row per line: "in=WAN service=http" fills the in and service cells.</summary>
    internal static List<Dictionary<string, string>> RowsOf(string lines) =>
        lines.Split('\n').Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0].Replace('-', '_'), pair => pair.Length > 1 ? pair[1] : "")).ToList();

    /// <summary>A rule table's rows as awall lines (the inverse of <see cref="RowsOf"/>).</summary>
    internal static string LinesOf(CfeNode table) =>
        string.Join("\n", table.Rows.Select(row => string.Join(" ", table.Children
            .Where(c => row.GetValueOrDefault(c.Name) is { Length: > 0 })
            .Select(c => c.Name.Replace('_', '-') + "=" + row[c.Name]))));

    /// <summary>A records field as the browser submits it: the row count and one list per column.</summary>
    internal static void AddRows(Dictionary<string, IReadOnlyList<string>> values, CfeNode table, IReadOnlyList<IReadOnlyDictionary<string, string>> rows)
    {
        values[table.Name + ".#"] = [rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        foreach (var column in table.Children)
            values[table.Name + "." + column.Name] = rows.Select(r => r.GetValueOrDefault(column.Name) ?? "").ToList();
    }

    internal static ModuleInput Query(string name) => new(new Dictionary<string, IReadOnlyList<string>> { ["name"] = [name] }, null);

    [Fact]
    public async Task List_Read_ShowsOptionalPrivateAndEnabledState()
    {
        using var host = ModuleTestHost.Demo();

        var form = (await host.RunAsync(FromLan, "awall", "policy", "list")).Entity!;

        var rows = form.Find("policies")!.Rows;
        Assert.Contains(rows, r => r["name"] == "internet-gateway" && r["enabled"] == "yes" && r["kind"] == "optional");
        Assert.Contains(rows, r => r["name"] == "web-server" && r["enabled"] == "no");
        Assert.Contains(rows, r => r["name"] == "custom-services" && r["kind"] == "private");
    }

    [Fact]
    public async Task Edit_UnchangedSave_SameBytesAndNoCountdown()
    {
        using var host = ModuleTestHost.Demo();
        var before = host.Keep(Gateway);

        var result = await Edit(host, "internet-gateway");

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        before.AssertUnchanged();
        Assert.Null(host.Guard.Pending);
    }

    [Fact]
    public async Task Edit_AddPortForward_WritesExpectedFileAndActivatesUnderConfirm()
    {
        using var host = ModuleTestHost.Demo();

        var result = await Edit(host, "internet-gateway",
            ("dnat", "in=WAN service=http to-addr=192.168.1.10 to-port=8080"));

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        Assert.Equal(Fixture("internet-gateway.after-dnat.json"), host.ReadRootFile(Gateway));
        Assert.Equal("policy/edit", host.Guard.Pending!.Action);
        AssertAudited(host, ("exec-simulated", "awall translate --verify"), ("exec-simulated", "awall activate --force"));
    }

    [Fact]
    public async Task Edit_ForeignFile_KeepsKeysTheFormDoesNotShow()
    {
        using var host = ModuleTestHost.Demo();

        var result = await Edit(host, "web-server", ("description", "Publish the web server"),
            ("dnat", "in=WAN service=http to-addr=192.168.1.10\nin=WAN service=web-admin to-addr=192.168.1.11 to-port=8443"));

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        Assert.Equal(Fixture("web-server.after-edit.json"), host.ReadRootFile(WebServer));
    }

    [Fact]
    public async Task Edit_RuleDropsAdminsAddress_WarnsAndWritesNothingUntilApplyAnyway()
    {
        using var host = ModuleTestHost.Demo();
        var before = host.ReadRootFile(Gateway);
        const string filters = "in=LAN out=_fw service=ssh action=accept";

        var refused = await Edit(host, "internet-gateway", ("filter", filters));
        var afterRefusal = host.ReadRootFile(Gateway);
        var forced = await Edit(host, "internet-gateway", ("filter", filters), ("apply_anyway", "true"));

        var warning = refused.Entity!.Find("apply_anyway")!.Errtxt;
        Assert.Contains("192.168.1.50", warning);
        Assert.Contains("zone LAN", warning);
        Assert.Contains("policy 4 of internet-gateway", warning);
        Assert.NotNull(refused.Entity.Errtxt);
        Assert.Equal(before, afterRefusal);
        Assert.True(forced.Entity!.Succeeded, forced.Entity.Errtxt);
        Assert.Contains("\"service\": [ \"ssh\" ]", host.ReadRootFile(Gateway));
    }

    [Fact]
    public async Task Edit_CurrentRulesKeepAdmin_NoWarning()
    {
        using var host = ModuleTestHost.Demo();

        var result = await Edit(host, "internet-gateway", ("filter", "in=LAN out=_fw service=ssh action=accept\nin=LAN out=_fw action=accept"));

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
    }

    [Theory]
    [InlineData("zone", "LAN iface=eth1;reboot")]
    [InlineData("zone", "LAN iface=eth1 addr=10.0.0.0/33")]
    [InlineData("dnat", "in=WAN service=http to-addr=192.168.1.10\"")]
    [InlineData("dnat", "in=WAN service=nosuchservice to-addr=192.168.1.10")]
    [InlineData("dnat", "in=WAN service=http to-addr=192.168.1.10 to-port=70000")]
    [InlineData("policy", "in=LAN out=WAN action=allow")]
    [InlineData("filter", "in=NOWHERE action=accept")]
    [InlineData("filter", "in=LAN action=accept conn-limit=3")]
    [InlineData("variable", "lan_net=192.168.1.0/24\\")]
    [InlineData("service", "web tcp/99999")]
    public async Task Edit_BadValue_RefusedOnTheFieldAndNothingWritten(string field, string value)
    {
        using var host = ModuleTestHost.Demo();
        var before = host.Keep(Gateway);

        var result = await Edit(host, "internet-gateway", (field, value));

        Assert.False(result.Entity!.Succeeded);
        Assert.NotNull(result.Entity.Find(field)!.Errtxt);
        before.AssertUnchanged();
    }

    [Fact]
    public async Task Edit_DescriptionWithNewline_Refused()
    {
        using var host = ModuleTestHost.Demo();
        var before = host.Keep(Gateway);

        var result = await Edit(host, "internet-gateway", ("description", "x\n\"zone\": {}"));

        Assert.NotNull(result.Entity!.Find("description")!.Errtxt);
        before.AssertUnchanged();
    }

    [Theory]
    [InlineData("../../passwd")]
    [InlineData("a b")]
    [InlineData("")]
    public async Task Edit_NewPolicyBadName_Refused(string name)
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(FromLan, "awall", "policy", "edit", ModuleTestHost.Submit("Apply", ("name", name)));

        Assert.NotNull(result.Entity!.Find("name")!.Errtxt);
        Assert.Equal(3, Directory.GetFiles(host.RootPath("/etc/awall/optional")).Length
            + Directory.GetFiles(host.RootPath("/etc/awall/private")).Length);
    }

    [Fact]
    public async Task Edit_NewPolicy_CreatedEnabledAndRollbackRemovesIt()
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(FromLan, "awall", "policy", "edit", ModuleTestHost.Submit("Apply",
            ("name", "guest"), ("enabled", "true"), ("description", "Guest wifi"), ("zone", "GUEST iface=wlan0"),
            ("policy", "in=GUEST out=WAN action=accept")));
        var created = File.Exists(host.RootPath("/etc/awall/optional/guest.json"));
        var linked = new FileInfo(host.RootPath("/etc/awall/guest.json")).LinkTarget;
        host.Guard.RollBack(host.Guard.Pending!.Id, "test");

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        Assert.True(created);
        Assert.Equal("optional/guest.json", linked);
        Assert.False(File.Exists(host.RootPath("/etc/awall/optional/guest.json")));
        Assert.False(new FileInfo(host.RootPath("/etc/awall/guest.json")).Exists || new FileInfo(host.RootPath("/etc/awall/guest.json")).LinkTarget is not null);
    }

    [Fact]
    public async Task List_EnableAndDisable_SwitchTheDemoSymlink()
    {
        using var host = ModuleTestHost.Demo();
        var link = host.RootPath("/etc/awall/web-server.json");

        var enabled = await host.RunAsync(FromLan, "awall", "policy", "list", ModuleTestHost.Submit("Enable", ("name", "web-server")));
        var target = new FileInfo(link).LinkTarget;
        host.Guard.Keep("root");
        var disabled = await host.RunAsync(FromLan, "awall", "policy", "list", ModuleTestHost.Submit("Disable", ("name", "web-server")));

        Assert.True(enabled.Entity!.Succeeded, enabled.Entity.Errtxt);
        Assert.Equal("optional/web-server.json", target);
        Assert.True(disabled.Entity!.Succeeded, disabled.Entity.Errtxt);
        Assert.Null(new FileInfo(link).LinkTarget);
        AssertAudited(host, ("link", "/etc/awall/web-server.json"), ("unlink", "/etc/awall/web-server.json"));
    }

    [Fact]
    public async Task List_EnableNotKept_RollbackUnlinksAndReactivates()
    {
        using var host = ModuleTestHost.Demo();

        await host.RunAsync(FromLan, "awall", "policy", "list", ModuleTestHost.Submit("Enable", ("name", "web-server")));
        host.Guard.RollBack(host.Guard.Pending!.Id, "test");

        Assert.Null(new FileInfo(host.RootPath("/etc/awall/web-server.json")).LinkTarget);
        var activations = host.Audit.ReadAll().Count(e => e.Target == "awall activate --force");
        Assert.Equal(2, activations);
    }

    [Fact]
    public async Task Edit_NotKept_RollbackRestoresFileAndReactivates()
    {
        using var host = ModuleTestHost.Demo();
        var before = host.Keep(Gateway);
        await Edit(host, "internet-gateway", ("dnat", "in=WAN service=http to-addr=192.168.1.10"));

        host.Guard.RollBack(host.Guard.Pending!.Id, "test");

        before.AssertUnchanged();
        var audit = host.Audit.ReadAll();
        Assert.Equal(2, audit.Count(e => e.Target == "awall activate --force"));
        Assert.Equal("root (rollback)", audit.Last(e => e.Target == "awall activate --force").User);
    }

    [Fact]
    public async Task List_DeleteEnabledPolicy_UnlinksAndRemovesAndRollbackBringsBoth()
    {
        using var host = ModuleTestHost.Demo();
        var before = host.Keep(Gateway);

        var result = await host.RunAsync(FromLan, "awall", "policy", "list",
            ModuleTestHost.Submit("Delete", ("name", "internet-gateway"), ("apply_anyway", "true")));
        var gone = !File.Exists(host.RootPath(Gateway)) && new FileInfo(host.RootPath("/etc/awall/internet-gateway.json")).LinkTarget is null;
        host.Guard.RollBack(host.Guard.Pending!.Id, "test");

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        Assert.True(gone);
        before.AssertUnchanged();
        Assert.Equal("optional/internet-gateway.json", new FileInfo(host.RootPath("/etc/awall/internet-gateway.json")).LinkTarget);
    }

    [Fact]
    public async Task List_DisableTheGatewayFromLan_WarnsAboutLockout()
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(FromLan, "awall", "policy", "list", ModuleTestHost.Submit("Disable", ("name", "internet-gateway")));

        Assert.Contains("no policy covers it", result.Entity!.Find("apply_anyway")!.Errtxt);
        Assert.Equal("optional/internet-gateway.json", new FileInfo(host.RootPath("/etc/awall/internet-gateway.json")).LinkTarget);
    }

    [Fact]
    public async Task Rules_View_ShowsRecordedIptablesSave()
    {
        using var host = ModuleTestHost.Demo();

        var view = (await host.RunAsync(ModuleTestHost.User, "awall", "rules", "view")).Entity!;

        Assert.Contains("-A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE", view.Find("ipv4")!.Text);
        Assert.Contains("*filter", view.Find("ipv6")!.Text);
    }

    [Fact]
    public async Task Edit_AwallSaysFirewallNotEnabled_ReportsNotVerified()
    {
        using var host = ModuleTestHost.Demo();
        // What awall 1.14 prints, exit status 0, when no iptables table is loaded yet: it tested nothing.
        host.WriteRootFile("/usr/share/acf-demo/outputs/awall_translate_--verify.out", "Warning: firewall not enabled for inet\n");

        var result = await Edit(host, "internet-gateway", ("dnat", "in=WAN service=http to-addr=192.168.1.10"));

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        Assert.Contains("Not verified: awall translate --verify tested nothing (awall says: Warning: firewall not enabled for inet)", result.Entity.Descr);
        Assert.DoesNotContain("Verified by", result.Entity.Descr);
    }

    [Fact]
    public async Task Edit_OnTheDemoHost_SaysTheVerificationWasOnlySimulated()
    {
        using var host = ModuleTestHost.Demo();

        var result = await Edit(host, "internet-gateway", ("dnat", "in=WAN service=http to-addr=192.168.1.10"));

        Assert.Contains("Not verified: the demo host only simulates awall translate --verify.", result.Entity!.Descr);
    }
}
