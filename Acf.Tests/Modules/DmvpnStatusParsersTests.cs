namespace Acf.Tests.Modules;

/// <summary>
/// nhrpcache.lua, bgpsummary.lua, swanctlsas.lua and toolresult.lua on recorded outputs of FRR 8.4 and strongSwan 5.9
/// (<c>modules-lua/dmvpn/fixtures/_parser/status</c>, see its README), run in the sandbox through a probe module: the chunk gets the
/// recording's stdout, stderr and exit status and returns the parsed rows as text, one row per line, cells in column
/// order joined with " | ".
/// </summary>
public class DmvpnStatusParsersTests
{
    private const string Manifest = """
        { "title": "status probe", "roles": { "GUEST": [ "probe/run" ] }, "capabilities": { } }
        """;

    private const string Controller = """
        local M = {}
        local libs = { nhrpcache = require("nhrpcache"), bgpsummary = require("bgpsummary"),
          swanctlsas = require("swanctlsas"), toolresult = require("toolresult") }
        local function rows(list, columns)
          local out = {}
          for _, row in ipairs(list) do
            local cells = {}
            for _, column in ipairs(columns) do cells[#cells + 1] = tostring(row[column]) end
            out[#out + 1] = table.concat(cells, " | ")
          end
          return table.concat(out, "\n")
        end
        function M.run(ctx, input)
          local env = setmetatable({ stdout = input.stdout, stderr = input.stderr, status = math.tointeger(tonumber(input.status)),
            rows = rows }, { __index = function(_, k) return libs[k] or _G[k] end })
          return { type = "longtext", value = tostring(assert(load(input.code, "=probe", "t", env))()) }
        end
        return M
        """;

    private static readonly ModuleFixtureFiles Files = new("dmvpn", "status");

    private static string Read(string name) => File.Exists(Files.PathOf(name)) ? Files.Text(name) : "";

    private static async Task<string> RunAsync(string recording, string code)
    {
        using var host = new ModuleTestHost();
        host.AddModule("probe", Manifest, ("probe", Controller));
        host.CopyLibrariesOf("dmvpn", "probe");
        var status = Read(recording + ".rc").Trim();
        return (await host.RunOkAsync(ModuleTestHost.Guest, "probe", "probe", "run", new ModuleInput(
            new Dictionary<string, IReadOnlyList<string>>
            {
                ["stdout"] = [Read(recording + ".out")], ["stderr"] = [Read(recording + ".err")],
                ["status"] = [status == "" ? "0" : status], ["code"] = [code],
            }))).Text ?? "";
    }

    /// <summary>Runs <paramref name="code"/> on <paramref name="recording"/> and asserts that it returns exactly
    /// <paramref name="lines"/>, joined with line feeds.</summary>
    private static async Task AssertOutputAsync(string recording, string code, params string[] lines) =>
        Assert.Equal(string.Join("\n", lines), await RunAsync(recording, code));

    private const string Nhrp = "local p = nhrpcache.parse(stdout) return rows(p.rows, nhrpcache.COLUMNS) .. '\\n#' .. table.concat(p.notes, '/')";

    [Fact]
    public async Task NhrpParse_Spoke_GivesEveryEntryWithFlagsAndIdentity()
    {
        await AssertOutputAsync("nhrp-spoke", Nhrp,
            "gre1 | local | 10.255.0.12 | 198.51.100.12 | 198.51.100.12 |  | -",
            "gre1 | nhs | 10.255.0.1 | 203.0.113.1 | 203.0.113.1 | used, timeout | hub1.example.net",
            "gre1 | nhs | 10.255.0.2 | 203.0.113.2 | 203.0.113.2 | timeout | hub2.example.net",
            "gre1 | dynamic | 10.255.0.13 | 192.0.2.13 | 192.0.2.13 | used, timeout | spoke13.example.net",
            "gre1 | dynamic | 10.255.0.14 | 100.64.7.20 | 10.1.7.20 | timeout | spoke14.example.net",
            "gre1 | incomplete | 10.255.0.15 | - | - |  | -",
            "#");
    }

