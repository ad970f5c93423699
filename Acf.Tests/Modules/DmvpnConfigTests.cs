using static Acf.Tests.Modules.FormPost;

namespace Acf.Tests.Modules;

/// <summary>
/// The DMVPN hub/spoke page (dmvpn/config/edit) through the runner over the demo tree, with the three files replaced
/// by fixtures: the generated GRE stanza, frr.conf and swanctl.conf are compared byte for byte with expected files in
/// modules-lua/dmvpn/fixtures/_parser/config. The FRR validator is simulated unless a test is in the RealTools category, where `vtysh -C -f`
/// really runs, as the demo host runs it.
/// </summary>
public class DmvpnConfigTests
{
    private const string Interfaces = "/etc/network/interfaces";
    private const string Frr = "/etc/frr/frr.conf";
    private const string Daemons = "/etc/frr/daemons";
    private const string Swanctl = "/etc/swanctl/swanctl.conf";

    private static readonly ModuleFixtureFiles Files = new("dmvpn", "config");

    private static string Fixture(string name) => Files.Text(name);

    private static ModuleTestHost Host(string interfaces = "alpine.interfaces", string frr = "alpine-frr.conf",
        string swanctl = "alpine-swanctl.conf", bool realVtysh = false)
    {
        var host = ModuleTestHost.Demo(realVtysh ? new SystemOptions { Mode = "demo", DemoReadOnlyCommands = [["vtysh", "-C", "-f"]] } : null);
        host.WriteRootFile(Interfaces, Fixture(interfaces));
        host.WriteRootFile(Frr, Fixture(frr));
        host.WriteRootFile(Swanctl, Fixture(swanctl));
        host.WriteRootFile(Daemons, Fixture("alpine-daemons"));
        return host;
    }

    private static Task<CfeNode> RunAsync(ModuleTestHost host, ModuleInput? input = null) =>
        host.RunOkAsync(ModuleTestHost.Admin, "dmvpn", "config", "edit", input);

    /// <summary>Reads the form and saves it at once with these changes; returns the form the save answers with.</summary>
    private static async Task<CfeNode> SaveAsync(ModuleTestHost host, params (string Name, string Value)[] changes) =>
        await RunAsync(host, Post(await RunAsync(host), "Save", changes));


    private static readonly (string, string)[] Spoke =
    [
        ("role", "spoke"), ("interface", "gre1"), ("tunnel_dev", "eth0"), ("address", "172.18.1.1"), ("network_id", "1"),
        ("holdtime", "600"), ("nhs", "198.51.100.1\nhubs.example.com"), ("bgp.asn", "65000"),
        ("bgp.networks", "10.1.0.0/16"), ("bgp.peers", "172.18.0.1\n172.18.0.2"),
        ("ipsec.proposals", "aes256-sha256-modp2048"), ("ipsec.esp_proposals", "aes256-sha256"),
        ("ipsec.cert", "dmvpn.pem"), ("ipsec.cacert", "dmvpn-ca.pem"),
    ];

    private static readonly (string, string)[] Hub =
    [
        ("role", "hub"), ("interface", "gre1"), ("tunnel_dev", "eth0"), ("address", "172.18.0.1"), ("network_id", "1"),
        ("nflog_group", "1"), ("nhs", ""), ("bgp.asn", "65000"), ("bgp.networks", "172.18.0.0/16\n10.0.0.0/16"),
        ("bgp.peers", "172.18.0.2"), ("bgp.listen_range", "172.18.0.0/16"),
        ("ipsec.proposals", "aes256gcm16-prfsha384-ecp384"), ("ipsec.esp_proposals", "aes256gcm16"),
        ("ipsec.cert", "dmvpn.pem"), ("ipsec.cacert", "dmvpn-ca.pem"),
    ];

    /// <summary>The form values of the demo <paramref name="role"/>, "hub" or "spoke".</summary>
    private static (string, string)[] ValuesOf(string role) => role == "hub" ? Hub : Spoke;

    private static void AssertFiles(ModuleTestHost host, string prefix)
    {
        Assert.Equal(Fixture(prefix + ".interfaces"), host.ReadRootFile(Interfaces));
        Assert.Equal(Fixture(prefix + "-frr.conf"), host.ReadRootFile(Frr));
        Assert.Equal(Fixture(prefix + "-swanctl.conf"), host.ReadRootFile(Swanctl));
    }


