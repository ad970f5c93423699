namespace Acf.Tests.Lab;

/// <summary>
/// Two namespace nodes: <c>box</c>, where Acf manages chronyd (Debian's, under its OpenRC), and <c>ntp</c>, an NTP
/// server (chronyd in local reference mode). Both chronyds run with <c>-x</c>: the nodes share this machine's clock,
/// and neither may set it.
/// </summary>
public sealed class ChronyLab : NodeLab
{
    public const string BoxAddress = "10.80.0.1";
    public const string ServerAddress = "10.80.0.2";

    public ChronyLab() => Start(() =>
    {
        (Box, Server) = LinkedPair("box", BoxAddress, "ntp", ServerAddress);
        File.WriteAllText(Server.HostPath("/etc/chrony/server.conf"), $"""
            # The lab's NTP server: its own clock as the reference (-x: it never sets it), for the box's link.
            local stratum 8
            allow {BoxAddress}/32
            pidfile /run/chrony-server.pid
            cmdport 0

            """);
        Server.Spawn(["chronyd", "-d", "-x", "-f", "/etc/chrony/server.conf"]);
        // chronyd as Alpine's init script runs it (its folders, its pid file), with -x: the lab's nodes share the
        // machine's clock, which no node may set.
        Box.InstallDaemon("chronyd", "chrony NTP daemon, -x: never sets the clock", "/usr/sbin/chronyd",
            "-x -f /etc/chrony/chrony.conf", "/run/chrony/chronyd.pid",
            ["checkpath -d -o _chrony:_chrony -m 0750 /run/chrony", "checkpath -d -o _chrony:_chrony /var/lib/chrony /var/log/chrony"]);
        Box.BootOpenRc();
        Box.DeclareInstalled(("chrony", "4.5-r0"));
        return Box;
    });

    public LabNode Box { get; private set; } = null!;

    public LabNode Server { get; private set; } = null!;
}

/// <summary>
/// Issue 18: chrony as Acf's module drives it, on the real chronyd: a time source saved on Acf's Sources page (checked
/// by the real <c>chronyd -p</c>) is what chronyd uses after a restart on Acf's status page, which then reads the real
/// <c>chronyc sources</c> and <c>tracking</c>.
/// </summary>
[Trait("Category", "Lab")]
public sealed class ChronyLabTests(ChronyLab lab) : IClassFixture<ChronyLab>
{
    [Fact]
    public async Task A_server_saved_on_the_sources_page_is_what_chronyd_syncs_with_after_a_restart()
    {
        var client = await lab.Acf.LoggedInClientAsync();
        var form = await LabAcf.ReadAsync(client, "chrony/config/edit");
        // Debian's chrony.conf names Debian's pool, which the lab's nodes cannot reach: the box's sources become the
        // lab's server.
        Assert.Contains("pool 2.debian.pool.ntp.org iburst", LabAcf.Field(form, "sources").EnumerateArray().Select(v => v.GetString()));
        await LabAcf.SubmitAsync(client, "chrony/config/edit", new
        {
            sources = new[] { $"server {ChronyLab.ServerAddress} iburst" },
            tag = LabAcf.Field(form, "tag").GetString(),
            submit = "Save",
        });
        var conf = File.ReadAllText(lab.Box.HostPath("/etc/chrony/chrony.conf"));
        Assert.Contains($"\nserver {ChronyLab.ServerAddress} iburst\n", conf);
        Assert.DoesNotContain("pool 2.debian.pool.ntp.org", conf);
        Assert.Contains("\nmakestep 1 3\n", conf); // the other lines stay

        await LabAcf.SubmitAsync(client, "chrony/status/view", new { submit = "Start" });

        // iburst: a few polls 2 s apart, then chronyd selects the server ('*' in chronyc sources).
        var deadline = DateTime.UtcNow.AddSeconds(60);
        System.Text.Json.JsonElement source;
        while (true)
        {
            var status = await LabAcf.ReadAsync(client, "chrony/status/view");
            source = LabAcf.Field(status, "sources").EnumerateArray()
                .FirstOrDefault(row => row.GetProperty("source").GetString() == ChronyLab.ServerAddress);
            if (source.ValueKind != System.Text.Json.JsonValueKind.Undefined && source.GetProperty("state").GetString()!.Contains("synchronised", StringComparison.OrdinalIgnoreCase)) break;
            Assert.True(DateTime.UtcNow < deadline, "chronyd did not select the lab's server: " + lab.Box.Try(["chronyc", "sources"]).Stdout);
            await Task.Delay(1000);
        }
        Assert.Equal("8", source.GetProperty("stratum").GetString()); // local stratum 8 is the server's
        Assert.Contains($"^* {ChronyLab.ServerAddress}", lab.Box.Run(["chronyc", "sources"]));
    }
}