    /// <summary>FRR 8.4.4's nhrpd on the lab's DMVPN hub (docs/lab.md), with two spokes registered over IPsec: the
    /// real cache, not one composed from the format string.</summary>
    [Fact]
    public async Task NhrpParse_LabHub_GivesTheSpokesRegistrationsUnderTheirIkeIdentities()
    {
        await AssertOutputAsync("nhrp-lab-hub", Nhrp,
            "gre1 | dynamic | 172.18.2.1 | 192.0.2.12 | 192.0.2.12 | timeout, auth | 192.0.2.12",
            "gre1 | local | 172.18.0.1 | 192.0.2.1 | 192.0.2.1 |  | -",
            "gre1 | dynamic | 172.18.1.1 | 192.0.2.11 | 192.0.2.11 | timeout, auth | 192.0.2.11",
            "#");
    }

    [Fact]
    public async Task NhrpParse_OddLines_KeepsSpacesInIdentityWideColumnsAndReportsStrangers()
    {
        await AssertOutputAsync("nhrp-odd", Nhrp,
            "gre1 | dynamic | 10.255.0.21 | 198.51.100.21 | 198.51.100.21 | used, timeout, auth | C=FI, O=Example Oy, CN=spoke21",
            "gre-dmvpn0 | cached | 10.255.0.22 | 2001:db8:1234:5678:9abc:def0:1234:5678 | 2001:db8:1234:5678:9abc:def0:1234:5678 | used, auth | spoke22",
            "gre1 | negative | 10.255.0.23 | - | - |  | -",
            "#  this line is not from nhrpd");
    }

    [Theory]
    [InlineData("nhrp-no-entries")]
    [InlineData("swanctl-empty")]
    public async Task NhrpParse_NoEntries_NoRowsNoNotes(string recording)
    {
        await AssertOutputAsync(recording, Nhrp, "\n#");
    }

    private const string Failure = "return tostring(toolresult.failure(TOOL, { status = status, stdout = stdout, stderr = stderr }))";

    [Theory]
    [InlineData("nhrp-nhrpd-not-running", "vtysh", "vtysh failed (exit status 1): nhrpd is not running")]
    [InlineData("vtysh-no-daemons", "vtysh", "vtysh failed (exit status 1): Exiting: failed to connect to any daemons.")]
    [InlineData("swanctl-charon-not-running", "swanctl", "swanctl failed (exit status 2): Error: connecting to 'default' URI failed: No such file or directory")]
    [InlineData("nhrp-no-entries", "vtysh", "nil")]
    [InlineData("swanctl-empty", "swanctl", "nil")]
    public async Task Failure_RecordedRun_SaysWhatWentWrong(string recording, string tool, string expected)
    {
        await AssertOutputAsync(recording, Failure.Replace("TOOL", $"'{tool}'"), expected);
    }

    [Fact]
    public async Task Failure_DebianPluginNoise_IsSkipped()
    {
        await AssertOutputAsync("none", """
            return toolresult.failure("swanctl", { status = 2, stdout = "", stderr =
              "plugin 'ldap': failed to load - ldap_plugin_create not found and no plugin file available\nconnecting to 'unix:///var/run/charon.vici' failed: No such file or directory\n" })
            """,
            "swanctl failed (exit status 2): connecting to 'unix:///var/run/charon.vici' failed: No such file or directory");
    }

    [Fact]
    public async Task Failure_MissingToolTimeoutOrBrokerRefusal_SaysSo()
    {
        await AssertOutputAsync("none", """
            return toolresult.failure("vtysh", { status = 127, stdout = "", stderr = "vtysh: command not found" }) .. "/"
              .. toolresult.failure("vtysh", { status = -1, stdout = "", stderr = "", timed_out = true }) .. "/"
              .. toolresult.failure("vtysh", nil, "no such thing") .. "/"
              .. toolresult.failure("vtysh", { status = 3, stdout = "", stderr = "" })
            """,
            "vtysh is not installed on this host./vtysh did not answer in time./vtysh could not be run: no such thing/"
            + "vtysh failed (exit status 3).");
    }