    [Theory]
    [InlineData("spoke")] // was Edit_Spoke_WritesTheExpectedFilesAndRestartsUnderConfirm
    [InlineData("hub")] // was Edit_Hub_WritesTheExpectedFiles
    public async Task Edit_Role_WritesTheExpectedFilesAndRestartsUnderConfirm(string role)
    {
        using var host = Host();
        var saved = await SaveAsync(host, ValuesOf(role));

        Assert.True(saved.Succeeded, Errors(saved));
        AssertFiles(host, role);
        Assert.Equal("config/edit", host.Guard.Pending!.Action);
        foreach (var service in new[] { "networking", "frr", "strongswan" })
            Assert.Contains(host.Audit.ReadAll(), e => e.Action == "service-restart" && e.Target == service);
    }

    [Fact]
    public async Task Edit_Spoke_TurnsOnNhrpdAndBgpdInTheDaemonsFileOnly()
    {
        using var host = Host();
        await SaveAsync(host, Spoke);

        Assert.Equal(Fixture("alpine-daemons").Replace("bgpd=no", "bgpd=yes").Replace("nhrpd=no", "nhrpd=yes"),
            host.ReadRootFile(Daemons));
    }

    [Theory]
    [InlineData("spoke")]
    [InlineData("hub")]
    public async Task Edit_GeneratedFilesSavedAgainUnchanged_SameBytesAndNoCountdown(string role)
    {
        using var host = Host(role + ".interfaces", role + "-frr.conf", role + "-swanctl.conf");
        host.WriteRootFile(Daemons, Fixture("alpine-daemons").Replace("bgpd=no", "bgpd=yes").Replace("nhrpd=no", "nhrpd=yes"));
        var form = await RunAsync(host);

        var saved = await RunAsync(host, Post(form, "Save"));

        Assert.True(saved.Succeeded, Errors(saved));
        Assert.Equal("Nothing changed.", saved.Descr);
        AssertFiles(host, role);
        Assert.Null(host.Guard.Pending);
    }

    /// <summary>
    /// Issue 18: the page could only write certificate authentication, so a DMVPN with a pre-shared key could not be
    /// set up (or its key changed) through Acf. The key goes to secrets.ike-dmvpn with `auth = psk` on both ends; the
    /// form never shows it back, and a save that leaves the field empty keeps it.
    /// </summary>
    [Fact]
    public async Task Edit_PreSharedKey_WrittenAsSecretNeverShownAndKeptWhenLeftEmpty()
    {
        using var host = Host();
        var form = await RunAsync(host);
        const string Key = "lab-key-0123456789abcdef";

        var saved = await RunAsync(host, Post(form, "Save", [.. Spoke, ("ipsec.cert", ""), ("ipsec.cacert", ""), ("ipsec.psk", Key)]));
        var swanctl = host.ReadRootFile(Swanctl);
        host.Guard.Keep("root");
        var again = await RunAsync(host);
        var unchanged = await RunAsync(host, Post(again, "Save"));
        var tooShort = await RunAsync(host, Post(again, "Save", ("ipsec.psk", "short")));

        Assert.True(saved.Succeeded, Errors(saved));
        Assert.Contains("\t\tlocal {\n\t\t\tauth = psk\n", swanctl);
        Assert.Contains("\t\tremote {\n\t\t\tauth = psk\n", swanctl);
        Assert.Contains("secrets {\n\tike-dmvpn {\n\t\tsecret = " + Key + "\n", swanctl);
        Assert.Equal("", again.Find("ipsec.psk")!.Text ?? "");
        Assert.Contains("A key is set", again.Find("ipsec.psk")!.Descr);
        Assert.Equal("Nothing changed.", unchanged.Descr);
        Assert.Equal(swanctl, host.ReadRootFile(Swanctl));
        Assert.False(tooShort.Succeeded);
        Assert.NotNull(tooShort.Find("ipsec.psk")!.Errtxt);
    }

