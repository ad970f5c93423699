namespace Acf.Tests.Lab;

/// <summary>
/// Two namespace nodes: <c>box</c>, the router Acf manages, with Debian's real sshd and dnsmasq under its OpenRC, and
/// <c>client</c>, which asks box for names and SSH host keys. Everything on box is done through Acf's API.
/// </summary>
public sealed class ServicesLab : NodeLab
{
    public const string BoxAddress = "10.78.0.1";
    public const string ClientAddress = "10.78.0.2";

    /// <summary>The shortest countdown Acf accepts: the sshd test waits for it.</summary>
    public const int ConfirmSeconds = 10;

    public ServicesLab() => Start(() =>
    {
        (Box, Client) = LinkedPair("box", BoxAddress, "client", ClientAddress);
        // Under Alpine's service names (Debian's are ssh, and none for dnsmasq-base).
        // sshd as Alpine's init script runs it: its own daemon and pid file, reload as SIGHUP (dpkg's start-stop-daemon,
        // which the lab runs, needs --stop with --signal; Alpine's takes either).
        Box.InstallDaemon("sshd", "OpenBSD Secure Shell server", "/usr/sbin/sshd", "-f /etc/ssh/sshd_config", "/run/sshd.pid",
            ["checkpath -d -m 0755 /run/sshd", "/usr/sbin/sshd -t -f /etc/ssh/sshd_config"],
            reload: "start-stop-daemon --stop --signal HUP --pidfile /run/sshd.pid");
        // dnsmasq as Alpine's init script runs it: its pid file, the test of the file before a start.
        Box.InstallDaemon("dnsmasq", "dnsmasq DNS and DHCP server", "/usr/sbin/dnsmasq", "-C /etc/dnsmasq.conf -x /run/dnsmasq.pid",
            "/run/dnsmasq.pid", ["/usr/sbin/dnsmasq --test -C /etc/dnsmasq.conf"]);
        // dnsmasq-base installs no /etc/dnsmasq.conf; Alpine's package does (all comments). The box's own base:
        File.WriteAllText(Box.HostPath("/etc/dnsmasq.conf"), DnsmasqConf);
        Box.BootOpenRc();
        Box.DeclareInstalled(("openssh-server", "9.7_p1-r0"), ("dnsmasq", "2.90-r0"));
        // The client asks box for names.
        File.WriteAllText(Client.HostPath("/etc/resolv.conf"), $"nameserver {BoxAddress}\noptions timeout:2 attempts:1\n");
        return Box;
    }, ConfirmSeconds);

    public LabNode Box { get; private set; } = null!;

    public LabNode Client { get; private set; } = null!;

    private const string DnsmasqConf = """
        # The lab box's dnsmasq: DNS on its link to the client.
        interface=eth1
        bind-interfaces

        """;
}

/// <summary>
/// Issue 18: sshd and dnsmasq as Acf's modules drive them, on the real daemons: a local name saved on the DNS page
/// is answered by dnsmasq after a restart on its status page; an SSH port saved and not kept moves sshd, and Acf's
/// countdown moves it back.
/// </summary>
[Trait("Category", "Lab")]
public sealed class ServicesLabTests(ServicesLab lab) : IClassFixture<ServicesLab>
{
    [Fact]
    public async Task A_local_name_saved_on_the_dns_page_is_answered_by_dnsmasq_after_a_restart()
    {
        var client = await lab.Acf.LoggedInClientAsync();
        await LabAcf.SubmitAsync(client, "dnsmasq/status/view", new { submit = "Start" });
        lab.Box.WaitListening(53);
        Assert.NotEqual(0, lab.Client.Try(["getent", "hosts", "nas.lab"]).Status);

        var form = await LabAcf.ReadAsync(client, "dnsmasq/config/edit");
        await LabAcf.SubmitAsync(client, "dnsmasq/config/edit", new
        {
            @interface = new[] { "eth1" },
            host_record = new[] { "nas.lab,10.78.0.50" },
            no_resolv = true, // the box has no upstream in the lab: answer or refuse at once
            tag = LabAcf.Field(form, "tag").GetString(),
            submit = "Save",
        });
        Assert.Contains("host-record=nas.lab,10.78.0.50", File.ReadAllText(lab.Box.HostPath("/etc/dnsmasq.conf")));
        // Saved, not used yet: dnsmasq reads its file when it starts (the page says so).
        Assert.NotEqual(0, lab.Client.Try(["getent", "hosts", "nas.lab"]).Status);

        await LabAcf.SubmitAsync(client, "dnsmasq/status/view", new { submit = "Restart" });
        lab.Box.WaitListening(53);

        Assert.Equal("10.78.0.50      nas.lab", lab.Client.Run(["getent", "hosts", "nas.lab"]).Trim());
    }

