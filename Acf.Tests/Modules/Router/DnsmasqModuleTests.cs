using static Acf.Tests.Modules.FormPost;
using static Acf.Tests.Modules.Router.RouterHost;

namespace Acf.Tests.Modules.Router;

/// <summary>The dnsmasq module over the demo tree: its forms change only the lines they must, bad values are refused
/// with a field error and nothing written, dnsmasq --test really checks each save, and the corpus round-trips.</summary>
public class DnsmasqModuleTests
{
    private const string Conf = "/etc/dnsmasq.conf";

    private static Task<(CfeNode Result, string Before, string After)> Save(string controller,
        params (string Name, string Value)[] changes) => SaveOnFreshHostAsync("dnsmasq", controller, Conf, changes);

    [Fact]
    public async Task Dns_Read_ShowsTheFilesValues()
    {
        using var host = Create();
        var form = await RunAsync(host, "dnsmasq", "config", "edit");

        Assert.Equal(["eth1"], form.Find("interface")!.Items);
        Assert.Equal(["9.9.9.9", "149.112.112.112"], form.Find("server")!.Items);
        Assert.Equal(["nas.lan,192.168.1.5", "printer.lan,192.168.1.6"], form.Find("host_record")!.Items);
        Assert.Equal("lan", form.Find("domain")!.Text);
        Assert.True(form.Find("no_resolv")!.Checked);
        Assert.Equal("1000", form.Find("cache_size")!.Text);
    }

    [Fact]
    public async Task Dns_ReplaceAServer_ChangesOnlyThatLine()
    {
        var (result, before, after) = await Save("config", ("server", "9.9.9.9\n1.1.1.1#53"));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(before.Replace("server=149.112.112.112\n", "server=1.1.1.1#53\n"), after);
    }

    [Fact]
    public async Task Dns_SwitchOffAFlagAndAddAnInterface_KeepsEverythingElse()
    {
        var (result, before, after) = await Save("config", ("bogus_priv", "false"), ("interface", "eth1\nwlan0"));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(before.Replace("bogus-priv\n", "").Replace("interface=eth1\n", "interface=eth1\ninterface=wlan0\n"), after);
    }