    private const string Bgp = """
        local p = bgpsummary.parse(stdout)
        local routers = {}
        for _, r in ipairs(p.routers) do routers[#routers + 1] = r.family .. "=" .. r.router_id .. "/" .. r.local_as end
        return rows(p.rows, bgpsummary.COLUMNS) .. "\n#" .. table.concat(routers, ";") .. "#" .. table.concat(p.messages, ";")
          .. "#" .. table.concat(p.notes, ";")
        """;

    [Fact]
    public async Task BgpParse_Spoke_GivesEstablishedAndActivePeers()
    {
        await AssertOutputAsync("bgp-summary-spoke", Bgp,
            "IPv4 Unicast | 10.255.0.1 | 65000 | Established | 00:01:34 | 1 | 1 | 14 | 13 | hub1",
            "IPv4 Unicast | 10.255.0.2 | 65000 | Active | never |  | 0 | 0 | 0 | hub2",
            "#IPv4 Unicast=10.255.0.12/65000##");
    }

    [Fact]
    public async Task BgpParse_HubWithDynamicNeighbour_MarksItAndIgnoresTheFooter()
    {
        await AssertOutputAsync("bgp-summary-hub-dynamic", Bgp,
            "IPv4 Unicast | 10.255.0.12 (dynamic) | 65000 | Established | 00:01:34 | 1 | 2 | 13 | 14 | ",
            "#IPv4 Unicast=10.255.0.1/65000##");
    }

    [Fact]
    public async Task BgpParse_OddPeers_KeepsIdleAdminIpv6AndBothFamilies()
    {
        await AssertOutputAsync("bgp-summary-odd", Bgp,
            "IPv4 Unicast | 10.255.0.1 | 65000 | Established | 00:01:41 | 1 | 1 | 15 | 14 | hub1",
            "IPv4 Unicast | 10.255.0.2 | 65000 | Idle (Admin) | never |  | 0 | 0 | 0 | hub2",
            "IPv4 Unicast | 2001:db8:ffff::1 | 65001 | Active | never |  | 0 | 0 | 0 | upstream transit,",
            "IPv6 Unicast | 2001:db8:ffff::1 | 65001 | Active | never |  | 0 | 0 | 0 | upstream transit,",
            "#IPv4 Unicast=10.255.0.12/65000;IPv6 Unicast=10.255.0.12/65000##");
    }

    [Theory]
    [InlineData("bgp-summary-no-instance", "\n##BGP instance not found#")]
    [InlineData("bgp-summary-no-neighbors", "\n##No BGP neighbors found in VRF default#")]
    [InlineData("vtysh-no-daemons", "\n###")]
    public async Task BgpParse_NoPeers_NoRowsAndTheMessage(string recording, string expected)
    {
        await AssertOutputAsync(recording, Bgp, expected);
    }

    [Fact]
    public async Task BgpParse_LocalAsColumnAndStrangeRow_ReadsPastItAndReportsTheStranger()
    {
        await AssertOutputAsync("none", """
            stdout = "\nIPv4 Unicast Summary (VRF default):\n"
              .. "Neighbor        V         AS    LocalAS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc\n"
              .. "192.0.2.1       4      65010      64999       120       118        0    0    0 01:58:03            7        3 N/A\n"
              .. "garbage here\n"
            """ + "\n" + Bgp,
            "IPv4 Unicast | 192.0.2.1 | 65010 | Established | 01:58:03 | 7 | 3 | 120 | 118 | ",
            "###garbage here");
    }

    private const string Sas = """
        local p = swanctlsas.parse(stdout)
        return rows(p.ike, { "name", "state", "local", "remote", "algorithms", "established", "children" }) .. "\n--\n" .. rows(p.children, swanctlsas.CHILD_COLUMNS)
          .. "\n#" .. table.concat(p.notes, ";")
        """;

