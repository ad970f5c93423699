using Acf.Broker.OpenRc;
using Microsoft.Extensions.Time.Testing;

namespace Acf.Tests.Broker.OpenRc;

/// <summary>OpenRC on the demo host: state, runlevels and descriptions read from OpenRC's files, control and
/// runlevel changes made on them as OpenRC makes them, and never a write outside the root.</summary>
public sealed class DemoServiceManagerTests : IDisposable
{
    private const string Sshd = """
        #!/sbin/openrc-run

        description="OpenBSD Secure Shell server"
        extra_commands="checkconfig"
        extra_started_commands="reload"
        command="/usr/sbin/sshd"

        depend() {
        	use logger dns
        }
        """;

    private const string Squid = """
        #!/sbin/openrc-run

        extra_started_commands="reload rotate"

        depend() {
        	need net
        }
        """;

    private const string Local = """
        #!/sbin/openrc-run

        description="Executes user programs in /etc/local.d"

        depend()
        {
        	after *
        }
        """;

    private const string Crond = """
        #!/sbin/openrc-run

        name="busybox $SVCNAME"
        command="/usr/sbin/$SVCNAME"
        """;

    private const string Acf = """
        #!/sbin/openrc-run

        description="Acf web administration interface"
        supervisor=supervise-daemon
        command="/usr/lib/acf/Acf.Web"
        """;

    private static readonly DateTimeOffset Now = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    private readonly OpenRcTestRoot _root = new();

    public DemoServiceManagerTests()
    {
        _root.Script("sshd", Sshd).Script("squid", Squid).Script("local", Local).Script("crond", Crond).Script("acf", Acf)
            .Runlevel("boot", "crond").Runlevel("default", "sshd", "local", "acf").Runlevel("nonetwork").Runlevel("sysinit")
            .Mark("started", "sshd", "crond");
    }

    private DemoServiceManager Manager => new(_root.Host, new FakeTimeProvider(Now));

    public void Dispose() => _root.Dispose();

    [Fact]
    public void List_RepositoryDemo_ShowsStatesRunlevelsAndDescriptions()
    {
        using var demo = new OpenRcTestRoot().CopyDemo();
        var manager = new DemoServiceManager(demo.Host, new FakeTimeProvider(Now));

        var services = manager.List().ToDictionary(s => s.Name);

        Assert.Equal(["acf", "chronyd", "crond", "dnsmasq", "frr", "iptables", "local", "networking", "opennhrp", "samba", "squid", "sshd", "staticroute", "strongswan", "syslog"], services.Keys);
        Assert.Equal(["default"], services["samba"].Runlevels);   // the office box shares files
        Assert.Equal("OpenBSD Secure Shell server", services["sshd"].Description);
        Assert.Equal(["default"], services["sshd"].Runlevels);
        Assert.Equal(["checkconfig", "reload"], services["sshd"].ExtraCommands);
        Assert.Equal(["boot"], services["networking"].Runlevels);
        Assert.Equal(["boot"], services["syslog"].Runlevels);
        Assert.Equal("Message logging system", services["syslog"].Description);
        Assert.Equal(ServiceState.Stopped, services["squid"].State);
        Assert.Empty(services["squid"].Runlevels);
        Assert.Equal(["default"], services["dnsmasq"].Runlevels);   // the demo router serves DHCP and DNS
        Assert.Equal(ServiceState.Stopped, services["local"].State);
        Assert.Equal(["default"], services["local"].Runlevels);
        Assert.All(new[] { "sshd", "crond", "networking", "syslog", "chronyd", "acf", "samba" },
            name => Assert.Equal(ServiceState.Started, services[name].State));
    }

    [Fact]
    public void Runlevels_RepositoryDemo_SortedFolderNames()
    {
        using var demo = new OpenRcTestRoot().CopyDemo();

        var runlevels = new DemoServiceManager(demo.Host, new FakeTimeProvider(Now)).Runlevels();

        Assert.Equal(["boot", "default", "nonetwork", "shutdown", "sysinit"], runlevels);
    }