    // Issue 14: an unchanged save turned `auth = psk` into pubkey and restarted networking, frr and strongswan; on
    // dmvpn-tools' own swanctl file (no auth and no proposals lines: strongSwan's defaults) it added lines.
    [Theory]
    [InlineData("psk")]
    [InlineData("dmvpn-tools-dmvpn-swanctl")]
    [InlineData("dmvpn-tools-dmvpn-swanctl-crlf")]
    public async Task Edit_UnchangedSave_KeepsTheAdminsSwanctlAndRestartsNothing(string swanctl)
    {
        using var host = Host("spoke.interfaces", "spoke-frr.conf");
        host.WriteRootFile(Daemons, Fixture("alpine-daemons").Replace("bgpd=no", "bgpd=yes").Replace("nhrpd=no", "nhrpd=yes"));
        var text = swanctl == "psk"
            ? Fixture("spoke-swanctl.conf").Replace("auth = pubkey", "auth = psk")
            : File.ReadAllText(ModuleTestHost.CorpusPath("dmvpn", "/etc/swanctl/swanctl.conf", swanctl));
        host.WriteRootFile(Swanctl, text);
        var form = await RunAsync(host);

        var saved = await RunAsync(host, Post(form, "Save"));

        Assert.True(saved.Succeeded, Errors(saved));
        Assert.Equal("Nothing changed.", saved.Descr);
        Assert.Equal(text, host.ReadRootFile(Swanctl));
        Assert.DoesNotContain(host.Audit.ReadAll(), e => e.Action.StartsWith("service", StringComparison.Ordinal));
    }

    // Issue 14: the form wrote `auth = pubkey` on every save, so an admin's psk connection became pubkey. The unchanged
    // save above no longer writes at all; this is the same file with one real edit: only the proposals line changes.
    [Fact]
    public async Task Edit_ProposalsOfAPskConnection_KeepsAuthPskAndChangesOnlyThatLine()
    {
        using var host = Host("spoke.interfaces", "spoke-frr.conf");
        var text = Fixture("spoke-swanctl.conf").Replace("auth = pubkey", "auth = psk");
        host.WriteRootFile(Swanctl, text);
        var saved = await SaveAsync(host, ("ipsec.proposals", "aes256gcm16-prfsha384-ecp384"));

        Assert.True(saved.Succeeded, Errors(saved));
        Assert.Equal(text.Replace("proposals = aes256-sha256-modp2048", "proposals = aes256gcm16-prfsha384-ecp384"),
            host.ReadRootFile(Swanctl));
    }

    [Fact]
    public async Task Edit_Read_ShowsTheHubsValuesFromTheFiles()
    {
        using var host = Host("hub.interfaces", "hub-frr.conf", "hub-swanctl.conf");

        var form = await RunAsync(host);

        Assert.Equal("hub", form.Find("role")!.Text);
        Assert.Equal("172.18.0.1", form.Find("address")!.Text);
        Assert.Equal("eth0", form.Find("tunnel_dev")!.Text);
        Assert.Equal("1", form.Find("nflog_group")!.Text);
        Assert.Equal("65000", form.Find("bgp.asn")!.Text);
        Assert.Equal(["172.18.0.0/16", "10.0.0.0/16"], form.Find("bgp.networks")!.Items);
        Assert.Equal(["172.18.0.2"], form.Find("bgp.peers")!.Items);
        Assert.Equal("172.18.0.0/16", form.Find("bgp.listen_range")!.Text);
        Assert.Equal("aes256gcm16-prfsha384-ecp384", form.Find("ipsec.proposals")!.Text);
        Assert.Equal("dmvpn-ca.pem", form.Find("ipsec.cacert")!.Text);
    }

    [Fact]
    public async Task Edit_DemoSpoke_ReadsBackAndAnUnchangedSaveChangesNothing()
    {
        using var host = ModuleTestHost.Demo();
        var before = host.Keep(Interfaces, Frr, Swanctl);
        var form = await RunAsync(host);

        var saved = await RunAsync(host, Post(form, "Save"));

        Assert.Equal(("spoke", "10.255.0.12"), (form.Find("role")!.Text, form.Find("address")!.Text));
        Assert.Equal(["203.0.113.1", "203.0.113.2"], form.Find("nhs")!.Items);
        Assert.Equal(["10.255.0.1", "10.255.0.2"], form.Find("bgp.peers")!.Items);
        Assert.Equal("Nothing changed.", saved.Descr);
        before.AssertUnchanged();
    }