    [Fact]
    public async Task An_ssh_port_saved_and_not_kept_moves_sshd_and_the_countdown_moves_it_back()
    {
        var client = await lab.Acf.LoggedInClientAsync();
        // Starting sshd is guarded too (the manifest: a stop could cut the admin off): kept at once.
        await LabAcf.SubmitAsync(client, "openssh/status/view", new { submit = "Start" });
        await LabAcf.KeepAsync(client);
        lab.Box.WaitListening(22);
        var hostKey = File.ReadAllText(lab.Box.HostPath("/etc/ssh/ssh_host_ed25519_key.pub")).Split(' ')[1];
        Assert.Contains(hostKey, KeyScan(22));
        var config = lab.Box.HostPath("/etc/ssh/sshd_config");
        var before = File.ReadAllText(config);

        // Saved through Acf: sshd -t in the node checks the file, then Acf reloads the real sshd (SIGHUP: it re-reads
        // its file and listens where it says) under confirm-or-rollback.
        var form = await LabAcf.ReadAsync(client, "openssh/config/edit");
        var changed = lab.LastSettled;
        await LabAcf.SubmitAsync(client, "openssh/config/edit", new
        {
            port = new[] { "2222" },
            permit_root_login = LabAcf.Field(form, "permit_root_login").GetString(),
            password_authentication = LabAcf.Field(form, "password_authentication").GetBoolean(),
            pubkey_authentication = LabAcf.Field(form, "pubkey_authentication").GetBoolean(),
            tag = LabAcf.Field(form, "tag").GetString(),
            submit = "Save",
        });
        Assert.Contains("\nPort 2222\n", File.ReadAllText(config));
        lab.Box.WaitListening(2222);
        Assert.Contains(hostKey, KeyScan(2222));
        Assert.DoesNotContain(hostKey, KeyScan(22));

        // Nobody keeps it (the admin could not reach the new port, say): at the countdown Acf puts the file back and
        // reloads sshd again, which listens on 22 once more.
        LabNode.WaitUntil(() => lab.LastSettled is { } settled && settled != changed, "Acf to settle the change",
            TimeSpan.FromSeconds(ServicesLab.ConfirmSeconds + 30), TimeSpan.FromMilliseconds(200));
        var rollback = lab.LastSettled!;
        Assert.Equal(Acf.Modules.Apply.ApplyOutcome.RolledBack, rollback.Outcome);
        Assert.Empty(rollback.Failed);
        Assert.Equal(before, File.ReadAllText(config));
        lab.Box.WaitListening(22);
        Assert.Contains(hostKey, KeyScan(22));
        Assert.DoesNotContain(hostKey, KeyScan(2222));
    }

    /// <summary>The host keys the client gets from box's sshd on a port (empty when nothing answers there).</summary>
    private string KeyScan(int port) =>
        lab.Client.Try(["ssh-keyscan", "-T", "3", "-t", "ed25519", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), ServicesLab.BoxAddress]).Stdout;
}
