namespace Acf.Tests.Lab;

/// <summary>
/// Issue 18, interfaces: stanzas saved through Acf's interfaces/edit and brought up and down through
/// interfaces/control (ifup/ifdown under confirm-or-rollback) are what the real ifupdown-ng makes of them in a
/// user-mode-linux node's kernel (<see cref="InterfacesLab"/>): an address, a VLAN, a bridge and a GRE tunnel, each
/// asserted from <c>ip</c> and from traffic with the peer, and gone once taken down; and changes that cut the peer
/// (the admin) off, not kept (eth0 taken down, eth0's address changed), are undone by the countdown.
/// </summary>
[Trait("Category", "Lab")]
public sealed class InterfacesLabTests : IClassFixture<InterfacesLab>, IDisposable
{
    private const string Box = InterfacesLab.BoxAddress;
    private const string Peer = InterfacesLab.PeerAddress;

    private readonly InterfacesLab _lab;
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public InterfacesLabTests(InterfacesLab lab, Xunit.Abstractions.ITestOutputHelper output)
    {
        (_lab, _output) = (lab, output);
        lab.WaitSettled(); // a test that failed with its change pending leaves it to the countdown, not to the next test
    }

    [Fact]
    public async Task Eth0_saved_through_Acf_has_its_address_and_the_peer_reaches_it()
    {
        var eth0 = _lab.Box.Must("ip", "addr", "show", "dev", "eth0");
        var status = await LabAcf.ReadAsync(_lab.Client, "alpine-baselayout/interfaces/status");

        Assert.Contains($"inet {Box}/24", eth0);
        Assert.True(_lab.PeerReaches(Box), _lab.Diagnostics());
        // Acf's status page reads the stanza back as ifupdown-ng brought it up (auto, static, its address).
        var row = status.GetProperty("value").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "eth0");
        Assert.Equal(("static", $"{Box}/24", "yes"),
            (row.GetProperty("method").GetString(), row.GetProperty("address").GetString(), row.GetProperty("auto").GetString()));
    }

    [Fact]
    public async Task A_vlan_saved_and_brought_up_through_Acf_carries_traffic_and_is_gone_once_taken_down()
    {
        await _lab.SaveAndBringUpAsync("eth0.10", new { name = "eth0.10", family = "inet", method = "static", address = "10.10.0.1/24" });
        _lab.PeerLink("eth0.10", "10.10.0.2/24", "ip", "link", "add", "link", "eth0", "name", "eth0.10", "type", "vlan", "id", "10");

        var link = _lab.Box.Must("ip", "-d", "addr", "show", "dev", "eth0.10");
        Assert.Contains("vlan protocol 802.1Q id 10", link);
        Assert.Contains("inet 10.10.0.1/24", link);
        _lab.WaitFor(() => _lab.PeerReaches("10.10.0.1"), "the peer's ping over VLAN 10");
        _lab.Time("vlan up");

        await _lab.ControlKeptAsync("eth0.10", up: false);

        // ifupdown-ng's link executor deletes the VLAN it created: no link, and no way to it.
        var gone = _lab.Box.Run("ip", "link", "show", "dev", "eth0.10");
        Assert.NotEqual(0, gone.Status);
        Assert.Contains("does not exist", gone.Stderr);
        Assert.False(_lab.PeerReaches("10.10.0.1"));
        _lab.Time("vlan down");
    }

    [Fact]
    public async Task A_bridge_saved_and_brought_up_through_Acf_bridges_its_port_and_carries_traffic()
    {
        // ifupdown-ng's own form (no family): use bridge, its port a VLAN with no stanza of its own.
        await _lab.SaveAndBringUpAsync("br0", new
        {
            name = "br0", family = "", method = "", address = "10.20.0.1/24",
            other = new[] { "use bridge", "bridge-ports eth0.20" },
        });
        _lab.PeerLink("eth0.20", "10.20.0.2/24", "ip", "link", "add", "link", "eth0", "name", "eth0.20", "type", "vlan", "id", "20");

        Assert.Contains("bridge forward_delay", _lab.Box.Must("ip", "-d", "link", "show", "dev", "br0"));
        Assert.Contains("inet 10.20.0.1/24", _lab.Box.Must("ip", "addr", "show", "dev", "br0"));
        Assert.Contains("master br0", _lab.Box.Must("ip", "link", "show", "dev", "eth0.20"));
        _lab.WaitFor(() => _lab.PeerReaches("10.20.0.1"), "the peer's ping over the bridge");
        _lab.Time("bridge up");

        await _lab.ControlKeptAsync("br0", up: false);

        // The bridge executor deletes the bridge, and the port it made for it (a VLAN) goes with it.
        Assert.Contains("does not exist", _lab.Box.Run("ip", "link", "show", "dev", "br0").Stderr);
        Assert.Contains("does not exist", _lab.Box.Run("ip", "link", "show", "dev", "eth0.20").Stderr);
        _lab.Time("bridge down");
    }

    [Fact]
    public async Task A_gre_tunnel_saved_and_brought_up_through_Acf_carries_traffic_to_the_peer()
    {
        await _lab.SaveAndBringUpAsync("gre1", new
        {
            name = "gre1", family = "inet", method = "static", address = "172.16.0.1/30",
            tunnel = new { mode = "gre", dev = "", @local = Box, remote = Peer, ttl = "64" },
        });
        _lab.PeerLink("gre1", "172.16.0.2/30", "ip", "tunnel", "add", "gre1", "mode", "gre", "local", Peer, "remote", Box, "ttl", "64");

        var gre = _lab.Box.Must("ip", "-d", "addr", "show", "dev", "gre1");
        Assert.Contains($"gre remote {Peer} local {Box} ttl 64", gre);
        Assert.Contains("inet 172.16.0.1/30", gre);
        _lab.WaitFor(() => _lab.PeerReaches("172.16.0.1"), "the peer's ping through the GRE tunnel");
        _lab.Time("gre up");

        await _lab.ControlKeptAsync("gre1", up: false);

        Assert.Contains("does not exist", _lab.Box.Run("ip", "link", "show", "dev", "gre1").Stderr);
        Assert.False(_lab.PeerReaches("172.16.0.1"));
        _lab.Time("gre down");
    }

    [Fact]
    public async Task Taking_eth0_down_through_Acf_cuts_the_peer_off_until_the_countdown_brings_it_up_again()
    {
        Assert.True(_lab.PeerReaches(Box), _lab.Diagnostics());
        var settled = _lab.LastSettled;

        // ifdown eth0 through interfaces/control, not kept: ifupdown-ng flushes its address and takes it down.
        await _lab.ControlAsync("eth0", up: false);
        var down = _lab.Box.Must("ip", "addr", "show", "dev", "eth0");
        Assert.DoesNotContain("inet ", down);
        Assert.DoesNotContain(",UP", down.Split('\n')[0]);
        Assert.False(_lab.PeerReaches(Box));
        _lab.Time("eth0 down");

        // At the countdown Acf runs the rollback command the action declared (ifup eth0).
        var rollback = _lab.WaitForRollback(settled);
        Assert.Equal(("interfaces/control", Acf.Modules.Apply.ApplyOutcome.RolledBack), (rollback.Action, rollback.Outcome));
        Assert.Empty(rollback.Failed);
        Assert.Contains($"inet {Box}/24", _lab.Box.Must("ip", "addr", "show", "dev", "eth0"));
        Assert.True(_lab.PeerReaches(Box), _lab.Diagnostics());
        _lab.Time("eth0 up again");
    }

    [Fact]
    public async Task An_edit_that_cuts_the_peer_off_is_undone_by_the_countdown()
    {
        Assert.True(_lab.PeerReaches(Box), _lab.Diagnostics());
        var before = File.ReadAllBytes(_lab.InterfacesFile);
        var settled = _lab.LastSettled;

        // eth0 moves to another address (the save restarts networking) and nobody keeps it: the admin is cut off.
        await _lab.ChangeAsync("eth0", "inet", new Dictionary<string, object> { ["address"] = "192.0.2.99/24" });
        Assert.Contains("inet 192.0.2.99/24", _lab.Box.Must("ip", "addr", "show", "dev", "eth0"));
        Assert.False(_lab.PeerReaches(Box));
        _lab.Time("cut off");

        // At the countdown Acf puts the file back and restarts networking; it records the rollback once every step ran.
        var rollback = _lab.WaitForRollback(settled);
        Assert.Equal(("interfaces/edit", Acf.Modules.Apply.ApplyOutcome.RolledBack), (rollback.Action, rollback.Outcome));
        Assert.Empty(rollback.Failed);
        Assert.Equal(before, File.ReadAllBytes(_lab.InterfacesFile));
        var eth0 = _lab.Box.Must("ip", "addr", "show", "dev", "eth0");
        Assert.Contains($"inet {Box}/24", eth0);
        Assert.DoesNotContain("192.0.2.99", eth0);
        Assert.True(_lab.PeerReaches(Box), _lab.Diagnostics());
        _lab.Time("rolled back");
    }

    public void Dispose() => _output.WriteLine("Lab timings: " + string.Join(", ", _lab.Timings));
}
