using static Acf.Tests.Modules.FormPost;
using static Acf.Tests.Modules.InterfacesFormsTests;

namespace Acf.Tests.Modules;

/// <summary>
/// The interfaces and DNS pages on real files (modules-lua/alpine-baselayout/corpus): ifupdown-ng's own syntax as
/// Alpine ships it, and resolv.conf as systemd writes it (issue 14). Each test names the defect it proves.
/// </summary>
public class InterfacesCorpusTests
{
    private const string Interfaces = "/etc/network/interfaces";
    private const string Resolv = "/etc/resolv.conf";

    internal static string Corpus(string path, string variant) => ModuleTestHost.CorpusPath("alpine-baselayout", path, variant);

    private static ModuleTestHost HostOn(string variant) => Host(Corpus(Interfaces, variant));

    // Issue 14: the status page showed the file's version tag (the read's second answer) as a red error.
    [Fact]
    public async Task Status_FileRead_NoErrorShown()
    {
        using var host = Host();

        var status = await RunAsync(host, "interfaces", "status");

        Assert.Null(status.Errtxt);
        Assert.NotEmpty(status.Rows);
    }

    // Issue 14: `search .` (systemd-resolved's static file) was "not a domain name", so every DNS save was refused.
    [Theory]
    [InlineData("systemd-resolved-static-search-dot")]
    [InlineData("systemd-resolved-static-search-dot-no-final-newline")]
    public async Task Dns_SearchDot_UnchangedSaveWritesNothingAndAnEditSaves(string variant)
    {
        using var host = Host();
        var path = host.RootPath(Resolv);
        File.Copy(Corpus(Resolv, variant), path);
        var before = File.ReadAllBytes(path);
        var form = await RunAsync(host, "dns", "edit");
        var posted = (form.Find("nameservers")!.Items, form.Find("search")!.Items);

        var unchanged = await RunAsync(host, "dns", "edit", ModuleTestHost.Submit("Save",
            ("nameservers", string.Join("\n", posted.Item1)), ("search", string.Join("\n", posted.Item2)),
            ("tag", form.Find("tag")!.Text!)));
        var edited = await RunAsync(host, "dns", "edit", ModuleTestHost.Submit("Save",
            ("nameservers", "127.0.0.53\n192.0.2.53"), ("search", "."), ("tag", unchanged.Find("tag")!.Text!)));

        Assert.Equal(["."], posted.Item2);
        Assert.True(unchanged.Succeeded, Errors(unchanged));
        Assert.Equal("Nothing changed.", unchanged.Descr);
        Assert.True(edited.Succeeded, Errors(edited));
        var text = System.Text.Encoding.UTF8.GetString(before);
        Assert.Equal(text.Replace("nameserver 127.0.0.53\n", "nameserver 127.0.0.53\nnameserver 192.0.2.53\n"),
            host.ReadRootFile(Resolv));
    }

    // Issue 14: binary garbage in resolv.conf was accepted, and a save added name servers after it. The page now says
    // which line is not text, shows what it read, and a save (even of a real change) writes nothing.
    [Fact]
    public async Task Dns_BinaryGarbage_SaidWhereAndNothingWritten()
    {
        using var host = Host();
        var path = host.RootPath(Resolv);
        File.Copy(Corpus(Resolv, "chefironbelly-alpine-opennic-binary-garbage"), path);
        var before = File.ReadAllBytes(path);
        var form = await RunAsync(host, "dns", "edit");

        var saved = await RunAsync(host, "dns", "edit", ModuleTestHost.Submit("Save",
            ("nameservers", string.Join("\n", [.. form.Find("nameservers")!.Items, "192.0.2.53"])), ("search", ""),
            ("tag", form.Find("tag")!.Text!)));

        Assert.StartsWith("/etc/resolv.conf holds bytes that are not text (line ", form.Errtxt);
        Assert.NotEmpty(form.Find("nameservers")!.Items);
        Assert.False(saved.Succeeded);
        Assert.Equal(form.Errtxt, saved.Errtxt);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Empty(host.Audit.ReadAll());
    }

    public static TheoryData<string> InterfacesFiles()
    {
        var data = new TheoryData<string>();
        // The -latin1 variants test bytes end to end, the runtime's part of issue 14 (its property test covers them).
        foreach (var file in Directory.GetFiles(Corpus(Interfaces, "")).Order(StringComparer.Ordinal)
                     .Where(f => !f.EndsWith("-latin1", StringComparison.Ordinal)))
            data.Add(Path.GetFileName(file));
        return data;
    }

    // Issue 14 item 6: every stanza of every real file opens from the status page and saves back unchanged: ifupdown-ng's
    // `iface br0` with no family (`use bond`, `requires`), `iface lo inet6 loopback`, `inet ppp`, a second stanza of the
    // same name, `inherits`, CRLF and no final newline. Before, these were refused or could not be opened.
    [Theory]
    [MemberData(nameof(InterfacesFiles))]
    public async Task Edit_EveryStanzaOfARealFile_UnchangedSaveWritesNothing(string variant)
    {
        using var host = HostOn(variant);
        var before = host.Keep(Interfaces);
        var status = await RunAsync(host, "interfaces", "status");

        foreach (var row in status.Rows.Where(r => r.ContainsKey("name@href")))
        {
            var query = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + row["name@href"]).Query);
            var form = await RunAsync(host, "interfaces", "edit",
                Query(query.AllKeys.Select(k => (k!, query[k]!)).ToArray()));
            Assert.Equal(row["name"], form.Find("name")!.Text);

