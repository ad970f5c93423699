namespace Acf.Tests.Broker.Apk;

/// <summary>The Alpine side without apk: the command line it would run, refusals before anything runs, and the
/// state read from the files (the same reader as the demo host).</summary>
public sealed class AlpineApkManagerTests
{
    [Theory]
    [InlineData(ApkVerb.Add, "apk --no-progress add nginx squid>=6.13")]
    [InlineData(ApkVerb.Del, "apk --no-progress del nginx squid>=6.13")]
    public void Argv_WithNames_NamesAfterTheApplet(ApkVerb verb, string expected)
    {
        var argv = AlpineApkManager.Argv("/", verb, ["nginx", "squid>=6.13"]);

        Assert.Equal(expected, string.Join(' ', argv));
    }

    [Fact]
    public void Argv_RootElsewhere_PassesRoot()
    {
        var argv = AlpineApkManager.Argv("/mnt/sysroot", ApkVerb.Upgrade, []);

        Assert.Equal(["apk", "--no-progress", "--root", "/mnt/sysroot", "upgrade"], argv);
    }

    [Theory]
    [InlineData(ApkVerb.Add, new[] { "--allow-untrusted" }, "ERROR: '--allow-untrusted' is not a valid world dependency, format is name(@tag)([<>~=]version)")]
    [InlineData(ApkVerb.Add, new[] { "foo bar" }, "ERROR: 'foo bar' is not a valid world dependency, format is name(@tag)([<>~=]version)")]
    [InlineData(ApkVerb.Del, new string[0], "ERROR: apk del needs at least one package name")]
    [InlineData(ApkVerb.Update, new[] { "busybox" }, "ERROR: apk update takes no package names")]
    public void Run_RefusedRequest_Status1WithoutRunning(ApkVerb verb, string[] packages, string message)
    {
        using var root = new ApkTestRoot();
        var manager = new AlpineApkManager(root.Host with { Mode = HostMode.Alpine }, new CommandRunner());
        var lines = new List<string>();

        var result = manager.Run(verb, packages, lines.Add);

        Assert.Equal(1, result.Status);
        Assert.Equal(message + "\n", result.Stderr);
        Assert.Equal([message], lines);
        Assert.False(result.Simulated);
    }

    [Fact]
    public void ReadState_Root_ReadsApkFiles()
    {
        using var root = new ApkTestRoot();
        var manager = new AlpineApkManager(root.Host with { Mode = HostMode.Alpine }, new CommandRunner());

        var state = manager.ReadState();

        Assert.Equal(["musl", "busybox", "alpine-baselayout-data"], state.Installed.Select(p => p.Name));
        Assert.Equal(7, state.Available.Count);
    }
}
