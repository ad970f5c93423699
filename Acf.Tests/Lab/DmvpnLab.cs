namespace Acf.Tests.Lab;

/// <summary>One box of the lab's DMVPN: its node name and addresses (on the "internet" link, in the tunnel, on its LAN).</summary>
public sealed record DmvpnBox(string Name, string Wan, string Tunnel, string Lan, string LanPrefix);

/// <summary>
/// A DMVPN of user-mode-linux nodes (docs/lab.md): a hub and two spokes on one "internet" link, each with its own Acf
/// (Alpine mode, the node's folder as root, every command run in the node). What the lab writes itself is the box's
/// base, as an installer would leave it: eth0 and a LAN (a dummy link) in /etc/network/interfaces, ip_forward and the
/// NFLOG rule for NHRP redirects on the hub (<see cref="RedirectRule"/>: on Alpine awall's dmvpn-hub policy writes it),
/// and explicit IKE initiators: each spoke's to the hub, and spoke 1's to spoke 2 (<see cref="Initiator"/>: Debian's
/// charon cannot set up the SAs nhrpd asks for). Everything of the DMVPN itself (the GRE stanza, nhrpd and bgpd in frr.conf, FRR's
/// daemons file, the dmvpn connection and its pre-shared key in swanctl.conf, the restarts) is Acf's, through its API.
/// </summary>
public class DmvpnLab : IAsyncLifetime
{
    public const string Key = "lab-dmvpn-key-4f1c0b9e";
    public const int ConfirmSeconds = 60;

    /// <summary>The hub's NFLOG group for NHRP redirects, set through Acf's hub form (nhrp nflog-group).</summary>
    public const int NflogGroup = 1;

    public static readonly DmvpnBox Hub = new("hub", "192.0.2.1", "172.18.0.1", "10.0.0.1", "10.0.0.0/24");
    public static readonly DmvpnBox Spoke1 = new("spoke1", "192.0.2.11", "172.18.1.1", "10.1.0.1", "10.1.0.0/24");
    public static readonly DmvpnBox Spoke2 = new("spoke2", "192.0.2.12", "172.18.2.1", "10.2.0.1", "10.2.0.0/24");

    /// <summary>The password of the PKCS#12 bundles the certificate variant imports through Acf.</summary>
    private const string BundlePassword = "lab-bundle-pw";

    public DmvpnLab() : this([Hub, Spoke1, Spoke2], certificates: false)
    {
    }

    /// <summary>A DMVPN of these boxes (the hub first); with certificates, each box imports its own PKCS#12 bundle
    /// through Acf and authenticates with it instead of the pre-shared key.</summary>
    protected DmvpnLab(DmvpnBox[] boxes, bool certificates)
    {
        Boxes = boxes;
        Spokes = boxes[1..];
        Certificates = certificates;
    }

    public IReadOnlyList<DmvpnBox> Boxes { get; }

    public IReadOnlyList<DmvpnBox> Spokes { get; }

    public bool Certificates { get; }

    /// <summary>Whether the lab has the two spokes a shortcut between spokes needs.</summary>
    private bool BothSpokes => Spokes.Contains(Spoke2);

    /// <summary>The IKE identity a box authenticates with: its certificate's subject, or (pre-shared key) its address.</summary>
    public string Identity(DmvpnBox box) => Certificates ? $"CN={box.Name}.dmvpn.lab" : box.Wan;

    private readonly Dictionary<string, AcfAppFactory> _acf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    public UmlLab Lab { get; private set; } = null!;

    /// <summary>How long each phase took (boot, configure, SAs, NHRP and BGP), for docs/lab.md and the report.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Timings { get; } = new();

    public UmlNode Node(DmvpnBox box) => Lab[box.Name];

    public HttpClient Client(DmvpnBox box) => _clients[box.Name];