    [Theory]
    [InlineData("server", "9.9.9.9\n9.9.9.9 ; rm -rf /", "Line 2")]
    [InlineData("server", "dns.example.org", "not an IPv4 or IPv6 address")]
    [InlineData("interface", "eth1\n-eth2", "not an interface name")]
    [InlineData("host_record", "nas.lan,192.168.1.5\n192.168.1.7,box", "Start with the name")]
    [InlineData("domain", "lan\nserver=6.6.6.6", "Line breaks")]
    [InlineData("cache_size", "20000", "largest")]
    public async Task Dns_BadValue_RefusedWithAFieldErrorAndNothingWritten(string field, string value, string message)
    {
        var (result, before, after) = await Save("config", (field, value));

        Assert.False(result.Succeeded);
        Assert.Contains(message, result.Find(field)!.Errtxt);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Dhcp_AddARange_GoesAfterTheExistingRange()
    {
        var (result, before, after) = await Save("dhcp",
            ("dhcp_range", "192.168.1.100,192.168.1.199,255.255.255.0,12h\nset:guest,192.168.2.50,192.168.2.99,1h"));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(before.Replace("12h\n", "12h\ndhcp-range=set:guest,192.168.2.50,192.168.2.99,1h\n"), after);
    }

    [Fact]
    [Trait("Category", "RealTools")]
    public async Task Dhcp_OptionDnsmasqDoesNotKnow_RefusedByDnsmasqTest()
    {
        var (result, before, after) = await Save("dhcp",
            ("dhcp_option", "option:router,192.168.1.1\noption:dns-server,192.168.1.1\noption:no-such-option,1"));

        Assert.False(result.Succeeded);
        Assert.Contains("dnsmasq refused", result.Errtxt);
        Assert.Contains("bad dhcp-option", result.Errtxt);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Dhcp_RangeStartingWithAName_RefusedWithAFieldError()
    {
        var (result, before, after) = await Save("dhcp", ("dhcp_range", "lan,192.168.1.10,192.168.1.20"));

        Assert.Contains("first address", result.Find("dhcp_range")!.Errtxt);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task StaticLease_New_AddedAfterTheLastOne()
    {
        var (result, before, after) = await Save("hosts",
            ("mac", "3C:22:FB:41:7A:10"), ("name", "macbook-anna"), ("address", "192.168.1.20"));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(before.Replace("192.168.1.6,infinite\n", "192.168.1.6,infinite\ndhcp-host=3c:22:fb:41:7a:10,macbook-anna,192.168.1.20\n"), after);
    }

    [Fact]
    public async Task StaticLease_Changed_KeepsItsOtherFields()
    {
        using var host = Create();
        var before = host.ReadRootFile(Conf);
        var form = await RunAsync(host, "dnsmasq", "hosts", "edit", Query(("mac", "00:16:3e:5a:12:02")));
        Assert.Equal("printer", form.Find("name")!.Text);

        var result = await RunAsync(host, "dnsmasq", "hosts", "edit", Post(form, "Save", ("address", "192.168.1.7")));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(before.Replace("printer,192.168.1.6,infinite", "printer,192.168.1.7,infinite"), host.ReadRootFile(Conf));
    }

    [Fact]
    public async Task StaticLease_Remove_DeletesItsLine()
    {
        using var host = Create();
        var before = host.ReadRootFile(Conf);
        var form = await RunAsync(host, "dnsmasq", "hosts", "edit", Query(("mac", "00:16:3e:5a:12:01")));

        var result = await RunAsync(host, "dnsmasq", "hosts", "edit", Post(form, "Remove"));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(before.Replace("dhcp-host=00:16:3e:5a:12:01,nas,192.168.1.5\n", ""), host.ReadRootFile(Conf));
    }

    [Theory]
    [InlineData("mac", "00:16:3e:5a:12", "MAC address")]
    [InlineData("address", "192.168.1.6", "already the static address")]
    [InlineData("address", "192.168.1.300", "IPv4 address")]
    [InlineData("name", "bad name,192.168.1.9", "letters, digits")]
    public async Task StaticLease_BadValue_RefusedAndNothingWritten(string field, string value, string message)
    {
        var input = new List<(string, string)> { ("mac", "aa:bb:cc:dd:ee:ff"), ("name", "box"), ("address", "192.168.1.30") };
        input.RemoveAll(i => i.Item1 == field);
        input.Add((field, value));

        var (result, before, after) = await Save("hosts", [.. input]);

        Assert.Contains(message, result.Find(field)!.Errtxt);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Leases_ListTheLeaseFile_WithMakeStaticLinks()
    {
        using var host = Create();
        var form = await RunAsync(host, "dnsmasq", "leases", "view", user: ModuleTestHost.User);

        var rows = form.Find("leases")!.Rows;
        Assert.Equal(4, rows.Count);
        Assert.Equal("macbook-anna", rows[0]["name"]);
        Assert.Equal("2026-11-30 20:00 UTC", rows[0]["expires"]);
        Assert.Equal("/dnsmasq/hosts/edit?mac=3c:22:fb:41:7a:10&address=192.168.1.112&name=macbook-anna", rows[0]["static@href"]);
        Assert.Equal("", rows[3]["name"]);

        var prefilled = await RunAsync(host, "dnsmasq", "hosts", "edit",
            Query(("mac", "3c:22:fb:41:7a:10"), ("address", "192.168.1.112"), ("name", "macbook-anna")));
        Assert.Equal("192.168.1.112", prefilled.Find("address")!.Text);
        Assert.Equal("macbook-anna", prefilled.Find("name")!.Text);
    }

    [Fact]
    public async Task User_MayNotEditTheConfiguration()
    {
        using var host = Create();

        var result = await host.RunAsync(ModuleTestHost.User, "dnsmasq", "config", "edit");

        Assert.Equal(RunStatus.Forbidden, result.Status);
    }

    public static IEnumerable<object[]> ConfCorpus() => Corpus("dnsmasq", Conf);

    [Theory]
    [MemberData(nameof(ConfCorpus))]
    public async Task Corpus_UnchangedSaveOfEveryForm_WritesTheSameBytes(string variant)
    {
        using var host = Create();
        var bytes = LayCorpusFile(host, "dnsmasq", Conf, variant);

        foreach (var controller in new[] { "config", "dhcp", "hosts" })
        {
            var result = await SaveAsync(host, "dnsmasq", controller);
            if (controller != "hosts") Assert.True(result.Succeeded, controller + ": " + Errors(result));
            Assert.Equal(bytes, File.ReadAllBytes(host.RootPath(Conf)));
        }
        Assert.DoesNotContain(host.Audit.ReadAll(), e => e.Action == "write");
    }
}
