using static Acf.Tests.Modules.FormPost;
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

    public static ModuleTestHost CreateHost() =>
        ModuleTestHost.Demo(new SystemOptions { Mode = "demo", DemoReadOnlyCommands = [["testparm", "-s"]] });

    [Fact]
    [Trait("Category", "RealTools")]
    public async Task Global_Save_CheckedByTheRealTestparm()
    {
        using var host = CreateHost();
        var result = await SaveAsync(host, "samba", "global", ("workgroup", "ACCOUNTS"));

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
        var bytes = LayCorpusFile(host, "samba", Conf, "raspbmc-security-share");

        var result = await SaveAsync(host, "samba", "global", ("workgroup", "ACCOUNTS"));

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

    [Fact]
    public async Task Users_ListedFromPdbeditWithTheirState()
    {
        using var host = ModuleTestHost.Demo();

        var form = await RunAsync(host, "samba", "users", "edit");

        var rows = form.Find("users")!.Rows;
        Assert.Equal(["alice", "bob"], rows.Select(r => r["user"]));
        Assert.Equal(["yes", "no"], rows.Select(r => r["enabled"]));
        Assert.Equal("Alice Martin", rows[0]["full_name"]);
        Assert.Equal("DU", rows[1]["flags"]);
    }

    [Fact]
    public async Task Users_Add_ThePasswordReachesNoArgvNoAuditNoFileAndNotTheForm()
    {
        const string Password = "Winter-2026!q7";
        using var host = ModuleTestHost.Demo();

        var result = await RunAsync(host, "samba", "users", "edit",
            ModuleTestHost.Submit("Add", ("user", "carol"), ("password", Password), ("confirm", Password)));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Contains(host.Audit.ReadAll(), e => e.Action == "exec-simulated" && e.Target == "smbpasswd -a -s carol");
        Assert.Equal("", result.Find("password")!.Text ?? "");
        foreach (var file in Directory.EnumerateFiles(host.DataPath, "*", SearchOption.AllDirectories))
            Assert.DoesNotContain(Password, File.ReadAllText(file));
        foreach (var file in Directory.EnumerateFiles(host.Root, "*", SearchOption.AllDirectories).Where(f => new FileInfo(f).LinkTarget is null))
            Assert.DoesNotContain(Password, File.ReadAllText(file));
    }

    [Fact]
    public async Task Status_ParsesSmbstatusIntoClientsSharesAndOpenFiles()
    {
        using var host = ModuleTestHost.Demo();

        var form = await RunAsync(host, "samba", "status", "view");

        Assert.Equal("started", form.Find("status")!.Text);
        var clients = form.Find("processes")!.Rows;
        Assert.Equal(["alice", "nobody"], clients.Select(r => r["user"]));
        Assert.Equal("192.168.1.20 (ipv4:192.168.1.20:50412)", clients[0]["machine"]);
        Assert.Equal("partial(AES-128-GMAC)", clients[0]["signing"]);
        Assert.Equal(["office", "IPC$", "public"], form.Find("shares")!.Rows.Select(r => r["share"]));
        Assert.Equal("Sat Dec  5 09:12:03 AM 2026 UTC", form.Find("shares")!.Rows[0]["connected"]);
        var files = form.Find("locks")!.Rows;
        Assert.Equal(["budget 2027.xlsx", "scans/flyer.pdf"], files.Select(r => r["name"]));
        Assert.Equal(["/srv/samba/office", "/srv/samba/public"], files.Select(r => r["path"]));
        Assert.Equal("Sat Dec  5 09:30:11 2026", files[0]["time"]);
    }

    [Fact]
    public async Task Users_SetPassword_SmbpasswdGetsThePasswordTwiceOnStdin()
    {
        const string Password = "Spring-2027!k3";
        var spy = new BrokerSpy();
        using var host = new ModuleTestHost(new ModulesOptions(), copyRealModules: true,
            system: new SystemOptions { Mode = "demo" }) { WrapBroker = spy.Around };
        host.CopyDemoTree();

        var result = await RunAsync(host, "samba", "users", "edit",
            ModuleTestHost.Submit("Set password", ("user", "alice"), ("password", Password), ("confirm", Password)));

        Assert.True(result.Succeeded, Errors(result));
        var requests = spy.Requests.OfType<ExecRequest>().ToList();
        var smbpasswd = Assert.Single(requests, r => r.Argv[0] == "smbpasswd");
        Assert.Equal(["smbpasswd", "-s", "alice"], smbpasswd.Argv);
        Assert.Equal(Password + "\n" + Password + "\n", smbpasswd.Stdin);
        Assert.All(requests.Where(r => r.Argv[0] != "smbpasswd"), r => Assert.Null(r.Stdin));
    }
}
