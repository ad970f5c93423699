using System.Text;
using Acf.Broker;
using Acf.Broker.Apk;

namespace Acf.Tests.Broker.Apk;

/// <summary>
/// A throwaway folder holding a system root (apk's files copied from <c>Fixtures/apk</c>) and, beside it, a file
/// that stands for "the rest of the machine", so that tests can tell that nothing outside the root was touched.
/// </summary>
public sealed class ApkTestRoot : IDisposable
{
    public const string MainUrl = "https://dl-cdn.alpinelinux.org/alpine/v3.22/main";

    private readonly string _dir = Directory.CreateTempSubdirectory("acf-apk-test-").FullName;

    public ApkTestRoot(bool fixtures = true)
    {
        Directory.CreateDirectory(Root);
        File.WriteAllText(Outside, "the rest of the machine\n");
        if (!fixtures) return;
        Copy("installed", "/lib/apk/db/installed");
        Copy("world", "/etc/apk/world");
        Copy("repositories", "/etc/apk/repositories");
        Copy("APKINDEX.tar.gz", $"/var/cache/apk/{ApkRepositories.CacheFileName(MainUrl)}");
    }

    public string Folder => _dir;

    public string Root => Path.Combine(_dir, "root");

    public string Outside => Path.Combine(_dir, "outside.txt");

    public SystemHost Host => new(HostMode.Demo, Root, Path.Combine(_dir, "data"), Path.Combine(_dir, "modules"));

    public FakeTime Time { get; } = new();

    internal DemoApkManager Demo() => new(Host, Time);

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "apk", name);

    public static string FixtureText(string name) => File.ReadAllText(Fixture(name), Encoding.UTF8);

    public string HostPath(string path) => Path.Combine(Root, path.TrimStart('/'));

    public void Copy(string fixture, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(HostPath(path))!);
        File.Copy(Fixture(fixture), HostPath(path), overwrite: true);
    }

    public void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(HostPath(path))!);
        File.WriteAllText(HostPath(path), text);
    }

    public string Read(string path) => File.ReadAllText(HostPath(path), Encoding.UTF8);

    /// <summary>Every file under the test folder with its content and time, to compare before and after.</summary>
    public Dictionary<string, (string Content, DateTime Modified)> Snapshot(bool includeRoot) =>
        Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories)
            .Where(f => includeRoot || !f.StartsWith(Root + "/", StringComparison.Ordinal))
            .ToDictionary(f => f, f => (File.ReadAllText(f), File.GetLastWriteTimeUtc(f)));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A clock the tests move by hand.</summary>
    public sealed class FakeTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2025, 11, 20, 8, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
