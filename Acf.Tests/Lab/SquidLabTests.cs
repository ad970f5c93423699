namespace Acf.Tests.Lab;

/// <summary>
/// Two nodes: <c>proxy</c>, the box Acf manages, running Debian's real squid under OpenRC, and <c>client</c>, which
/// serves a page and asks for it through the proxy. Everything on the proxy is done through Acf's API.
/// </summary>
public sealed class SquidLab : NodeLab
{
    public const string ProxyAddress = "10.77.0.1";
    public const string ClientAddress = "10.77.0.2";
    public const string Page = "lab page served by the client node\n";

    public SquidLab() => Start(() =>
    {
        (Proxy, Client) = LinkedPair("proxy", ProxyAddress, "client", ClientAddress);
        // squid as Alpine's init script runs it: its own daemon, its pid file, reload as squid -k reconfigure.
        Proxy.InstallDaemon("squid", "Squid caching web proxy", "/usr/sbin/squid", "-f /etc/squid/squid.conf", "/run/squid.pid",
            ["checkpath -d -o proxy:proxy /var/log/squid /var/spool/squid /var/cache/squid"],
            reload: "/usr/sbin/squid -f /etc/squid/squid.conf -k reconfigure");
        Proxy.BootOpenRc();
        Proxy.DeclareInstalled(("squid", "5.7-r0"));
        Directory.CreateDirectory(Client.HostPath("/var/www"));
        File.WriteAllText(Client.HostPath("/var/www/index.html"), Page);
        Client.Spawn(["python3", "-m", "http.server", "8080", "--bind", ClientAddress, "--directory", "/var/www"]);
        Client.WaitListening(8080);
        return Proxy;
    });

    public LabNode Proxy { get; private set; } = null!;

    public LabNode Client { get; private set; } = null!;
}

[Trait("Category", "Lab")]
public sealed class SquidLabTests(SquidLab lab) : IClassFixture<SquidLab>
{
    private static readonly string Target = $"http://{SquidLab.ClientAddress}:8080/index.html";

    [Fact]
    public async Task Squid_AclWrittenThroughAcf_DecidesWhatTheRealProxyLetsThrough()
    {
        var client = await lab.Acf.LoggedInClientAsync();

        // Started through Acf's services page: OpenRC in the node runs the real squid, and the page reads its state.
        await LabAcf.SubmitAsync(client, "alpine-baselayout/rc/control", new { service = "squid", submit = "Start" });
        lab.Proxy.WaitListening(3128);
        var status = await LabAcf.ReadAsync(client, "squid/status/view");
        Assert.Equal("started", LabAcf.Field(status, "status").GetString());

        // Debian's squid.conf allows localhost only: the client is refused by the real proxy.
        Assert.Equal("403", ThroughProxy());

        var acl = await LabAcf.ReadAsync(client, "squid/acl/edit");
        await LabAcf.SubmitAsync(client, "squid/acl/edit", new
        {
            name = "labclient", type = "src", values = new[] { SquidLab.ClientAddress + "/32" },
            tag = LabAcf.Field(acl, "tag").GetString(), submit = "Save",
        });
        var access = await LabAcf.ReadAsync(client, "squid/acl/access");
        // The rule table (a records field): rows of action and ACLs, posted back as the count and one list per column.
        var rules = LabAcf.Field(access, "rules").EnumerateArray()
            .Select(r => (Action: r.GetProperty("action").GetString()!, Acls: r.GetProperty("acls").GetString()!)).ToList();
        rules.Insert(rules.IndexOf(("deny", "all")), ("allow", "labclient"));
        var table = new Dictionary<string, object>
        {
            ["#"] = rules.Count,
            ["action"] = rules.Select(r => r.Action).ToArray(),
            ["acls"] = rules.Select(r => r.Acls).ToArray(),
        };
        await LabAcf.SubmitAsync(client, "squid/acl/access",
            new { rules = table, tag = LabAcf.Field(access, "tag").GetString(), submit = "Save" });
        Assert.Contains("acl labclient src 10.77.0.2/32", File.ReadAllText(lab.Proxy.HostPath("/etc/squid/squid.conf")));

        // Applied through Acf (squid -k reconfigure in the node); squid logs when its reloaded ports accept again.
        var accepting = AcceptingCount();
        await LabAcf.SubmitAsync(client, "squid/status/view", new { submit = "Apply configuration" });
        LabNode.WaitUntil(() => AcceptingCount() > accepting, "squid to accept connections after the reconfigure",
            TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));

        Assert.Equal("200", ThroughProxy());
        Assert.Equal(SquidLab.Page, lab.Client.Run(["curl", "-s", "-x", $"http://{SquidLab.ProxyAddress}:3128", Target]));
    }

    /// <summary>The HTTP status the client node gets for the page through the proxy.</summary>
    private string ThroughProxy() => lab.Client.Run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
        "-x", $"http://{SquidLab.ProxyAddress}:3128", Target]);

    private int AcceptingCount()
    {
        var log = lab.Proxy.HostPath("/var/log/squid/cache.log");
        return File.Exists(log) ? File.ReadLines(log).Count(l => l.Contains("Accepting HTTP Socket connections")) : 0;
    }
}
