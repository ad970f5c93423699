using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Acf.Tests.Lab;

/// <summary>
/// Three nodes: <c>wan</c> (a client standing for the Internet), <c>router</c> (the box Acf manages) and <c>lan</c>
/// (a web server behind it). Acf's router wizard writes and enables <c>router.json</c> on the router; its apply runs
/// <c>awall translate --verify</c> and <c>awall activate --force</c> in the node, where <c>awall</c> is the lab's
/// stand-in (<c>scripts/lab/fw-bin/awall</c>): it loads the recorded translation of exactly the policy files Acf
/// wrote and refuses any other set. awall is not in Debian; see docs/lab.md ("Firewall").
/// </summary>
public sealed class FirewallLab : NodeLab
{
    public const string RouterWan = "192.0.2.1";
    public const string WanClient = "192.0.2.2";
    public const string RouterLan = "10.1.0.1";
    public const string LanServer = "10.1.0.10";
    public const int ServerPort = 8080;
    public const string Page = "lab page served by the lan node\n";

    /// <summary>The router's own ports that listen (a listener on each, so a refused connection is the firewall's).</summary>
    public static readonly int[] RouterPorts = [22, 443];

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "firewall-lab", name);

    public FirewallLab()
    {
        var clock = Stopwatch.StartNew();
        Start(() =>
        {
            Wan = Network.Node("wan");
            Router = Network.Node("router");
            Lan = Network.Node("lan");
            // The interface names of the wizard's defaults (WAN eth0, LAN eth1), as awall's own test zones name them.
            Network.Link(Router, "eth0", RouterWan + "/24", Wan, "eth0", WanClient + "/24");
            Network.Link(Router, "eth1", RouterLan + "/24", Lan, "eth1", LanServer + "/24");
            Router.Run(["sysctl", "-q", "-w", "net.ipv4.ip_forward=1"]);
            Lan.Run(["ip", "route", "add", "default", "via", RouterLan]);
            // A WAN host that routes the LAN's addresses to the router: it must not reach the LAN past the forward.
            Wan.Run(["ip", "route", "add", "10.1.0.0/24", "via", RouterWan]);

            // The box's awall: its policy folder, the stand-in as /usr/local/sbin/awall (first in Acf's fixed PATH) and
            // the one recorded translation it may load.
            Directory.CreateDirectory(Router.HostPath("/etc/awall/optional"));
            // Copied into the node's own /run first: the node has a fresh /tmp, so a repository under /tmp (a clean
            // clone in `mktemp -d`, as CI has it) is out of its sight.
            Directory.CreateDirectory(Router.HostPath("/run/lab-bin"));
            File.Copy(Path.Combine(UmlLab.ScriptFolder, "fw-bin", "awall"), Router.HostPath("/run/lab-bin/awall"));
            File.SetUnixFileMode(Router.HostPath("/run/lab-bin/awall"), (UnixFileMode)0b111_101_101);
            Router.Run(["mount", "--bind", "/run/lab-bin", "/usr/local/sbin"]);
            Record("router");
            Record("router-https");
            Record("router-admin");
            Router.DeclareInstalled(("awall", "1.14.0-r0"));
            // awall's own service names (http, ssh, ...), which its package installs; Acf reads them through its root.
            Directory.CreateDirectory(Router.HostPath("/usr/share/awall/mandatory"));
            File.Copy(Fixture("awall-services.json"), Router.HostPath("/usr/share/awall/mandatory/services.json"));

            Directory.CreateDirectory(Lan.HostPath("/var/www"));
            File.WriteAllText(Lan.HostPath("/var/www/index.html"), Page);
            Lan.Spawn(["python3", "-m", "http.server", ServerPort.ToString(), "--bind", LanServer, "--directory", "/var/www"]);
            Directory.CreateDirectory(Router.HostPath("/var/www"));
            File.WriteAllText(Router.HostPath("/var/www/index.html"), "the router itself\n");
            foreach (var port in RouterPorts)
                Router.Spawn(["python3", "-m", "http.server", port.ToString(), "--directory", "/var/www"]);
            Lan.WaitListening(ServerPort);
            foreach (var port in RouterPorts) Router.WaitListening(port);
            // Before Acf's change the router has no rules: the WAN reaches its SSH port (so a refusal later is the firewall).
            OpenBefore = RouterPorts.Where(port => Connects(Wan, RouterWan, port)).ToArray();
            return Router;
        }, ConfirmSeconds);
        Acf.TestServices.Add(services => services.AddSingleton<IStartupFilter, LabOrigin>());
        Setup = clock.Elapsed;
    }

    /// <summary>The countdown of Acf's confirm-or-rollback here: the shortest Acf takes; the rollback test waits for it.</summary>
    public const int ConfirmSeconds = 10;

    /// <summary>A recorded translation the stand-in may load: the fixture <c>NAME.rules-save</c> for the policy set
    /// that is the fixture <c>NAME.json</c> as <c>/etc/awall/router.json</c> (the link the wizard makes).</summary>
    private void Record(string name)
    {
        var recording = Router.HostPath("/var/lib/awall-lab/" + name);
        Directory.CreateDirectory(recording);
        var policy = File.ReadAllBytes(Fixture(name + ".json"));
        File.WriteAllText(Path.Combine(recording, "policies"), $"{Convert.ToHexStringLower(SHA256.HashData(policy))}  router.json\n");
        File.Copy(Fixture(name + ".rules-save"), Path.Combine(recording, "rules-save"));
    }

    public LabNode Wan { get; private set; } = null!;

    public LabNode Router { get; private set; } = null!;

    public LabNode Lan { get; private set; } = null!;

    public int[] OpenBefore { get; private set; } = [];

    public TimeSpan Setup { get; }

    /// <summary>The answer of Acf's wizard Apply, once (the first test that needs the firewall up applies it).</summary>
    private JsonElement? _applied;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Runs Acf's router wizard (WAN eth0, LAN eth1 10.1.0.0/24, http forwarded to the LAN server's 8080)
    /// and keeps the change; returns the wizard's answer. Once per class.</summary>
    public async Task<JsonElement> ApplyAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_applied is { } done) return done;
            var client = await Acf.LoggedInClientAsync();
            var answer = await LabAcf.SubmitAsync(client, "awall/wizard/router", Wizard("http"));
            await LabAcf.KeepAsync(client);
            _applied = answer;
            return answer;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The router wizard's values: WAN eth0, LAN eth1 10.1.0.0/24, Acf on 443, ssh from the LAN, and each
    /// service forwarded to the LAN server's web port.</summary>
    public static Dictionary<string, object> Wizard(params string[] services) => new()
    {
        ["wan"] = "eth0", ["lan"] = "eth1", ["lan_net"] = "10.1.0.0/24", ["acf_port"] = 443, ["ssh"] = true,
        ["forwards"] = new Dictionary<string, object>
        {
            ["#"] = services.Length, ["service"] = services, ["to_addr"] = services.Select(_ => LanServer).ToArray(),
            ["to_port"] = services.Select(_ => ServerPort.ToString()).ToArray(),
        },
        ["submit"] = "Apply",
    };

    /// <summary>A client logged in as the first admin whose requests reach Acf from <paramref name="address"/> on
    /// Acf's port 443, as an admin on that node would (Acf's lockout check reads the request's origin).</summary>
    public async Task<HttpClient> AdminFromAsync(string address)
    {
        var client = Acf.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.Add(LabOrigin.Header, address);
        var login = await AcfAppFactory.LoginAsync(client, UserStore.FirstAdmin, AcfAppFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        await AcfAppFactory.AddAntiforgeryHeaderAsync(client);
        return client;
    }

    /// <summary>Acf runs on this machine, its test server has no peer address: a request carrying the header comes, for
    /// Acf, from that address to port 443 (test plumbing only; the kernel's side is probed from the nodes).</summary>
    private sealed class LabOrigin : IStartupFilter
    {
        public const string Header = "X-Acf-Lab-Origin";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, rest) =>
            {
                if (context.Request.Headers.TryGetValue(Header, out var from))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(from.ToString());
                    context.Connection.LocalPort = 443;
                }
                await rest();
            });
            next(app);
        };
    }

    /// <summary>Does a TCP connection from <paramref name="from"/> to address:port get an HTTP answer? A dropped SYN
    /// is given 1 s (between two nodes a connection that is let through is made in well under a millisecond).</summary>
    public static bool Connects(LabNode from, string address, int port) =>
        from.Try(["curl", "-s", "-o", "/dev/null", "--connect-timeout", "1", "-m", "5", $"http://{address}:{port}/"]).Status == 0;

    /// <summary>The targets <paramref name="from"/> reaches, probed side by side (each drop costs its 1 s once).</summary>
    public static string[] Reached(LabNode from, params (string Address, int Port)[] targets)
    {
        var probes = targets.Select(t => Task.Run(() => Connects(from, t.Address, t.Port) ? $"{t.Address}:{t.Port}" : null)).ToArray();
        Task.WaitAll(probes);
        return probes.Select(p => p.Result).OfType<string>().ToArray();
    }

    /// <summary>Stops Acf and the nodes, then fails the class if anything of a node is left: a process in its PID or
    /// mount namespace (the servers, the stand-in's bind mount lives in the latter), its tree, a mount naming it.</summary>
    public override void Dispose()
    {
        var nodes = new[] { Wan, Router, Lan }.OfType<LabNode>()
            .Select(n => (n.Name, n.Tree, n.PidNamespace, n.MountNamespace)).ToList();
        base.Dispose();
        _gate.Dispose();
        var mounts = File.ReadAllText("/proc/self/mountinfo");
        var left = nodes.Where(n => LabNode.ProcessesIn(n.PidNamespace, n.MountNamespace).Count > 0
            || Directory.Exists(n.Tree) || mounts.Contains(n.Tree, StringComparison.Ordinal)).Select(n => n.Name).ToList();
        if (left.Count > 0) throw new InvalidOperationException("Left behind by the firewall lab: " + string.Join(", ", left));
    }
}