            var result = await RunAsync(host, "interfaces", "edit", EditSubmit(form));

            Assert.True(result.Succeeded, row["name@href"] + ": " + Errors(result));
            Assert.Equal("Nothing changed.", result.Descr);
        }
        before.AssertUnchanged();
        Assert.DoesNotContain(host.Audit.ReadAll(), e => e.Action.StartsWith("service", StringComparison.Ordinal));
    }

    // Issue 14: on ifupdown-ng's `iface br0` (no family), choosing inet answered HTTP 500 (a nil concatenation).
    [Fact]
    public async Task Edit_NoFamilyStanza_ChoosingInetRewritesOnlyItsHead()
    {
        using var host = HostOn("ifupdown-ng-tests-bonded-bridge");
        var before = host.ReadRootFile(Interfaces);
        var form = await RunAsync(host, "interfaces", "edit", Query(("name", "br0"), ("family", "")));

        var result = await RunAsync(host, "interfaces", "edit", EditSubmit(form, ("family", "inet"), ("method", "static")));

        Assert.Equal(["use bridge", "requires bond0", "address 2001:db8:1000:2::2/64", "gateway 2001:db8:1000:2::1"],
            form.Find("other")!.Items);
        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(before.Replace("iface br0\n", "iface br0 inet static\n"), host.ReadRootFile(Interfaces));
    }

    // Issue 14: ifupdown-ng merges stanzas of one name; the second could not be opened, its edit went to the first.
    [Fact]
    public async Task Edit_SecondStanzaOfTheSameName_OpensAndEditsThatOne()
    {
        using var host = HostOn("ifupdown-ng-tests-stanza-merging");
        var before = host.ReadRootFile(Interfaces);
        var status = await RunAsync(host, "interfaces", "status");
        var form = await RunAsync(host, "interfaces", "edit", Query(("name", "cidr"), ("family", ""), ("n", "2")));

        var result = await RunAsync(host, "interfaces", "edit", EditSubmit(form, ("address", "203.0.113.3/24")));

        Assert.Equal("/alpine-baselayout/interfaces/edit?name=cidr&family=&n=2", status.Rows[1]["name@href"]);
        Assert.Equal("203.0.113.2/24", form.Find("address")!.Text);
        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(before.Replace("\taddress 203.0.113.2/24\n", "\taddress 203.0.113.3/24\n"), host.ReadRootFile(Interfaces));
    }

    // Issue 14: a tab inside an option value (a command's own spacing) blocked every save of the stanza.
    [Fact]
    public async Task Edit_TabInsideAnOptionValue_KeptAndTheEditSaves()
    {
        using var host = Host();
        const string text = "auto eth0\niface eth0 inet static\n\taddress 10.0.0.1/24\n\tup ip route add 10.1.0.0/16\tvia 10.0.0.254\n";
        host.WriteRootFile(Interfaces, text);
        var form = await RunAsync(host, "interfaces", "edit", Query(("name", "eth0"), ("family", "inet")));

        var result = await RunAsync(host, "interfaces", "edit", EditSubmit(form, ("mtu", "1400"),
            ("up", "ip route add 10.1.0.0/16\tvia 10.0.0.254\nip route add 10.2.0.0/16\tvia 10.0.0.254")));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(text + "\tmtu 1400\n\tup ip route add 10.2.0.0/16\tvia 10.0.0.254\n", host.ReadRootFile(Interfaces));
    }

    // ifupdown-ng's `iface NAME inherits TEMPLATE`: the head keeps its inherits when the stanza is edited.
    [Fact]
    public async Task Edit_InheritingStanza_ShowsItReadOnlyAndKeepsIt()
    {
        using var host = HostOn("ifupdown-ng-tests-inheritance");
        var before = host.ReadRootFile(Interfaces);
        var form = await RunAsync(host, "interfaces", "edit", Query(("name", "inherit0"), ("family", "")));

        var result = await RunAsync(host, "interfaces", "edit", EditSubmit(form, ("family", "inet"), ("method", "static"),
            ("address", "203.0.113.5/24")));

        Assert.Equal("base0", form.Find("inherits")!.Text);
        Assert.True(form.Find("inherits")!.Readonly);
        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(before.Replace("iface inherit0 inherits base0\n\taddress 203.0.113.3/24\n",
            "iface inherit0 inet static inherits base0\n\taddress 203.0.113.5/24\n"), host.ReadRootFile(Interfaces));
    }

    // A new stanza in ifupdown-ng's own form: no family, no method, its `use` among the options.
    [Fact]
    public async Task Edit_NewStanzaWithoutFamily_WritesIfupdownNgForm()
    {
        using var host = HostOn("ifupdown-ng-tests-wireguard");
        var before = host.ReadRootFile(Interfaces);
        var form = await RunAsync(host, "interfaces", "edit");

        var result = await RunAsync(host, "interfaces", "edit", EditSubmit(form, ("name", "bond0"), ("family", ""),
            ("method", ""), ("other", "use bond\nrequires eth1 eth2")));
        var refused = await RunAsync(host, "interfaces", "edit", EditSubmit(form, ("name", "bond1"), ("family", ""),
            ("method", "dhcp")));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(before + "\niface bond0\n\tuse bond\n\trequires eth1 eth2\n", host.ReadRootFile(Interfaces));
        Assert.False(refused.Succeeded);
        Assert.Contains("no method", refused.Find("method")!.Errtxt);
    }
}
