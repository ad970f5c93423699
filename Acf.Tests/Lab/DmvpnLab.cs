using System.Text.Json;
using Acf.Tests.Web;

namespace Acf.Tests.Lab;

/// <summary>One box of the lab's DMVPN: its node name and addresses (on the "internet" link, in the tunnel, on its LAN).</summary>
public sealed record DmvpnBox(string Name, string Wan, string Tunnel, string Lan, string LanPrefix);

/// <summary>
/// A DMVPN of user-mode-linux nodes (docs/lab.md): a hub and two spokes on one "internet" link, each with its own Acf
/// (Alpine mode, the node's folder as root, every command run in the node). What the lab writes itself is the box's
/// base, as an installer would leave it: eth0 and a LAN (a dummy link) in /etc/network/interfaces, ip_forward on the
/// hub, and on each spoke an explicit IKE initiator to the hub (<see cref="InitiatorToHub"/>: Debian's charon cannot
/// set up the SAs nhrpd asks for). Everything of the DMVPN itself (the GRE stanza, nhrpd and bgpd in frr.conf, FRR's
/// daemons file, the dmvpn connection and its pre-shared key in swanctl.conf, the restarts) is Acf's, through its API.
/// </summary>
public sealed class DmvpnLab : IAsyncLifetime
{
    public const string Key = "lab-dmvpn-key-4f1c0b9e";
    public const int ConfirmSeconds = 60;

    public static readonly DmvpnBox Hub = new("hub", "192.0.2.1", "172.18.0.1", "10.0.0.1", "10.0.0.0/24");
    public static readonly DmvpnBox Spoke1 = new("spoke1", "192.0.2.11", "172.18.1.1", "10.1.0.1", "10.1.0.0/24");
    public static readonly DmvpnBox Spoke2 = new("spoke2", "192.0.2.12", "172.18.2.1", "10.2.0.1", "10.2.0.0/24");
    public static readonly DmvpnBox[] Boxes = [Hub, Spoke1, Spoke2];
    public static readonly DmvpnBox[] Spokes = [Spoke1, Spoke2];

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
            var acf = LabAcf.For(Node(box));
            acf.Settings["Acf:Apply:ConfirmSeconds"] = ConfirmSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _acf[box.Name] = acf;
        }
        // The base comes up as the box boots: its eth0 and LAN (ifupdown-ng, as Alpine's networking service runs it).
        foreach (var box in Boxes) Node(box).Must("ifup", "-a");
        Node(Hub).Must("sysctl", "-w", "net.ipv4.ip_forward=1");

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
            var saving = System.Diagnostics.Stopwatch.StartNew();
            await SaveAsync(box, Key);
            Timings.Enqueue($"{box.Name} saved in {saving.Elapsed.TotalSeconds:F0} s");
            await KeepAsync(box);
        }));
        Timings.Enqueue($"configured through Acf {clock.Elapsed.TotalSeconds:F0} s");

        // A spoke whose charon started before the hub's had loaded Acf's dmvpn connection got NO_PROPOSAL_CHOSEN, which
        // ends its initiator for good: now that every save has returned (the hub's connection is loaded), the spokes'
        // IKE starts again, as it does when a box boots after its hub.
        Parallel.ForEach(Spokes, spoke => Node(spoke).Must("rc-service", "strongswan", "restart"));
        foreach (var spoke in Spokes) WaitFor(() => SaUp(spoke), $"{spoke.Name}'s IKE and CHILD SA with the hub");
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
            bgp = new
            {
                asn = "65000",
                networks = hub ? ["172.18.0.0/16", box.LanPrefix] : new[] { box.LanPrefix },
                peers = hub ? Array.Empty<string>() : [Hub.Tunnel],
                listen_range = hub ? "172.18.0.0/16" : "",
            },
            ipsec = new { proposals = "aes256-sha256-modp2048", esp_proposals = "aes256-sha256", psk = key },
            submit = "Save",
        });
    }

    public async Task KeepAsync(DmvpnBox box)
    {
        var response = await Client(box).PostAsync("/api/apply/keep",
            new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"keep on {box.Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

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

    /// <summary>Both ends say the spoke's IKE SA is ESTABLISHED and its transport-mode CHILD SA INSTALLED.</summary>
    public bool SaUp(DmvpnBox spoke)
    {
        var here = Node(spoke).Run("swanctl", "--list-sas").Stdout;
        var there = Node(Hub).Run("swanctl", "--list-sas").Stdout;
        return here.Contains("ESTABLISHED", StringComparison.Ordinal) && here.Contains("INSTALLED, TRANSPORT", StringComparison.Ordinal)
            && there.Contains(spoke.Wan, StringComparison.Ordinal);
    }

    /// <summary>The hub's nhrpd has the spoke's dynamic registration (tunnel address to internet address).</summary>
    public bool Registered(DmvpnBox spoke)
    {
        var cache = Node(Hub).Run("vtysh", "-c", "show ip nhrp cache").Stdout;
        return cache.Split('\n').Any(line => line.Contains(spoke.Tunnel + " ", StringComparison.Ordinal)
            && line.Contains(spoke.Wan, StringComparison.Ordinal) && line.Contains("dynamic", StringComparison.Ordinal));
    }

    /// <summary>
    /// Waits for the daemons to reach a state (IKE, NHRP and BGP converge over many seconds on a slow node); on the
    /// deadline, fails with what the nodes' daemons said.
    /// </summary>
    public void WaitFor(Func<bool> condition, string what, int seconds = 150)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited {seconds} s in vain for {what}.\n{Diagnostics()}");
            Thread.Sleep(1000);
        }
    }

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

    /// <summary>The box's own base, before Acf: eth0 on the internet link and its LAN; a spoke's initiator to the hub.</summary>
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
        if (box != Hub) File.WriteAllText(Path.Combine(etc, "swanctl", "conf.d", "lab-hub.conf"), InitiatorToHub);
    }

    /// <summary>
    /// A spoke's IKE initiator to the hub, outside Acf. On Alpine nhrpd asks charon over vici for the SA to each peer
    /// it needs (its patched strongSwan takes the addresses nhrpd names); Debian's charon answers "unable to resolve
    /// %any" for the dmvpn connection, which names no remote address. So the spoke starts its SA to the hub itself: the
    /// same proposals, transport mode for GRE, and the pre-shared key of the secrets Acf wrote (ike-dmvpn names no
    /// identity, so it is every connection's).
    /// </summary>
    public static readonly string InitiatorToHub = $$"""
        connections {
        	lab-hub {
        		version = 2
        		remote_addrs = {{Hub.Wan}}
        		proposals = aes256-sha256-modp2048
        		local {
        			auth = psk
        		}
        		remote {
        			auth = psk
        		}
        		children {
        			lab-hub {
        				mode = transport
        				local_ts = dynamic[gre]
        				remote_ts = dynamic[gre]
        				esp_proposals = aes256-sha256
        				start_action = start
        			}
        		}
        	}
        }

        """;

    public Task DisposeAsync()
    {
        foreach (var client in _clients.Values) client.Dispose();
        foreach (var acf in _acf.Values) acf.Dispose();
        Lab?.Dispose();
        return Task.CompletedTask;
    }
}