[Trait("Category", "Lab")]
public sealed class FirewallLabTests(FirewallLab lab) : IClassFixture<FirewallLab>
{
    [Fact]
    public async Task RouterWizard_AppliedThroughAcf_LoadsTheRecordedTranslationIntoTheKernel()
    {
        var answer = await lab.ApplyAsync();

        // Acf wrote the very policy the recording was made from, and its apply ran the stand-in's verify (iptables-restore
        // --test) and activate (iptables-restore) in the node.
        Assert.Equal(File.ReadAllText(FirewallLab.Fixture("router.json")),
            File.ReadAllText(lab.Router.HostPath("/etc/awall/optional/router.json")));
        Assert.Equal("optional/router.json", new FileInfo(lab.Router.HostPath("/etc/awall/router.json")).LinkTarget);
        Assert.Contains("Verified by awall translate --verify", answer.ToString());
        var kernel = lab.Router.Run(["iptables-save"]);
        Assert.Contains($"-A PREROUTING -i eth0 -p tcp -m tcp --dport 80 -j DNAT --to-destination {FirewallLab.LanServer}:{FirewallLab.ServerPort}", kernel);
        Assert.Contains(":FORWARD DROP", kernel);
    }

    [Fact]
    public async Task PortForward_FromTheWan_ReachesTheLanServer_AndNothingElseGetsIn()
    {
        await lab.ApplyAsync();

        Assert.Equal(FirewallLab.Page, lab.Wan.Run(["curl", "-s", "-m", "5", $"http://{FirewallLab.RouterWan}:80/index.html"]));
        // The router's own listening ports answered the WAN before the change. Now the kernel drops them, a port no
        // forward names, and the LAN server's own address routed past the forward.
        Assert.Equal(FirewallLab.RouterPorts, lab.OpenBefore);
        Assert.Empty(FirewallLab.Reached(lab.Wan, [.. FirewallLab.RouterPorts.Select(port => (FirewallLab.RouterWan, port)),
            (FirewallLab.RouterWan, 8081), (FirewallLab.LanServer, FirewallLab.ServerPort)]));
    }

