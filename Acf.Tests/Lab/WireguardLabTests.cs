namespace Acf.Tests.Lab;

/// <summary>
/// Two namespace nodes on one link: <c>box</c>, where Acf manages WireGuard, and <c>phone</c>, a peer that loads the
/// client configuration Acf hands out. The machine's kernel has no WireGuard: both run Debian's wireguard-go (the
/// user-space implementation, on a TUN device), which <c>wg</c> drives as it drives the kernel's.
/// </summary>
public sealed class WireguardLab : NodeLab
{
    public const string BoxAddress = "10.79.0.1";
    public const string PhoneAddress = "10.79.0.2";
    public const string BoxTunnel = "10.99.0.1";
    public const string PhoneTunnel = "10.99.0.2";
    public const int ConfirmSeconds = 10;

    public WireguardLab() => Start(() =>
    {
        (Box, Phone) = LinkedPair("box", BoxAddress, "phone", PhoneAddress);
        // The box's base: wg0 up with its tunnel address, as ifupdown-ng's `use wireguard` brings it up where the
        // kernel has WireGuard; here wireguard-go makes the link. Its keys and peers are Acf's, below.
        foreach (var node in new[] { Box, Phone }) StartWireguardGo(node);
        Box.Run(["ip", "addr", "add", BoxTunnel + "/24", "dev", "wg0"]);
        Box.Run(["ip", "link", "set", "wg0", "up"]);
        Directory.CreateDirectory(Box.HostPath("/etc/wireguard"));
        Box.DeclareInstalled(("wireguard-tools", "1.0.20210914-r4"));
        return Box;
    }, ConfirmSeconds);

    public LabNode Box { get; private set; } = null!;

    public LabNode Phone { get; private set; } = null!;

    /// <summary>wireguard-go in the foreground (it ends with the node), once its wg0 exists.</summary>
    private static void StartWireguardGo(LabNode node)
    {
        // wireguard-go refuses to run on Linux unless told that the kernel's module is not wanted (there is none here).
        node.Spawn(["env", "WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1", "WG_PROCESS_FOREGROUND=1", "wireguard-go", "wg0"]);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (node.Try(["wg", "show", "wg0"]).Status != 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{node.Name}: wireguard-go made no wg0.");
            Thread.Sleep(100);
        }
    }
}