    [Fact]
    public async Task Edit_ForeignFiles_KeepUnknownLinesCommentsAndOrder()
    {
        using var host = Host("foreign.interfaces", "foreign-frr.conf", "foreign-swanctl.conf");
        var form = await RunAsync(host);

        var saved = await RunAsync(host, Post(form, "Save", ("network_id", "1"), ("nflog_group", "1"),
            ("ipsec.cert", "dmvpn.pem"), ("ipsec.cacert", "dmvpn-ca.pem")));

        Assert.True(saved.Succeeded, Errors(saved));
        Assert.Equal("hub", form.Find("role")!.Text);
        Assert.Equal("172.18.0.9", form.Find("address")!.Text);
        Assert.Equal(Fixture("foreign.interfaces.after"), host.ReadRootFile(Interfaces));
        Assert.Equal(Fixture("foreign-frr.conf.after"), host.ReadRootFile(Frr));
        Assert.Equal(Fixture("foreign-swanctl.conf.after"), host.ReadRootFile(Swanctl));
    }

    [Fact]
    public async Task Edit_SpokeBecomesHub_DropsTheSpokeLinesAndAddsTheHubs()
    {
        using var host = Host("spoke.interfaces", "spoke-frr.conf", "spoke-swanctl.conf");
        var saved = await SaveAsync(host, ("role", "hub"), ("nhs", ""), ("bgp.listen_range", "172.18.0.0/16"));

        Assert.True(saved.Succeeded, Errors(saved));
        var frr = host.ReadRootFile(Frr);
        Assert.DoesNotContain("ip nhrp nhs", frr);
        Assert.Contains(" ip nhrp redirect\n", frr);
        Assert.Contains(" bgp listen range 172.18.0.0/16 peer-group spokes\n", frr);
        Assert.Contains("  neighbor spokes route-reflector-client\n", frr);
        Assert.Contains("  redistribute nhrp\n", frr);
    }

    public static TheoryData<string, string, string> Injections() => new()
    {
        { "interface", "gre1\niface evil inet dhcp", "interface" },
        { "interface", "gre 1", "interface" },
        { "interface", "averyveryverylongname", "interface" },
        { "tunnel_dev", "eth0\tup reboot", "tunnel_dev" },
        { "address", "172.18.1.1\n\tup reboot", "address" },
        { "address", "172.18.1.256", "address" },
        { "address", "172.18.1.1/24", "address" },
        { "network_id", "0", "network_id" },
        { "network_id", "4294967296", "network_id" },
        { "network_id", "1\n!", "network_id" },
        { "holdtime", "65001", "holdtime" },
        { "nhs", "198.51.100.1 !\nrouter ospf", "nhs" },
        { "nhs", "hub{1}.example.com", "nhs" },
        { "nhs", "198.51.100.1\n#x", "nhs" },
        { "bgp.asn", "0", "bgp.asn" },
        { "bgp.asn", "4294967296", "bgp.asn" },
        { "bgp.asn", "65000 vrf x", "bgp.asn" },
        { "bgp.router_id", "1.2.3.4 ! x", "bgp.router_id" },
        { "bgp.networks", "10.1.0.0/16\nexit", "bgp.networks" },
        { "bgp.networks", "10.1.0.1/16", "bgp.networks" },
        { "bgp.networks", "10.1.0.0/33", "bgp.networks" },
        { "bgp.peers", "172.18.0.1 remote-as 1", "bgp.peers" },
        { "ipsec.proposals", "aes256-sha256\n}", "ipsec.proposals" },
        { "ipsec.proposals", "aes256 } evil {", "ipsec.proposals" },
        { "ipsec.proposals", "aes256#x", "ipsec.proposals" },
        { "ipsec.esp_proposals", "aes256=x", "ipsec.esp_proposals" },
        { "ipsec.esp_proposals", "", "ipsec.esp_proposals" },
        { "ipsec.cert", "../../etc/shadow", "ipsec.cert" },
    };

    [Theory]
    [MemberData(nameof(Injections))]
    public async Task Edit_InjectionOrBadValue_RefusedOnItsFieldAndNothingWritten(string field, string value, string errorField)
    {
        using var host = Host();
        var form = await RunAsync(host);
        var before = host.Keep(Interfaces, Frr, Swanctl);

        var saved = await RunAsync(host, Post(form, "Save", [.. Spoke, (field, value)]));

        Assert.False(saved.Succeeded);
        Assert.False(string.IsNullOrEmpty(saved.Find(errorField)!.Errtxt), Errors(saved));
        before.AssertUnchanged();
        Assert.Null(host.Guard.Pending);
    }

    [Fact]
    public async Task Edit_SwanctlChangedSinceRead_ConflictAndTheFilesWrittenBeforeGetTheirTextBack()
    {
        using var host = Host();
        var form = await RunAsync(host);
        var before = host.Keep(Interfaces, Frr, Daemons);
        host.WriteRootFile(Swanctl, Fixture("alpine-swanctl.conf") + "# edited by someone else meanwhile\n");

        var saved = await RunAsync(host, Post(form, "Save", Spoke));

        before.AssertRefused(saved, "changed since it was read");
        Assert.Null(host.Guard.Pending);
    }

