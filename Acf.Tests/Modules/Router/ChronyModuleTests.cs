using static Acf.Tests.Modules.FormPost;
using static Acf.Tests.Modules.Router.RouterHost;

namespace Acf.Tests.Modules.Router;

/// <summary>The time module over the demo tree: time sources changed in place and checked by chronyd -p, bad lines
/// refused with nothing written, the sync state parsed from chronyc's recorded output, the corpus round-trips.</summary>
public class ChronyModuleTests
{
    private const string Conf = "/etc/chrony/chrony.conf";

    private static Task<(CfeNode Result, string Before, string After)> SaveSources(string sources) =>
        SaveOnFreshHostAsync("chrony", "config", Conf, ("sources", sources));

    [Fact]
    public async Task Sources_AddAPeerAndDropThePool_ChangesOnlyThoseLines()
    {
        var (result, before, after) = await SaveSources("server 192.168.1.1 iburst prefer\npeer ntp2.lan minpoll 4");

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(before.Replace("pool pool.ntp.org iburst\n", "peer ntp2.lan minpoll 4\n"), after);
    }

    [Theory]
    [InlineData("server 192.168.1.1 iburst prefer\nserver -q", "not a host name")]
    [InlineData("server 192.168.1.1 iburst prefer\nclock 1.2.3.4", "server, pool or peer")]
    [InlineData("server 192.168.1.1 iburst prefer\nserver ntp.lan minpoll", "needs a number")]
    [InlineData("server 192.168.1.1 iburst prefer\nserver ntp.lan iburst\rinclude /etc/shadow", "control character")]
    public async Task Sources_BadLine_RefusedWithAFieldErrorAndNothingWritten(string sources, string message)
    {
        var (result, before, after) = await SaveSources(sources);

        Assert.Contains(message, result.Find("sources")!.Errtxt);
        Assert.Equal(before, after);
    }

    [Fact]
    [Trait("Category", "RealTools")]
    public async Task Sources_Save_CheckedByTheRealChronyd()
    {
        using var host = Create();
        var form = await RunAsync(host, "chrony", "config", "edit");

        var result = await RunAsync(host, "chrony", "config", "edit",
            Post(form, "Save", ("sources", "server 192.168.1.1 iburst prefer\npool 2.alpine.pool.ntp.org iburst maxsources 3")));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Contains(host.Audit.ReadAll(), e => e.Action == "validate" && e.Module == "chrony" && e.Target.StartsWith("chronyd -p -f"));
    }

    [Fact]
    public async Task Status_ParsesTrackingAndSources()
    {
        using var host = Create();
        var form = await RunAsync(host, "chrony", "status", "view");

        Assert.Equal("synchronised", form.Find("sync")!.Text);
        var tracking = form.Find("tracking")!.Rows.ToDictionary(r => r["item"], r => r["value"]);
        Assert.Equal("C0A80101 (192.168.1.1)", tracking["Reference ID"]);
        Assert.Equal("Sat Dec 05 06:31:48 2026", tracking["Ref time (UTC)"]);
        var sources = form.Find("sources")!.Rows;
        Assert.Equal(["192.168.1.1", "time.cloudflare.com", "ntp1.example.net", "203.0.113.123"], sources.Select(r => r["source"]));
        Assert.Equal("synchronised", sources[0]["state"]);
        Assert.Equal("unusable", sources[3]["state"]);
        Assert.Equal("+12us[  +15us] +/-   18ms", sources[0]["last_sample"]);
    }

    public static IEnumerable<object[]> ConfCorpus() => Corpus("chrony", Conf);

    [Theory]
    [MemberData(nameof(ConfCorpus))]
    public async Task Corpus_UnchangedSave_WritesTheSameBytes(string variant)
    {
        using var host = Create();
        var bytes = LayCorpusFile(host, "chrony", Conf, variant);

        var result = await SaveAsync(host, "chrony", "config");

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(bytes, File.ReadAllBytes(host.RootPath(Conf)));
    }
}