    [Fact]
    public async Task ExposureAcfShows_IsWhatTheKernelDoes_ForTheWanAndTheLan()
    {
        await lab.ApplyAsync();
        var client = await lab.Acf.LoggedInClientAsync();
        var list = await LabAcf.ReadAsync(client, "awall/policy/list");
        var rows = LabAcf.Field(list, "exposure").EnumerateArray().Select(r => (
            Zone: r.GetProperty("zone").GetString()!, Reaches: r.GetProperty("reaches").GetString()!,
            What: r.GetProperty("what").GetString()!)).ToList();

        // What Acf predicts from the WAN: one port forward, to the LAN server's port, and nothing on the router.
        var wan = rows.Where(r => r.Zone == "WAN").ToList();
        var forward = Assert.Single(wan);
        Assert.Equal($"forward to {FirewallLab.LanServer}:{FirewallLab.ServerPort} (port forward)", forward.Reaches);
        var forwardedPort = Ports(forward.What).Single();
        Assert.DoesNotContain(rows, r => r.Zone is "WAN" or "(any zone)" && r.Reaches == "this router");
        // ... and the kernel: the forwarded port reaches that host; every router port Acf says is closed is.
        Assert.Equal(FirewallLab.Page, lab.Wan.Run(["curl", "-s", "-m", "5", $"http://{FirewallLab.RouterWan}:{forwardedPort}/index.html"]));
        Assert.Empty(FirewallLab.Reached(lab.Wan, [.. FirewallLab.RouterPorts.Select(port => (FirewallLab.RouterWan, port))]));

        // From the LAN Acf says the router's ssh and Acf are reachable (and nothing else of it): so says the kernel.
        var lanToRouter = rows.Where(r => r.Zone == "LAN" && r.Reaches == "this router").SelectMany(r => Ports(r.What)).Order().ToArray();
        Assert.Equal([22, 443], lanToRouter);
        foreach (var port in FirewallLab.RouterPorts)
            Assert.Equal(lanToRouter.Contains(port), FirewallLab.Connects(lab.Lan, FirewallLab.RouterLan, port));
    }