    public async Task InitializeAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Lab = UmlLab.Boot([.. Boxes.Select(b => new UmlNodeSpec(b.Name, "internet"))]);
        Timings.Enqueue($"boot {clock.Elapsed.TotalSeconds:F0} s");
        foreach (var box in Boxes)
        {
            WriteBase(box);
            _acf[box.Name] = LabAcf.For(Node(box), ConfirmSeconds);
        }
        // The base comes up as the box boots: its eth0 and LAN (ifupdown-ng, as Alpine's networking service runs it).
        foreach (var box in Boxes) Node(box).Must("ifup", "-a");
        Node(Hub).Must("sysctl", "-w", "net.ipv4.ip_forward=1");
        if (BothSpokes) AddRedirectRule();
        using var pki = Certificates ? new Crypto.TestPki() : null;

        // Each box is saved once through its Acf's hub or spoke form, and the change kept; the boxes side by side.
        await Task.WhenAll(Boxes.Select(async box =>
        {
            // A save restarts networking, frr and strongswan in a slow node: minutes, not HttpClient's 100 s.
            var client = _acf[box.Name].CreateBrowserLikeClient();
            client.Timeout = TimeSpan.FromMinutes(8);
            var login = await AcfAppFactory.LoginAsync(client, Acf.Modules.Roles.UserStore.FirstAdmin, AcfAppFactory.AdminPassword);
            Assert.Equal(System.Net.HttpStatusCode.Redirect, login.StatusCode);
            await AcfAppFactory.AddAntiforgeryHeaderAsync(client);
            _clients[box.Name] = client;
            // The certificate variant: the box's bundle (its key, its certificate and the CA) imported on Acf's
            // Certificates page, then named on the hub or spoke form.
            if (pki != null) await ImportBundleAsync(box, pki.IssuePfx($"{box.Name}.dmvpn.lab", System.Net.IPAddress.Parse(box.Wan), BundlePassword));
            var saving = System.Diagnostics.Stopwatch.StartNew();
            await SaveAsync(box, Certificates ? "" : Key);
            Timings.Enqueue($"{box.Name} saved in {saving.Elapsed.TotalSeconds:F0} s");
            await KeepAsync(box);
        }));
        Timings.Enqueue($"configured through Acf {clock.Elapsed.TotalSeconds:F0} s");