    [Theory]
    [InlineData("started failed", ServiceState.Crashed)]
    [InlineData("failed", ServiceState.Failed)]
    [InlineData("inactive", ServiceState.Inactive)]
    [InlineData("starting", ServiceState.Starting)]
    [InlineData("stopping started", ServiceState.Stopping)]
    public void Get_StateLinks_MapToRcStatusStates(string states, ServiceState expected)
    {
        foreach (var state in states.Split(' ')) _root.Mark(state, "squid");

        var squid = Manager.Get("squid");

        Assert.Equal(expected, squid!.State);
    }

    [Theory]
    [InlineData("nginx")]
    [InlineData("../etc/passwd")]
    [InlineData(".hidden")]
    public void Get_UnknownOrInvalid_Null(string name)
    {
        var info = Manager.Get(name);

        Assert.Null(info);
    }

    [Fact]
    public void Control_StopThenStart_RemovesAndRestoresStartedLink()
    {
        var manager = Manager;

        var stop = manager.Control("sshd", ServiceVerb.Stop);
        var stoppedState = manager.Get("sshd")!.State;
        var linkAfterStop = _root.Exists("/run/openrc/started/sshd");
        var start = manager.Control("sshd", ServiceVerb.Start);

        Assert.Equal(new ExecResult(0, " * Stopping sshd ... [ ok ]\n", "", false, false, true), stop);
        Assert.Equal(ServiceState.Stopped, stoppedState);
        Assert.False(linkAfterStop);
        Assert.Equal(new ExecResult(0, " * Starting sshd ... [ ok ]\n", "", false, false, true), start);
        Assert.Equal("/etc/init.d/sshd", _root.LinkTarget("/run/openrc/started/sshd"));
        Assert.Equal(ServiceState.Started, manager.Get("sshd")!.State);
    }

    [Fact]
    public void Control_StartStarted_WarnsAndChangesNothing()
    {
        var result = Manager.Control("sshd", ServiceVerb.Start);

        Assert.Equal(0, result.Status);
        Assert.Equal("", result.Stdout);
        Assert.Equal(" * WARNING: sshd has already been started\n", result.Stderr);
        Assert.Equal("/etc/init.d/sshd", _root.LinkTarget("/run/openrc/started/sshd"));
    }

    [Fact]
    public void Control_StopStopped_Warns()
    {
        var result = Manager.Control("squid", ServiceVerb.Stop);

        Assert.Equal(new ExecResult(0, "", " * WARNING: squid is already stopped\n", false, false, true), result);
    }

    [Fact]
    public void Control_StopBootService_WarnsAndUsesScriptName()
    {
        var result = Manager.Control("crond", ServiceVerb.Stop);

        Assert.Equal(" * Stopping busybox crond ... [ ok ]\n", result.Stdout);
        Assert.Equal(" * WARNING: you are stopping a boot service\n", result.Stderr);
        Assert.False(_root.Exists("/run/openrc/started/crond"));
    }

    [Fact]
    public void Control_RestartCrashed_StopsStartsAndClearsFailed()
    {
        _root.Mark("failed", "sshd");

        var result = Manager.Control("sshd", ServiceVerb.Restart);

        Assert.Equal(" * Stopping sshd ... [ ok ]\n * Starting sshd ... [ ok ]\n", result.Stdout);
        Assert.False(_root.Exists("/run/openrc/failed/sshd"));
        Assert.Equal("/etc/init.d/sshd", _root.LinkTarget("/run/openrc/started/sshd"));
        Assert.Equal(ServiceState.Started, Manager.Get("sshd")!.State);
    }

    [Fact]
    public void Control_RestartStopped_OnlyStarts()
    {
        var result = Manager.Control("squid", ServiceVerb.Restart);

        Assert.Equal(new ExecResult(0, " * Starting squid ... [ ok ]\n", "", false, false, true), result);
        Assert.Equal("/etc/init.d/squid", _root.LinkTarget("/run/openrc/started/squid"));
    }

