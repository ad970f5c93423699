using Acf.Broker.OpenRc;

namespace Acf.Tests.Broker.OpenRc;

/// <summary>The parts of the Alpine manager that need no OpenRC on the test machine: refusals before any command,
/// the runlevel difference (nothing to run when there is none) and reading runlevels under the root. The command
/// outputs it reads are covered by the parser tests.</summary>
public sealed class AlpineServiceManagerTests : IDisposable
{
    private readonly OpenRcTestRoot _root = new();

    public AlpineServiceManagerTests()
    {
        _root.Script("sshd", "#!/sbin/openrc-run\ndescription=\"OpenBSD Secure Shell server\"\n")
            .Runlevel("default", "sshd").Runlevel("boot").Runlevel("sysinit");
    }

    private AlpineServiceManager Manager => new(_root.Host with { Mode = HostMode.Alpine }, new CommandRunner());

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData("../sshd")]
    [InlineData("-v")]
    [InlineData("sshd start")]
    public void Control_InvalidName_RefusedWithoutRunningRcService(string name)
    {
        var result = Manager.Control(name, ServiceVerb.Start);

        // rc-service is absent here: had it been run, the status would be 127 ("command not found").
        Assert.Equal(1, result.Status);
        Assert.Contains("is not a valid service name", result.Stderr);
        Assert.False(result.Simulated);
    }

    [Fact]
    public void SetRunlevels_InvalidRunlevel_RefusedWithoutRunningRcUpdate()
    {
        var result = Manager.SetRunlevels("sshd", ["default", "--all"]);

        Assert.Equal(new ExecResult(1, "", " * rc-update: `--all' is not a valid runlevel\n", false, false, false), result);
    }

    [Fact]
    public void SetRunlevels_NoDifference_RunsNothing()
    {
        var result = Manager.SetRunlevels("sshd", ["default"]);

        Assert.Equal(new ExecResult(0, "", "", false, false, false), result);
    }

    [Fact]
    public void Runlevels_ReadsRunlevelFoldersUnderRoot()
    {
        var runlevels = Manager.Runlevels();

        Assert.Equal(["boot", "default", "sysinit"], runlevels);
    }

    [Fact]
    public void Get_InvalidName_NullWithoutRunningCommands()
    {
        var info = Manager.Get("../../etc/shadow");

        Assert.Null(info);
    }
}
