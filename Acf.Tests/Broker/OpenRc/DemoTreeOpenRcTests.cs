namespace Acf.Tests.Broker.OpenRc;

/// <summary>The repository's demo appliance keeps OpenRC's layout: runlevel and state entries are symlinks (git must
/// keep them as links) to the absolute path of a script that exists in the demo tree.</summary>
public sealed class DemoTreeOpenRcTests
{
    private static readonly string Demo = Path.Combine(ModuleTestHost.RepositoryRoot, "demo");

    public static TheoryData<string> Links()
    {
        var data = new TheoryData<string>();
        foreach (var dir in new[] { "etc/runlevels", "run/openrc/started" })
            foreach (var entry in Directory.EnumerateFileSystemEntries(Path.Combine(Demo, dir), "*", SearchOption.AllDirectories))
                if (!Directory.Exists(entry) && Path.GetFileName(entry) != ".keep")
                    data.Add(Path.GetRelativePath(Demo, entry));
        return data;
    }

    [Theory]
    [MemberData(nameof(Links))]
    public void Entry_IsAbsoluteLinkToItsScript(string entry)
    {
        var info = new FileInfo(Path.Combine(Demo, entry));

        Assert.Equal("/etc/init.d/" + info.Name, info.LinkTarget);
        Assert.True(File.Exists(Path.Combine(Demo, "etc", "init.d", info.Name)));
    }

    [Fact]
    public void Scripts_AreOpenRcRunScripts()
    {
        var scripts = Directory.GetFiles(Path.Combine(Demo, "etc", "init.d"));

        Assert.Equal(15, scripts.Length); // samba joined the demo router
        Assert.All(scripts, script =>
        {
            Assert.StartsWith("#!/sbin/openrc-run\n", File.ReadAllText(script));
            Assert.Contains("depend()", File.ReadAllText(script));
            Assert.True(File.GetUnixFileMode(script).HasFlag(UnixFileMode.UserExecute), script + " is not executable");
        });
    }
}