        // Each spoke's initiator to the hub, added now that every save has returned and the hub has loaded Acf's dmvpn
        // connection: started earlier, with the spokes' own saves, it met a hub without that connection, got
        // NO_PROPOSAL_CHOSEN, which ends a start_action=start initiator for good, and needed a restart of charon, which
        // left stale duplicate SAs on the hub. Loaded into the running charon, it starts once, towards a hub that answers.
        // Spoke 1 also starts the SA to spoke 2 that a shortcut between them needs (spoke 2 answers with Acf's dmvpn
        // connection, as the hub does): on Alpine nhrpd would ask charon for it when it resolves spoke 2.
        Parallel.ForEach(Spokes, spoke =>
        {
            var conf = Path.Combine(Node(spoke).Root, "etc", "swanctl", "conf.d");
            File.WriteAllText(Path.Combine(conf, "lab-hub.conf"), Initiator("lab-hub", spoke, Hub));
            if (spoke == Spoke1 && BothSpokes) File.WriteAllText(Path.Combine(conf, "lab-spoke2.conf"), Initiator("lab-spoke2", spoke, Spoke2));
            Node(spoke).Must("swanctl", "--load-all", "--noprompt");
        });
        foreach (var spoke in Spokes) WaitFor(() => SaUp(spoke), $"{spoke.Name}'s IKE and CHILD SA with the hub");
        if (BothSpokes) WaitFor(() => SaUp(Spoke1, Spoke2), "spoke1's IKE and CHILD SA with spoke2");
        Timings.Enqueue($"IKE and CHILD SAs {clock.Elapsed.TotalSeconds:F0} s");
        RelistSas();
        foreach (var spoke in Spokes) WaitFor(() => Registered(spoke), $"{spoke.Name}'s NHRP registration on the hub");
        Timings.Enqueue($"NHRP registrations {clock.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>The hub or spoke form, saved with these values (a spoke's hub is the hub's internet address).</summary>
    public async Task<JsonElement> SaveAsync(DmvpnBox box, string key)
    {
        var hub = box == Hub;
        return await LabAcf.SubmitAsync(Client(box), "dmvpn/config/edit", new
        {
            role = hub ? "hub" : "spoke",
            @interface = "gre1",
            tunnel_dev = "eth0",
            address = box.Tunnel,
            network_id = "1",
            nhs = hub ? Array.Empty<string>() : [Hub.Wan],
            nflog_group = hub ? NflogGroup.ToString(System.Globalization.CultureInfo.InvariantCulture) : "",
            bgp = new
            {
                asn = "65000",
                networks = hub ? ["172.18.0.0/16", box.LanPrefix] : new[] { box.LanPrefix },
                peers = hub ? Array.Empty<string>() : [Hub.Tunnel],
                listen_range = hub ? "172.18.0.0/16" : "",
            },
            ipsec = new
            {
                proposals = "aes256-sha256-modp2048",
                esp_proposals = "aes256-sha256",
                cert = Certificates ? box.Name + ".pem" : "",
                cacert = Certificates ? box.Name + "-ca.pem" : "",
                psk = key,
            },
            submit = "Save",
        });
    }

    /// <summary>
    /// The last change the box's Acf kept or rolled back (its confirm-or-rollback guard): the guard records a rollback
    /// only once every step has run, the files put back and the services restarted, and lists the steps that failed.
    /// </summary>
    /// <summary>The box's PKCS#12 bundle, imported on Acf's Certificates page as NAME.pem and NAME-ca.pem.</summary>
    private async Task ImportBundleAsync(DmvpnBox box, byte[] pfx)
    {
        var done = await LabAcf.SubmitAsync(Client(box), "dmvpn/certs/edit", new
        {
            name = box.Name, bundle = Convert.ToBase64String(pfx), password = BundlePassword, submit = "Import",
        });
        Assert.Contains($"Imported CN={box.Name}.dmvpn.lab", done.GetProperty("descr").GetString() ?? done.ToString());
    }

    public Acf.Modules.Apply.SettledApply? LastSettled(DmvpnBox box) => LabAcf.LastSettled(_acf[box.Name]);

    public Task KeepAsync(DmvpnBox box) => LabAcf.KeepAsync(Client(box));

    /// <summary>
    /// nhrpd learns the SAs charon has only when it (re)connects to charon's vici socket (it lists them then): the
    /// events it subscribes to for SAs that come and go (child-state-installed, -destroying) are Alpine's patch of
    /// strongSwan, which Debian's charon refuses ("invalid registration"). Acf restarts frr before strongswan, so
    /// nhrpd connects before the explicit initiators have set the SAs up; restarting frr once they are up lets it see
    /// them (the hub first: it answers a spoke's registration only over an SA it knows).
    /// </summary>
    public void RelistSas()
    {
        Node(Hub).Must("rc-service", "frr", "restart");
        Parallel.ForEach(Spokes, spoke => Node(spoke).Must("rc-service", "frr", "restart"));
    }

    /// <summary>Both ends say the spoke's IKE SA with the hub (or another box) is ESTABLISHED and its transport-mode
    /// CHILD SA INSTALLED.</summary>
    public bool SaUp(DmvpnBox spoke, DmvpnBox? peer = null)
    {
        peer ??= Hub;
        return HasSa(spoke, peer) && HasSa(peer, spoke);
    }

    private bool HasSa(DmvpnBox at, DmvpnBox peer)
    {
        // swanctl --list-sas prints an IKE SA's head ("dmvpn: #3, ESTABLISHED, IKEv2, ..."), then indented its local and
        // remote ends ("  remote '<identity>' @ B[500]", port 4500 once an initiator's MOBIKE moved it) and its CHILD SAs, up to the next head.
        var lines = Node(at).Run("swanctl", "--list-sas").Stdout.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0 || lines[i][0] == ' ' || !lines[i].Contains("ESTABLISHED", StringComparison.Ordinal)) continue;
            var end = i + 1;
            while (end < lines.Length && lines[end].StartsWith(' ')) end++;
            var sa = string.Join('\n', lines[i..end]);
            var remote = lines[(i + 1)..end].Any(line => line.TrimStart().StartsWith("remote ", StringComparison.Ordinal)
                && System.Text.RegularExpressions.Regex.IsMatch(line, $@" @ {System.Text.RegularExpressions.Regex.Escape(peer.Wan)}\[\d+\]$"));
            if (remote && sa.Contains("INSTALLED, TRANSPORT", StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>
    /// The spoke is registered, seen from both ends: the hub's nhrpd has the spoke's dynamic registration bound to the
    /// spoke's IKE identity, and the spoke's nhrpd has the hub as its next hop server, bound to the hub's. The hub
    /// records a registration in its cache before it answers, and it answers only over an SA it knows (FRR's
    /// nhrp_peer_send drops a packet to a peer that is not "online"): a registration seen on the hub alone is no
    /// registration, and the spoke then ends its own IKE SA (docs/lab.md, The DMVPN). The identity column is the
    /// SA's; it is "-" where nhrpd knows no SA with the peer.
    /// </summary>
    public bool Registered(DmvpnBox spoke) =>
        HasCacheEntry(Hub, "dynamic", spoke) && HasCacheEntry(spoke, "nhs", Hub);

    private bool HasCacheEntry(DmvpnBox at, string type, DmvpnBox peer)
    {
        var cache = Node(at).Run("vtysh", "-c", "show ip nhrp cache").Stdout;
        // The identity is the rest of the line (a certificate's subject may hold spaces).
        return cache.Split('\n').Any(line =>
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return words.Length >= 6 && words[1] == type && words[2] == peer.Tunnel && words[3] == peer.Wan
                && line.TrimEnd().EndsWith(" " + Identity(peer), StringComparison.Ordinal);
        });
    }

    /// <summary>
    /// Waits for the daemons to reach a state (IKE, NHRP and BGP converge over many seconds on a slow node); on the
    /// deadline, fails with what the nodes' daemons said.
    /// </summary>
    public void WaitFor(Func<bool> condition, string what, int seconds = 150) =>
        // Each look runs swanctl or vtysh in the nodes, which costs them dearly: every 2 s is enough.
        LabWait.Until(condition, what, seconds, TimeSpan.FromSeconds(2), Diagnostics);

    /// <summary>What the daemons of every node say, for a failure's message.</summary>
    public string Diagnostics()
    {
        var text = new System.Text.StringBuilder();
        foreach (var box in Boxes)
        {
            var node = Node(box);
            foreach (var argv in (string[][])[["swanctl", "--list-sas"], ["vtysh", "-c", "show ip nhrp cache"],
                         ["vtysh", "-c", "show bgp summary"], ["ip", "-d", "addr"], ["ip", "route"],
                         ["tail", "-n", "30", "/var/log/messages"], ["tail", "-n", "20", "/var/log/frr.log"]])
            {
                var result = node.Run(argv);
                text.Append($"--- {box.Name}: {string.Join(' ', argv)} ({result.Status})\n{result.Stdout}{result.Stderr}");
            }
        }
        return text.ToString();
    }

    /// <summary>The box's own base, before Acf: eth0 on the internet link and its LAN.</summary>
    private void WriteBase(DmvpnBox box)
    {
        var etc = Path.Combine(Node(box).Root, "etc");
        File.WriteAllText(Path.Combine(etc, "network", "interfaces"), $"""
            auto lo
            iface lo inet loopback

            auto eth0
            iface eth0 inet static
            	address {box.Wan}/24

            auto lan0
            iface lan0 inet static
            	link-type dummy
            	address {box.Lan}/24

            """);
        if (Environment.GetEnvironmentVariable("ACF_LAB_LOGS") is { Length: > 0 }) File.WriteAllText(Path.Combine(etc, "lab-debug"), "");
    }

    /// <summary>
    /// An IKE initiator from a spoke to another box, outside Acf. On Alpine nhrpd asks charon over vici for the SA to
    /// each peer it needs (its patched strongSwan takes the addresses nhrpd names); Debian's charon answers "unable to
    /// resolve %any" for the dmvpn connection, which names no remote address. So the spoke starts its SA to the hub (and
    /// spoke 1 its SA to spoke 2) itself: the same proposals, transport mode for GRE, and the spoke's credentials that
    /// Acf wrote (the pre-shared key of the secrets, ike-dmvpn names no identity so it is every connection's; or the
    /// certificate imported through Acf, the peer checked against the same CA). Dead peer detection ends an SA whose
    /// peer's charon restarted (the rollback test restarts spoke 2's), so that a new one can be started.
    /// </summary>
    public string Initiator(string name, DmvpnBox spoke, DmvpnBox remote)
    {
        var (local, peer) = Certificates
            ? ($"auth = pubkey\n\t\t\tcerts = {spoke.Name}.pem", $"auth = pubkey\n\t\t\tcacerts = {spoke.Name}-ca.pem")
            : ("auth = psk", "auth = psk");
        return $$"""
            connections {
            	{{name}} {
            		version = 2
            		remote_addrs = {{remote.Wan}}
            		proposals = aes256-sha256-modp2048
            		dpd_delay = 5s
            		local {
            			{{local}}
            		}
            		remote {
            			{{peer}}
            		}
            		children {
            			{{name}} {
            				mode = transport
            				local_ts = dynamic[gre]
            				remote_ts = dynamic[gre]
            				esp_proposals = aes256-sha256
            				start_action = start
            				dpd_action = restart
            			}
            		}
            	}
            }

            """;
    }

    /// <summary>
    /// The hub's NFLOG rule, added with iptables-legacy (in a UML node nf_tables refuses to make a table, "Operation not
    /// supported") after loading the modules it needs, as Alpine's iptables init script loads its own.
    /// </summary>
    private void AddRedirectRule()
    {
        Node(Hub).Must("/run/lab/modprobe", "-a", "ip_tables", "iptable_filter", "xt_NFLOG", "nfnetlink_log");
        Node(Hub).Must(RedirectRule);
    }

    /// <summary>
    /// The hub's NFLOG rule: GRE traffic it forwards from one box of the DMVPN to another (in and out of gre1) goes to
    /// nhrpd (nhrp nflog-group), which then tells the sender of a shorter way (an NHRP traffic indication). On Alpine
    /// awall's dmvpn-hub policy writes it (packet-log in dmvpn, out dmvpn, mode nflog); awall is not in Debian.
    /// </summary>
    public static readonly string[] RedirectRule =
        ["iptables-legacy", "-A", "FORWARD", "-i", "gre1", "-o", "gre1", "-j", "NFLOG",
         "--nflog-group", NflogGroup.ToString(System.Globalization.CultureInfo.InvariantCulture), "--nflog-size", "128"];

    public Task DisposeAsync()
    {
        // ACF_LAB_LOGS=<folder>: each node's logs and daemons' state are kept there (docs/lab.md, The DMVPN).
        var keep = Environment.GetEnvironmentVariable("ACF_LAB_LOGS");
        if (!string.IsNullOrEmpty(keep) && Lab != null)
        {
            foreach (var box in Boxes)
            {
                var dir = Path.Combine(keep, GetType().Name, box.Name);
                Directory.CreateDirectory(dir);
                foreach (var log in (string[])["/var/log/messages", "/var/log/frr.log", "/var/log/charon.log"])
                    File.WriteAllText(Path.Combine(dir, Path.GetFileName(log)), Node(box).Run("cat", log).Stdout);
                File.WriteAllText(Path.Combine(dir, "diag.txt"), Diagnostics());
            }
            File.WriteAllText(Path.Combine(keep, GetType().Name, "timings.txt"), string.Join("\n", Timings));
        }
        foreach (var client in _clients.Values) client.Dispose();
        foreach (var acf in _acf.Values) acf.Dispose();
        if (Lab == null) return Task.CompletedTask;
        Lab.Dispose();
        // After the class nothing of the lab is left; a leftover fails the class (xUnit reports a fixture's failure).
        var left = Lab.Leftovers();
        if (left.Count > 0) throw new InvalidOperationException("The DMVPN lab left behind:\n" + string.Join("\n", left));
        return Task.CompletedTask;
    }
}