    [Fact]
    public void Control_ReloadStarted_Reloads()
    {
        var result = Manager.Control("sshd", ServiceVerb.Reload);

        Assert.Equal(new ExecResult(0, " * Reloading sshd ... [ ok ]\n", "", false, false, true), result);
    }

    [Fact]
    public void Control_ReloadWithoutReloadCommand_RefusedAndStateKept()
    {
        _root.Mark("started", "local");

        var result = Manager.Control("local", ServiceVerb.Reload);

        Assert.Equal(new ExecResult(1, "", " * local: unknown function `reload'\n", false, false, true), result);
        Assert.Equal(ServiceState.Started, Manager.Get("local")!.State);
    }

    [Fact]
    public void Control_ReloadStopped_RefusedAsNotStarted()
    {
        var result = Manager.Control("squid", ServiceVerb.Reload);

        Assert.Equal(new ExecResult(1, "", " * squid: cannot `reload' as it has not been started\n", false, false, true), result);
        Assert.False(_root.Exists("/run/openrc/started/squid"));
    }

    [Fact]
    public void Control_UnknownService_FailsLikeRcService()
    {
        var result = Manager.Control("nginx", ServiceVerb.Start);

        Assert.Equal(new ExecResult(1, "", " * rc-service: service `nginx' does not exist\n", false, false, true), result);
        Assert.False(_root.Exists("/run/openrc/started/nginx"));
    }

    [Theory]
    [InlineData("../../outside/x")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData(".sshd")]
    [InlineData("sshd\n")]
    [InlineData("sshd;reboot")]
    public void Control_InvalidName_RefusedWithoutWriting(string name)
    {
        var before = OpenRcTestRoot.Listing(Path.GetDirectoryName(_root.Root)!);

        var result = Manager.Control(name, ServiceVerb.Start);

        Assert.Equal(1, result.Status);
        Assert.Contains("is not a valid service name", result.Stderr);
        Assert.Equal(before, OpenRcTestRoot.Listing(Path.GetDirectoryName(_root.Root)!));
    }

    [Fact]
    public void Control_StartSupervised_RecordsStartTimeAndStopDropsIt()
    {
        var manager = Manager;

        manager.Control("acf", ServiceVerb.Start);
        var startTime = File.ReadAllText(_root.HostPath("/run/openrc/options/acf/start_time"));
        var startCount = File.ReadAllText(_root.HostPath("/run/openrc/options/acf/start_count"));
        manager.Control("acf", ServiceVerb.Stop);

        Assert.Equal("2025-03-14 09:26:53", startTime);
        Assert.Equal("0", startCount);
        Assert.False(Directory.Exists(_root.HostPath("/run/openrc/options/acf")));
    }

    [Fact]
    public void SetRunlevels_AddOne_AddsOnlyTheDifferenceWithAbsoluteLink()
    {
        // A relative link (as some tools make them) shows whether the kept entry was left alone or rewritten.
        File.Delete(_root.HostPath("/etc/runlevels/default/sshd"));
        _root.Link("/etc/runlevels/default/sshd", "../../init.d/sshd");

        var result = Manager.SetRunlevels("sshd", ["default", "nonetwork"]);

        Assert.Equal(new ExecResult(0, " * service sshd added to runlevel nonetwork\n", "", false, false, true), result);
        Assert.Equal("/etc/init.d/sshd", _root.LinkTarget("/etc/runlevels/nonetwork/sshd"));
        Assert.Equal("../../init.d/sshd", _root.LinkTarget("/etc/runlevels/default/sshd"));
        Assert.Equal(["default", "nonetwork"], Manager.Get("sshd")!.Runlevels);
    }

