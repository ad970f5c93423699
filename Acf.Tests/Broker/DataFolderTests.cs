namespace Acf.Tests.Broker;

/// <summary>Issue 16 item 6: the data folder (audit log, history, demo root) is Acf's own, or Acf does not start.</summary>
public sealed class DataFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("acf-data-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private SystemHost Resolve(string dataPath, string? root = null) => SystemHost.Resolve(
        new SystemOptions { Mode = "demo", Root = root, DemoSource = Path.Combine(Modules.ModuleTestHost.RepositoryRoot, "demo") },
        new DataOptions { Path = dataPath }, new CatalogOptions { Path = Path.Combine(Modules.ModuleTestHost.RepositoryRoot, "modules-lua") },
        _dir, NullLogger.Instance);

    [Fact]
    public void Resolve_NewDataFolder_CreatedPrivate()
    {
        var data = Path.Combine(_dir, "data");

        Resolve(data);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
    }

    [Fact]
    public void DefaultUserDataPath_FreshHomeWithoutLocalShare_StillUnderHome()
    {
        var home = Path.Combine(_dir, "fresh-home"); // no .local/share: a new account, or HOME=$(mktemp -d)
        Directory.CreateDirectory(home);

        var path = SystemHost.DefaultUserDataPath(name => name == "HOME" ? home : null);

        Assert.Equal(Path.Combine(home, ".local", "share", "acf"), path);
    }

    [Fact]
    public void DefaultUserDataPath_XdgDataHome_Wins_AndNoHomeAtAll_Refused()
    {
        Assert.Equal("/srv/x/acf", SystemHost.DefaultUserDataPath(name => name == "XDG_DATA_HOME" ? "/srv/x" : "/root"));
        Assert.Throws<InvalidOperationException>(() => SystemHost.DefaultUserDataPath(_ => null));
        Assert.Throws<InvalidOperationException>(() => SystemHost.DefaultUserDataPath(_ => "relative/home"));
    }

    [Fact]
    public void Resolve_PlantedDemoRootLink_Refused()
    {
        var data = Path.Combine(_dir, "data");
        Directory.CreateDirectory(data);
        Directory.CreateDirectory(Path.Combine(_dir, "elsewhere"));
        Directory.CreateSymbolicLink(Path.Combine(data, "demo-root"), Path.Combine(_dir, "elsewhere"));

        var error = Assert.Throws<InvalidOperationException>(() => Resolve(data));

        Assert.Contains("symbolic link", error.Message);
    }

    [Fact]
    public void Resolve_DataFolderIsALink_Refused()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "real"));
        var data = Path.Combine(_dir, "data");
        Directory.CreateSymbolicLink(data, Path.Combine(_dir, "real"));

        Assert.Throws<InvalidOperationException>(() => Resolve(data));
    }

    [Fact]
    public void Resolve_DataFolderOfAnotherUser_Refused()
    {
        if (Environment.UserName != "root") return; // only root can give a folder away; the suite runs as root (test.sh)
        var data = Path.Combine(_dir, "data");
        Directory.CreateDirectory(data);
        using (var chown = global::System.Diagnostics.Process.Start("chown", ["65534", data])!)
        {
            chown.WaitForExit();
            Assert.Equal(0, chown.ExitCode);
        }

        var error = Assert.Throws<InvalidOperationException>(() => Resolve(data));

        Assert.Contains("belongs to another user", error.Message);
    }
}
