namespace Acf.Tests.Broker;

/// <summary>
/// <c>Acf:Exec:Through</c>, the lab's seam: the Alpine broker runs every command behind an argv prefix (into a lab
/// node); the demo host never does.
/// </summary>
public sealed class ExecThroughTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public void Run_Through_PrefixIsArgvWithoutShell()
    {
        // printf as the prefix prints every word it is handed on its own line: the command's words arrive unsplit
        // and unexpanded, as argv, after the prefix's own.
        var runner = new CommandRunner(["/usr/bin/printf", "%s\\n"]);

        var result = runner.Run(["rc-service", "a b; touch /tmp/x", "$HOME"], null, Timeout, 4096);

        Assert.Equal(0, result.Status);
        Assert.Equal("rc-service\na b; touch /tmp/x\n$HOME\n", result.Stdout);
    }

    [Fact]
    public void Run_Through_CommandNameIsLeftToTheNode()
    {
        // The node finds argv[0]: a name this machine lacks still reaches the prefix.
        var result = new CommandRunner(["/usr/bin/printf", "%s\\n"]).Run(["no-such-command-acf"], null, Timeout, 4096);

        Assert.Equal(0, result.Status);
        Assert.Equal("no-such-command-acf\n", result.Stdout);
    }

    [Fact]
    public void SandboxArgv_InNode_MountsFromCanonicalPaths()
    {
        var argv = ValidatorSandbox.Argv("/srv/node1", ["/etc/squid/"], ["squid", "-k", "parse"], inNode: true);
        var outside = ValidatorSandbox.Argv("/srv/node1", ["/etc/squid/"], ["squid", "-k", "parse"]);

        Assert.Contains("--ro-bind-try /etc/squid /etc/squid", string.Join(' ', argv));
        Assert.Contains("--ro-bind-try /etc/hosts /etc/hosts", string.Join(' ', argv));
        Assert.Contains("--ro-bind-try /srv/node1/etc/squid /etc/squid", string.Join(' ', outside));
    }

    /// <summary>
    /// Issue 18, found in the interfaces lab: alpine-baselayout declares /proc/net/dev and /sys/class/net/ (its pages
    /// read the live state), and where the host root is / (a box, a lab node) the sandbox bound /proc/net/dev over its
    /// own /proc, which bwrap cannot do: every interfaces save was refused with "bwrap: Can't bind mount
    /// /oldroot/proc/.../net/dev on /newroot/proc/net/dev". The kernel's paths are not bound; the tool has its own /proc.
    /// </summary>
    [Fact]
    public void Sandbox_ModuleReadsProcAndSys_ValidatorRunsWhereTheHostRootIsSlash()
    {
        var sandbox = new ValidatorSandbox(new CommandRunner(), Microsoft.Extensions.Options.Options.Create(new ExecOptions()));
        Assert.True(sandbox.Available, "bwrap (installed by scripts/test.sh) confines validators");

        var result = sandbox.Run("/", ["/etc/hostname", "/proc/net/dev", "/proc/uptime", "/sys/class/net/"],
            ["cat", "/etc/hostname", "/proc/net/dev"]);

        Assert.True(result.Status == 0, result.Stderr);
        Assert.Contains("lo:", result.Stdout); // the sandbox's own /proc: its network namespace has only a loopback
        var argv = string.Join(' ', ValidatorSandbox.Argv("/", ["/proc/net/dev", "/sys/class/net/"], ["true"]));
        Assert.DoesNotContain("--ro-bind-try /proc", argv);
        Assert.DoesNotContain("--ro-bind-try /sys", argv);
    }

    [Theory]
    [InlineData("demo", 0)]
    [InlineData("alpine", 3)]
    public void Services_Through_OnlyTheAlpineBrokerUsesIt(string mode, int expected)
    {
        using var factory = new AcfAppFactory();
        factory.Settings["Acf:System:Mode"] = mode;
        var root = Directory.CreateDirectory(Path.Combine(factory.DataPath, "root", "etc", "acf")).Parent!.Parent!.FullName;
        if (mode == "alpine") factory.Settings["Acf:System:Root"] = root;
        factory.Settings["Acf:Exec:Through:0"] = "/usr/bin/nsenter";
        factory.Settings["Acf:Exec:Through:1"] = "--target=1";
        factory.Settings["Acf:Exec:Through:2"] = "--";

        var runner = factory.Services.GetRequiredService<CommandRunner>();

        Assert.Equal(expected, runner.Through.Count);
    }

    [Fact]
    public void DemoBroker_Through_ValidatorRunsHereNotThroughThePrefix()
    {
        using var factory = new AcfAppFactory();
        factory.Settings["Acf:Exec:Through:0"] = "/usr/bin/false";
        var sandbox = factory.Services.GetRequiredService<ValidatorSandbox>();
        Assert.True(sandbox.Available, "bwrap (installed by scripts/test.sh) confines validators");

        // /usr/bin/false as the prefix would make every command fail: the demo host's confined command succeeds.
        var result = sandbox.Run(factory.DemoRoot, ["/etc/hostname"], ["cat", "/etc/hostname"]);

        Assert.Equal(0, result.Status);
        Assert.Equal(File.ReadAllText(Path.Combine(factory.DemoRoot, "etc/hostname")), result.Stdout);
    }
}