    [Fact]
    public async Task LiveRules_ThroughAcf_AreDebiansIptablesSaveOfTheKernel()
    {
        await lab.ApplyAsync();
        var client = await lab.Acf.LoggedInClientAsync();
        var view = await LabAcf.ReadAsync(client, "awall/rules/view");
        var shown = view.GetProperty("value").GetProperty("ipv4").GetProperty("value").GetString()!;

        // Acf shows what the kernel holds (iptables-save run in the node), the DNAT rule as Debian's iptables prints it.
        Assert.Equal(Rules(lab.Router.Run(["iptables-save"])), Rules(shown));
        Assert.Equal(Rules(File.ReadAllText(FirewallLab.Fixture("router.iptables-save"))), Rules(shown));
        Assert.Contains($"-A PREROUTING -i eth0 -p tcp -m tcp --dport 80 -j DNAT --to-destination {FirewallLab.LanServer}:{FirewallLab.ServerPort}", shown);
    }

    [Fact]
    public async Task APolicySetWithoutARecording_TheStandInRefusesIt_AndAcfPutsTheLinkBack()
    {
        await lab.ApplyAsync();
        var client = await lab.Acf.LoggedInClientAsync();
        var before = lab.Router.Run(["iptables-save"]);

        // Disabling router.json leaves a policy set nothing was recorded for: the stand-in does not pretend to translate it.
        var body = new StringContent(JsonSerializer.Serialize(new { name = "router", submit = "Disable" }),
            System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync("/api/awall/policy/list", body);
        var text = await response.Content.ReadAsStringAsync();

        Assert.False(response.IsSuccessStatusCode, text);
        Assert.Contains("awall translate --verify refused the new policy; nothing was applied.", text);
        Assert.Contains("no recorded translation for the policy set in /etc/awall", text);
        Assert.Equal("optional/router.json", new FileInfo(lab.Router.HostPath("/etc/awall/router.json")).LinkTarget);
        Assert.Equal(Rules(before), Rules(lab.Router.Run(["iptables-save"])));
    }

    [Fact]
    public async Task ASecondForward_NotKept_TheCountdownPutsTheFileAndTheKernelsRulesBack()
    {
        await lab.ApplyAsync();
        var client = await lab.Acf.LoggedInClientAsync();
        var kept = lab.LastSettled;

        // https forwarded too, through the same wizard, and not kept: the stand-in loads its recording, 443 now forwards.
        await LabAcf.SubmitAsync(client, "awall/wizard/router", FirewallLab.Wizard("http", "https"));
        Assert.Equal(File.ReadAllText(FirewallLab.Fixture("router-https.json")),
            File.ReadAllText(lab.Router.HostPath("/etc/awall/optional/router.json")));
        Assert.Equal(FirewallLab.Page, lab.Wan.Run(["curl", "-s", "-m", "5", $"http://{FirewallLab.RouterWan}:443/index.html"]));

        // The countdown: Acf puts router.json back and runs awall activate again (its declared rollback command).
        var deadline = DateTime.UtcNow.AddSeconds(FirewallLab.ConfirmSeconds + 30);
        while (lab.LastSettled == kept)
        {
            Assert.True(DateTime.UtcNow < deadline, "Acf did not roll the change back");
            await Task.Delay(200);
        }
        var rollback = lab.LastSettled!;
        Assert.Equal(Acf.Modules.Apply.ApplyOutcome.RolledBack, rollback.Outcome);
        Assert.Empty(rollback.Failed);
        Assert.Equal(File.ReadAllText(FirewallLab.Fixture("router.json")),
            File.ReadAllText(lab.Router.HostPath("/etc/awall/optional/router.json")));
        Assert.False(FirewallLab.Connects(lab.Wan, FirewallLab.RouterWan, 443), "WAN -> router:443 after the rollback");
        Assert.Equal(FirewallLab.Page, lab.Wan.Run(["curl", "-s", "-m", "5", $"http://{FirewallLab.RouterWan}:80/index.html"]));
        Assert.Equal(Rules(File.ReadAllText(FirewallLab.Fixture("router.iptables-save"))), Rules(lab.Router.Run(["iptables-save"])));
    }

    [Fact]
    public async Task LockoutCheck_ForAnAdminOnTheWan_PredictsWhatTheKernelDoes()
    {
        await lab.ApplyAsync();
        var admin = await lab.AdminFromAsync(FirewallLab.WanClient);
        // The admin works from the WAN node: the wizard keeps Acf open to that address alone (recorded as router-admin).
        await LabAcf.SubmitAsync(admin, "awall/wizard/router", FirewallLab.Wizard("http"));
        await LabAcf.KeepAsync(admin);
        Assert.Equal(File.ReadAllText(FirewallLab.Fixture("router-admin.json")),
            File.ReadAllText(lab.Router.HostPath("/etc/awall/optional/router.json")));
        Assert.Equal([$"{FirewallLab.RouterWan}:443"], FirewallLab.Reached(lab.Wan, (FirewallLab.RouterWan, 443)));

        // The admin removes that filter in the policy editor: Acf predicts the cut and applies nothing ...
        var form = await LabAcf.ReadAsync(admin, "awall/policy/edit?name=router");
        var values = Posted(form);
        var filter = (Dictionary<string, List<string>>)values["filter"];
        var row = filter["src"].IndexOf(FirewallLab.WanClient);
        foreach (var column in filter.Values) column.RemoveAt(row);
        var refused = await PostAsync(admin, "awall/policy/edit", values);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains($"Your connection ({FirewallLab.WanClient} to port 443, zone WAN) would be cut off", refused.Text);
        Assert.Equal(File.ReadAllText(FirewallLab.Fixture("router-admin.json")),
            File.ReadAllText(lab.Router.HostPath("/etc/awall/optional/router.json")));
        Assert.Equal([$"{FirewallLab.RouterWan}:443"], FirewallLab.Reached(lab.Wan, (FirewallLab.RouterWan, 443)));

        // ... and applied anyway, the kernel cuts it as predicted (the file is router.json again, its recording loads).
        values["apply_anyway"] = true;
        var applied = await PostAsync(admin, "awall/policy/edit", values);
        Assert.True(applied.Status == HttpStatusCode.OK, applied.Text);
        await LabAcf.KeepAsync(await lab.Acf.LoggedInClientAsync());
        Assert.Equal(File.ReadAllText(FirewallLab.Fixture("router.json")),
            File.ReadAllText(lab.Router.HostPath("/etc/awall/optional/router.json")));
        Assert.Empty(FirewallLab.Reached(lab.Wan, (FirewallLab.RouterWan, 443)));
    }

    [Fact]
    public void AwallsOwnRecording_PassesIptablesRestoreTest_ButTheKernelRefusesItsUlogRules()
    {
        // awall's own recorded output for its test policies with filter-dnat (mandatory set included), in a fresh network
        // namespace of the router node. awall activate makes its ipsets first; the lab makes the one the rules name.
        File.Copy(FirewallLab.Fixture("awall-test-filter-dnat.rules-save"), lab.Router.HostPath("/var/awall-test.rules-save"), true);
        lab.Router.Run(["ip", "netns", "add", "awall-test"]);
        Acf.Broker.ExecResult test, load;
        try
        {
            string[] inside = ["ip", "netns", "exec", "awall-test"];
            lab.Router.Run([.. inside, "ipset", "create", "awall-masquerade", "hash:net"]);
            test = lab.Router.Try([.. inside, "iptables-restore", "--test", "/var/awall-test.rules-save"]);
            load = lab.Router.Try([.. inside, "iptables-restore", "/var/awall-test.rules-save"]);
        }
        finally
        {
            lab.Router.Run(["ip", "netns", "delete", "awall-test"]);
        }

        Assert.True(test.Status == 0, test.Stderr);
        // iptables-nft's --test does not ask the kernel: the ULOG target (gone from Linux since 3.17) passes it, and
        // only the real load is refused, at the first ULOG rule (line 94).
        Assert.Equal(4, load.Status);
        Assert.Contains("line 94: RULE_APPEND failed (No such file or directory): rule in chain INPUT", load.Stderr);
        Assert.Contains("-A INPUT -m limit --limit 12/minute -j ULOG", File.ReadLines(FirewallLab.Fixture("awall-test-filter-dnat.rules-save")).ElementAt(93));
    }

    private static async Task<(HttpStatusCode Status, string Text)> PostAsync(HttpClient client, string action, Dictionary<string, object> values)
    {
        var body = values.ToDictionary(v => v.Key, v => v.Value is Dictionary<string, List<string>> table ? Records(table) : v.Value);
        var response = await client.PostAsync("/api/" + action, new StringContent(JsonSerializer.Serialize(body),
            System.Text.Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A form's values as the browser posts them back unchanged: texts, lists and switches as they are, a rule
    /// table as its columns (the caller may edit them; <see cref="PostAsync"/> posts them as a table), the button Apply.</summary>
    private static Dictionary<string, object> Posted(JsonElement form)
    {
        var values = new Dictionary<string, object> { ["submit"] = "Apply" };
        foreach (var field in form.GetProperty("value").EnumerateObject())
        {
            if (!field.Value.TryGetProperty("value", out var value)
                || (field.Value.TryGetProperty("readonly", out var readOnly) && readOnly.ValueKind == JsonValueKind.True))
                continue;
            switch (field.Value.GetProperty("type").GetString())
            {
                case "records":
                    var columns = new Dictionary<string, List<string>>();
                    foreach (var r in value.EnumerateArray())
                    foreach (var cell in r.EnumerateObject().Where(c => !c.Name.StartsWith('@')))
                        (columns.TryGetValue(cell.Name, out var list) ? list : columns[cell.Name] = []).Add(cell.Value.GetString() ?? "");
                    values[field.Name] = columns;
                    break;
                case "list":
                    values[field.Name] = value.EnumerateArray().Select(v => v.GetString()).ToArray();
                    break;
                case "structure" or "link":
                    break;
                default:
                    values[field.Name] = value;
                    break;
            }
        }
        return values;
    }

    private static Dictionary<string, object> Records(Dictionary<string, List<string>> columns)
    {
        var table = new Dictionary<string, object> { ["#"] = columns.Values.FirstOrDefault()?.Count ?? 0 };
        foreach (var (name, cells) in columns) table[name] = cells.ToArray();
        return table;
    }

    /// <summary>The TCP/UDP ports an exposure row names, e.g. 'http (tcp/80)'.</summary>
    private static IEnumerable<int> Ports(string what) =>
        Regex.Matches(what, @"(?:tcp|udp)/(\d+)").Select(m => int.Parse(m.Groups[1].Value));

    /// <summary>iptables-save's text without its comment lines (they carry the time) and packet counters.</summary>
    private static string[] Rules(string text) => text.Split('\n')
        .Where(line => line.Length > 0 && !line.StartsWith('#'))
        .Select(line => Regex.Replace(line, @"\[\d+:\d+\]$", "[0:0]")).ToArray();
}
