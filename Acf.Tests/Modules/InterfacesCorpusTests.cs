using Acf.Modules;
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

    internal static string Corpus(string path, string variant) =>
        Path.Combine(ModuleTestHost.RepositoryRoot, "modules-lua", "alpine-baselayout", "corpus", path.TrimStart('/'), variant);

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
}