/// <summary>
/// Issue 18: WireGuard as Acf's module drives it, on the real <c>wg</c>: an interface saved on Acf's page gets its
/// key pair (made by the broker) and listen port through <c>wg syncconf</c>; a peer added "with new keys" gets a
/// client configuration that a real peer loads and then reaches the box through the tunnel; Acf's status page reads
/// the handshake; a peer change not kept is undone by the countdown and the tunnel works again.
/// </summary>
[Trait("Category", "Lab")]
public sealed class WireguardLabTests(WireguardLab lab) : IClassFixture<WireguardLab>
{
    [Fact]
    public async Task An_interface_and_a_peer_saved_through_Acf_carry_traffic_and_a_change_not_kept_is_undone()
    {
        var client = await lab.Acf.LoggedInClientAsync();

        // The interface: a new key pair, port 51820, its address; applied to the running wg0 with wg syncconf.
        var form = await LabAcf.ReadAsync(client, "wireguard/interfaces/edit");
        var saved = await LabAcf.SubmitAsync(client, "wireguard/interfaces/edit", new
        {
            name = "wg0", listen_port = "51820", address = new[] { WireguardLab.BoxTunnel + "/24" },
            conf_tag = "", model_tag = LabAcf.Field(form, "model_tag").GetString(), submit = "Save",
        });
        Assert.Contains("Applied with wg syncconf.", saved.GetProperty("descr").GetString());
        await LabAcf.KeepAsync(client);
        var publicKey = LabAcf.Field(saved, "public_key").GetString()!;
        Assert.Equal(publicKey, lab.Box.Run(["wg", "show", "wg0", "public-key"]).Trim());
        Assert.Equal("51820", lab.Box.Run(["wg", "show", "wg0", "listen-port"]).Trim());

        // A peer added with new keys: its public key goes into wg0.conf (and wg0), its private key only into the
        // client configuration the answer carries once, which the phone loads as a WireGuard app would.
        var peers = await LabAcf.ReadAsync(client, "wireguard/peers/edit?interface=wg0");
        var added = await LabAcf.SubmitAsync(client, "wireguard/peers/edit", new
        {
            @interface = "wg0", peer = "", public_key = "", allowed_ips = new[] { WireguardLab.PhoneTunnel + "/32" },
            endpoint = "", keepalive = "", preshared_key = "", client_endpoint = WireguardLab.BoxAddress + ":51820",
            client_allowed_ips = new[] { "10.99.0.0/24" }, tag = LabAcf.Field(peers, "tag").GetString(),
            submit = "Add with new keys",
        });
        await LabAcf.KeepAsync(client);
        LoadOnPhone(LabAcf.Field(added, "client_config").GetString()!);

        Assert.True(PhoneReachesBox(), lab.Box.Try(["wg", "show"]).Stdout + lab.Phone.Try(["wg", "show"]).Stdout);
        // Acf's status page reads the real `wg show all dump`: the phone's handshake and bytes.
        var status = await LabAcf.ReadAsync(client, "wireguard/status/view");
        var row = LabAcf.Field(status, "peers").EnumerateArray().Single();
        Assert.Equal(WireguardLab.PhoneTunnel + "/32", row.GetProperty("allowed_ips").GetString());
        Assert.StartsWith(WireguardLab.PhoneAddress + ":", row.GetProperty("endpoint").GetString());
        Assert.NotEqual("never", row.GetProperty("latest_handshake").GetString());

        // The peer's allowed address changed and not kept: the box drops what the phone sends from 10.99.0.2; at the
        // countdown Acf puts wg0.conf back and syncs it again (the rollback command), and the tunnel carries again.
        var conf = lab.Box.HostPath("/etc/wireguard/wg0.conf");
        var before = File.ReadAllText(conf);
        var edit = await LabAcf.ReadAsync(client, "wireguard/peers/edit?interface=wg0&peer=1");
        var changed = lab.LastSettled;
        await LabAcf.SubmitAsync(client, "wireguard/peers/edit", new
        {
            @interface = "wg0", peer = "1", public_key = LabAcf.Field(edit, "public_key").GetString(),
            allowed_ips = new[] { "10.99.0.3/32" }, endpoint = LabAcf.Field(edit, "endpoint").GetString(),
            keepalive = "", preshared_key = "", client_endpoint = "", client_allowed_ips = Array.Empty<string>(),
            tag = LabAcf.Field(edit, "tag").GetString(), submit = "Save",
        });
        Assert.Equal("10.99.0.3/32", lab.Box.Run(["wg", "show", "wg0", "allowed-ips"]).Split('\t')[1].Trim());
        Assert.False(PhoneReachesBox());

        LabNode.WaitUntil(() => lab.LastSettled is { } settled && settled != changed, "Acf to settle the change",
            TimeSpan.FromSeconds(WireguardLab.ConfirmSeconds + 30), TimeSpan.FromMilliseconds(200));
        Assert.Equal(Acf.Modules.Apply.ApplyOutcome.RolledBack, lab.LastSettled!.Outcome);
        Assert.Empty(lab.LastSettled.Failed);
        Assert.Equal(before, File.ReadAllText(conf));
        Assert.Equal(WireguardLab.PhoneTunnel + "/32", lab.Box.Run(["wg", "show", "wg0", "allowed-ips"]).Split('\t')[1].Trim());
        Assert.True(PhoneReachesBox());
    }

    /// <summary>The client configuration on the phone: wg-quick's form stripped of its Address (wg-quick strip, the
    /// real tool) for wg setconf, and the address given to wg0.</summary>
    private void LoadOnPhone(string config)
    {
        Directory.CreateDirectory(lab.Phone.HostPath("/etc/wireguard"));
        File.WriteAllText(lab.Phone.HostPath("/etc/wireguard/wg0.conf"), config);
        var stripped = lab.Phone.Run(["wg-quick", "strip", "wg0"]);
        File.WriteAllText(lab.Phone.HostPath("/etc/wireguard/wg0.stripped"), stripped);
        lab.Phone.Run(["wg", "setconf", "wg0", "/etc/wireguard/wg0.stripped"]);
        var address = config.Split('\n').Single(line => line.StartsWith("Address = ", StringComparison.Ordinal))["Address = ".Length..];
        Assert.Equal(WireguardLab.PhoneTunnel + "/32", address);
        lab.Phone.Run(["ip", "addr", "add", WireguardLab.PhoneTunnel + "/24", "dev", "wg0"]);
        lab.Phone.Run(["ip", "link", "set", "wg0", "up"]);
    }

    private bool PhoneReachesBox() =>
        lab.Phone.Try(["ping", "-c", "2", "-W", "2", WireguardLab.BoxTunnel]).Status == 0;
}