    [Fact]
    public async Task SasParse_Spoke_GivesIkeAndChildSasWithTraffic()
    {
        await AssertOutputAsync("swanctl-spoke", Sas,
            "dmvpn #3 | ESTABLISHED | 'spoke12.example.net' @ 198.51.100.12 | 'hub1.example.net' @ 203.0.113.1 | AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_3072 | 42m 11s ago | 1",
            "dmvpn #4 | ESTABLISHED | 'spoke12.example.net' @ 198.51.100.12 | 'hub2.example.net' @ 203.0.113.2 | AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_3072 | 42m 9s ago | 1",
            "dmvpn #7 | ESTABLISHED | 'spoke12.example.net' @ 198.51.100.12[4500] | 'spoke14.example.net' @ 100.64.7.20[4500] | AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_3072 | 5m 12s ago | 1",
            "--",
            "dmvpn #3 | dmvpn #5 | INSTALLED | TRANSPORT | c6a89c25 | 48213 | 612 | c4838acd | 51877 | 640 | 198.51.100.12/32[gre] | 203.0.113.1/32[gre]",
            "dmvpn #4 | dmvpn #6 | INSTALLED | TRANSPORT | c9e1f402 | 11840 | 148 | c2b7d5a0 | 12602 | 151 | 198.51.100.12/32[gre] | 203.0.113.2/32[gre]",
            "dmvpn #7 | dmvpn #9 | INSTALLED | TRANSPORT-in-UDP | cb03e7a1 | 4212 | 37 | c05d8e92 | 3980 | 35 | 198.51.100.12/32[gre] | 100.64.7.20/32[gre]",
            "#");
    }

    /// <summary>strongSwan 5.9.8's swanctl on the lab's spoke 1 (docs/lab.md): two IKE SAs over NAT-T's port after
    /// MOBIKE, each with its installed transport-mode CHILD SA for GRE, one with traffic (and its last-use time).</summary>
    [Fact]
    public async Task SasParse_LabSpoke_GivesBothSasAndTheirTraffic()
    {
        await AssertOutputAsync("swanctl-lab-spoke", Sas,
            "lab-spoke2 #3 | ESTABLISHED | '192.0.2.11' @ 192.0.2.11[4500] | '192.0.2.12' @ 192.0.2.12[4500] | AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048 | 20s ago | 1",
            "lab-hub #1 | ESTABLISHED | '192.0.2.11' @ 192.0.2.11[4500] | '192.0.2.1' @ 192.0.2.1[4500] | AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048 | 2m 59s ago | 1",
            "--",
            "lab-spoke2 #3 | lab-spoke2 #3 | INSTALLED | TRANSPORT | c54d2abd | 0 | 0 | c324b618 | 0 | 0 | 192.0.2.11/32[gre] | 192.0.2.12/32[gre]",
            "lab-hub #1 | lab-hub #1 | INSTALLED | TRANSPORT | c27e23ba | 3453 | 35 | c31ad2fd | 2806 | 36 | 192.0.2.11/32[gre] | 192.0.2.1/32[gre]",
            "#");
    }

    [Fact]
    public async Task SasParse_IkeOnlyRecorded_GivesTheIkeSaAndNoChild()
    {
        await AssertOutputAsync("swanctl-ike-only", Sas,
            "dmvpn #2 | ESTABLISHED | 'spoke12.example.net' @ 198.51.100.12 | 'hub1.example.net' @ 203.0.113.1 | AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_3072 | 48s ago | 0",
            "--", "", "#");
    }

    [Fact]
    public async Task SasParse_OddLines_ConnectingSaDnIdentitiesMarksAndStrangers()
    {
        await AssertOutputAsync("swanctl-odd", Sas,
            "dmvpn #11 | CONNECTING | '%any' @ 198.51.100.12 | '%any' @ 192.0.2.13 |  |  | 0",
            "dmvpn #12 | ESTABLISHED | 'C=FI, O=Example Oy, CN=spoke12' @ 198.51.100.12 | 'C=FI, O=Example Oy, CN=hub1' @ 203.0.113.1 | AES_GCM_16-256/PRF_HMAC_SHA2_256/ECP_256 | 1d 1h ago | 1",
            "--",
            "dmvpn #12 | dmvpn #21 | INSTALLED | TRANSPORT | c1d2e3f4 | 0 | 0 | c5d6e7f8 | 880 | 10 | 198.51.100.12/32[gre] 198.51.100.12/32[udp/4789] | 203.0.113.1/32[gre]",
            "#this is not a swanctl line");
    }
}
