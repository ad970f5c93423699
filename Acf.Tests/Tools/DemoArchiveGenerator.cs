namespace Acf.Tests.Tools;

/// <summary>
/// Not a test: writes demo/var/lib/lbu/&lt;host&gt;.apkovl.tar.gz, the commit a freshly set-up box would have, so
/// that the demo starts with nothing uncommitted. Run by hand after the demo tree changes:
/// <c>ACF_MAKE_DEMO_APKOVL=1 dotnet test Acf.Tests --filter DemoArchiveGenerator</c>.
/// </summary>
public class DemoArchiveGenerator
{
    [Fact]
    public void Generate_WhenAsked_WritesTheDemoCommit()
    {
        if (Environment.GetEnvironmentVariable("ACF_MAKE_DEMO_APKOVL") != "1") return;
        using var host = new ModuleTestHost();
        host.CopyDemoTree();
        var lbuFolder = Path.Combine(host.Root, "var", "lib", "lbu");
        if (Directory.Exists(lbuFolder)) Directory.Delete(lbuFolder, recursive: true);

        var result = new DemoLbu(host.Host, TimeProvider.System).Commit(null);

        Assert.Equal(0, result.Status);
        var target = Path.Combine(ModuleTestHost.RepositoryRoot, "demo", "var", "lib", "lbu");
        Directory.CreateDirectory(target);
        foreach (var old in Directory.GetFiles(target)) File.Delete(old);
        foreach (var archive in Directory.GetFiles(lbuFolder)) File.Copy(archive, Path.Combine(target, Path.GetFileName(archive)));
    }
}