    [Fact]
    public void SetRunlevels_Move_RemovesThenAdds()
    {
        var result = Manager.SetRunlevels("sshd", ["boot"]);

        Assert.Equal(" * service sshd removed from runlevel default\n * service sshd added to runlevel boot\n", result.Stdout);
        Assert.Equal(0, result.Status);
        Assert.True(result.Simulated);
        Assert.False(_root.Exists("/etc/runlevels/default/sshd"));
        Assert.Equal("/etc/init.d/sshd", _root.LinkTarget("/etc/runlevels/boot/sshd"));
        Assert.True(_root.Exists("/etc/init.d/sshd"));
    }

    [Fact]
    public void SetRunlevels_None_RemovesFromEveryRunlevel()
    {
        var result = Manager.SetRunlevels("sshd", []);

        Assert.Equal(" * service sshd removed from runlevel default\n", result.Stdout);
        Assert.Empty(Manager.Get("sshd")!.Runlevels);
        Assert.Equal(ServiceState.Started, Manager.Get("sshd")!.State);
    }

    [Fact]
    public void SetRunlevels_Unchanged_PrintsNothing()
    {
        var before = OpenRcTestRoot.Listing(_root.Root);

        var result = Manager.SetRunlevels("sshd", ["default"]);

        Assert.Equal(new ExecResult(0, "", "", false, false, true), result);
        Assert.Equal(before, OpenRcTestRoot.Listing(_root.Root));
    }

    [Fact]
    public void SetRunlevels_UnknownRunlevel_RefusedWithoutChanges()
    {
        var before = OpenRcTestRoot.Listing(_root.Root);

        var result = Manager.SetRunlevels("sshd", ["boot", "single"]);

        Assert.Equal(new ExecResult(1, "", " * rc-update: `single' is not a valid runlevel\n", false, false, true), result);
        Assert.Equal(before, OpenRcTestRoot.Listing(_root.Root));
    }

    [Fact]
    public void SetRunlevels_UnknownService_Refused()
    {
        var result = Manager.SetRunlevels("nginx", ["default"]);

        Assert.Equal(new ExecResult(1, "", " * rc-update: service `nginx' does not exist\n", false, false, true), result);
        Assert.False(_root.Exists("/etc/runlevels/default/nginx"));
    }

    [Theory]
    [InlineData("../init.d")]
    [InlineData("default/../../x")]
    public void SetRunlevels_InvalidRunlevelName_Refused(string level)
    {
        var before = OpenRcTestRoot.Listing(Path.GetDirectoryName(_root.Root)!);

        var result = Manager.SetRunlevels("sshd", [level]);

        Assert.Equal(1, result.Status);
        Assert.Contains("is not a valid runlevel", result.Stderr);
        Assert.Equal(before, OpenRcTestRoot.Listing(Path.GetDirectoryName(_root.Root)!));
    }

    [Fact]
    public void Control_StateFolderLinksOutOfRoot_WritesStayInsideRoot()
    {
        // /run/openrc is an absolute link to the outside folder's real path: inside the root it names
        // <root>/<that path>, never the outside folder itself.
        Directory.Delete(_root.HostPath("/run/openrc"), recursive: true);
        _root.Link("/run/openrc", _root.Outside);

        var result = Manager.Control("squid", ServiceVerb.Start);

        Assert.Equal(0, result.Status);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root.Outside));
        Assert.Equal("/etc/init.d/squid", new FileInfo(Path.Combine(_root.Root, _root.Outside.TrimStart('/'), "started", "squid")).LinkTarget);
    }

    [Fact]
    public void SetRunlevels_RunlevelFolderLinksOutOfRoot_WritesStayInsideRoot()
    {
        Directory.CreateDirectory(Path.Combine(_root.Root, _root.Outside.TrimStart('/')));
        _root.Link("/etc/runlevels/custom", _root.Outside);

        var result = Manager.SetRunlevels("sshd", ["default", "custom"]);

        Assert.Equal(" * service sshd added to runlevel custom\n", result.Stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root.Outside));
        Assert.Equal("/etc/init.d/sshd", new FileInfo(Path.Combine(_root.Root, _root.Outside.TrimStart('/'), "sshd")).LinkTarget);
    }
}
