using Acf.Broker;
using Acf.Modules;
using Acf.Modules.Cfe;
using static Acf.Tests.Modules.Router.RouterHost;

namespace Acf.Tests.Modules.Samba;

/// <summary>
/// The samba module with the real validator: every save of smb.conf is checked by Debian's testparm -s (as the demo
/// host runs it), and a file testparm refuses is not written. The fixtures (modules-lua/samba/fixtures) cover the
/// forms without it; the lossless property test covers the corpus.
/// </summary>
public class SambaModuleTests
{
    private const string Conf = "/etc/samba/smb.conf";

    public static ModuleTestHost CreateHost()
    {
        var host = new ModuleTestHost(new ModulesOptions(), copyRealModules: true,
            system: new SystemOptions { Mode = "demo", DemoReadOnlyCommands = [["testparm", "-s"]] });
        host.CopyDemoTree();
        return host;
    }

    [Fact]
    [Trait("Category", "RealTools")]
    public async Task Global_Save_CheckedByTheRealTestparm()
    {
        using var host = CreateHost();
        var form = await RunAsync(host, "samba", "global", "edit");

        var result = await RunAsync(host, "samba", "global", "edit", Post(form, "Save", ("workgroup", "ACCOUNTS")));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Contains("   workgroup = ACCOUNTS\n", host.ReadRootFile(Conf));
        Assert.Contains(host.Audit.ReadAll(), e => e.Action == "validate" && e.Module == "samba" && e.Target.StartsWith("testparm -s"));
    }

    [Fact]
    [Trait("Category", "RealTools")]
    public async Task Global_FileTestparmRefuses_SaveRefusedWithItsMessageAndNothingWritten()
    {
        using var host = CreateHost();
        // Samba 3's "security = share" (a real file of the corpus): today's testparm refuses the whole file.
        var bytes = CorpusBytes("samba", Conf, "raspbmc-security-share");
        File.WriteAllBytes(host.RootPath(Conf), bytes);
        var form = await RunAsync(host, "samba", "global", "edit");

        var result = await RunAsync(host, "samba", "global", "edit", Post(form, "Save", ("workgroup", "ACCOUNTS")));

        Assert.False(result.Succeeded);
        Assert.Contains("security", result.Errtxt);
        Assert.Equal(bytes, File.ReadAllBytes(host.RootPath(Conf)));
        Assert.DoesNotContain(host.Audit.ReadAll(), e => e.Action == "write");
        Assert.Contains(host.Audit.ReadAll(), e => e.Action == "write-refused" && e.Target == Conf);
    }

    [Fact]
    [Trait("Category", "RealTools")]
    public async Task Shares_AddWithAMissingFolder_FolderMadeAndTheFileAcceptedByTestparm()
    {
        using var host = CreateHost();
        var form = await RunAsync(host, "samba", "shares", "edit");

        var result = await RunAsync(host, "samba", "shares", "edit", Post(form, "Save", ("name", "scans"),
            ("path", "/srv/samba/scans"), ("read_only", "false")));

        Assert.True(result.Succeeded, Errors(result));
        Assert.True(Directory.Exists(host.RootPath("/srv/samba/scans")));
        Assert.EndsWith("\n[scans]\n   path = /srv/samba/scans\n   read only = no\n", host.ReadRootFile(Conf));
        Assert.Contains(host.Audit.ReadAll(), e => e.Action == "mkdir" && e.Module == "samba" && e.Target == "/srv/samba/scans");
        Assert.Contains(host.Audit.ReadAll(), e => e.Action == "validate" && e.Module == "samba" && e.Target.StartsWith("testparm -s"));
    }
}