    /// <summary>nhrp nflog-group is written for hubs only: a group typed on a spoke's form was dropped while the page
    /// said "saved" (and restarted everything). It is refused on its field, and nothing is written.</summary>
    [Fact]
    public async Task Edit_SpokeWithAnNflogGroup_RefusedOnThatField()
    {
        using var host = ModuleTestHost.Demo();
        var before = host.Keep(Interfaces, Frr, Swanctl);

        var saved = await SaveAsync(host, ("nflog_group", "1"));

        Assert.Equal("spoke", saved.Find("role")!.Text);
        Assert.Equal("Only a hub uses an NFLOG group (it sends the redirects): leave it empty on a spoke.", saved.Find("nflog_group")!.Errtxt);
        before.AssertUnchanged();
    }

    [Fact]
    public async Task Edit_SpokeWithoutHubs_RefusedOnTheHubsField()
    {
        using var host = Host();
        var saved = await SaveAsync(host, [.. Spoke, ("nhs", "")]);

        Assert.Equal("A spoke needs at least one hub.", saved.Find("nhs")!.Errtxt);
    }

    /// <summary>
    /// Issue 18: the GRE stanza the page wrote had no local and remote end; ifupdown-ng's tunnel executor exits 1 for
    /// that already in its dependency phase, so `ifup -a` answered "dependency graph is broken" and brought up no
    /// interface at all. The real ifupdown-ng, without acting (-n), now accepts the hub's and the spoke's file.
    /// </summary>
    [Theory]
    [Trait("Category", "RealTools")]
    [InlineData("hub")]
    [InlineData("spoke")]
    public async Task Edit_RealIfupdownNg_BringsUpTheGeneratedStanza(string role)
    {
        Assert.True(File.Exists("/usr/sbin/ifup"), "scripts/test.sh installs ifupdown-ng");
        using var host = Host();
        var saved = await SaveAsync(host, ValuesOf(role));
        Assert.True(saved.Succeeded, Errors(saved));
        var folder = Directory.CreateTempSubdirectory("acf-ifup-").FullName;
        try
        {
            var file = Path.Combine(folder, "interfaces");
            File.WriteAllText(file, host.ReadRootFile(Interfaces));

            var ifup = new CommandRunner().Run(["ifup", "-n", "-a", "-i", file, "-S", Path.Combine(folder, "state")], null,
                TimeSpan.FromMinutes(1), 1 << 20);

            Assert.True(ifup.Status == 0, ifup.Stderr + ifup.Stdout);
            Assert.Contains("tunnel-remote any", host.ReadRootFile(Interfaces));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    [Trait("Category", "RealTools")]
    public async Task Edit_RealVtysh_AcceptsTheGeneratedSpokeConfig()
    {
        Assert.True(File.Exists("/usr/bin/vtysh"), "scripts/test.sh installs Debian's frr for vtysh -C");
        using var host = Host(realVtysh: true);
        var saved = await SaveAsync(host, Spoke);

        Assert.True(saved.Succeeded, Errors(saved));
        Assert.Contains(host.Audit.ReadAll(), e => e.Action == "validate" && e.Target.StartsWith("vtysh -C -f", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Category", "RealTools")]
    public async Task Edit_RealVtyshRefusesABrokenConfig_NothingWrittenAndVtyshsMessageShown()
    {
        Assert.True(File.Exists("/usr/bin/vtysh"), "scripts/test.sh installs Debian's frr for vtysh -C");
        using var host = Host(realVtysh: true);
        // A line FRR does not know, left in the file by hand: the new file would carry it, so vtysh refuses it.
        host.WriteRootFile(Frr, Fixture("alpine-frr.conf") + "interface eth0\n ip nhrp bogus-option\nexit\n");
        var before = host.Keep(Interfaces, Frr, Swanctl);
        var saved = await SaveAsync(host, Spoke);

        Assert.False(saved.Succeeded);
        Assert.Contains("vtysh refused the new content", saved.Errtxt);
        Assert.Contains("ip nhrp bogus-option", saved.Errtxt);
        before.AssertUnchanged();
        Assert.Null(host.Guard.Pending);
    }
}
