using System.Security.Cryptography;
using System.Text;
using Acf.Broker;
using Acf.Broker.Lbu;

namespace Acf.Tests.Broker.Lbu;

/// <summary>A temporary system root (inside a temporary parent, so writes beside it can be seen) with helpers to
/// write files, an installed database and lbu.conf, and a clock the test moves.</summary>
internal sealed class LbuTestRoot : IDisposable
{
    public const string Hostname = "alpine-demo";

    public LbuTestRoot()
    {
        Parent = Path.Combine(Path.GetTempPath(), $"acf-lbu-test-{Guid.NewGuid():N}");
        Root = Path.Combine(Parent, "root");
        Directory.CreateDirectory(Root);
        Write("/etc/hostname", Hostname + "\n");
    }

    public string Parent { get; }

    public string Root { get; }

    public ManualTimeProvider Time { get; } = new(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));

    public SystemHost Host => new(HostMode.Demo, Root, Path.Combine(Parent, "data"), Path.Combine(Parent, "modules"));

    public DemoLbu Demo() => new(Host, Time);

    public string HostPath(string path) => Path.Combine(Root, path.TrimStart('/'));

    public string Write(string path, string content, UnixFileMode? mode = null)
    {
        var file = HostPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        if (mode is { } m) File.SetUnixFileMode(file, m);
        return file;
    }

    public string Read(string path) => File.ReadAllText(HostPath(path));

    public bool Exists(string path) => File.Exists(HostPath(path));

    public void Conf(string text) => Write(LbuConfFile.Path, text);

    /// <summary>Writes /lib/apk/db/installed with one package owning the given files, with their sha1 (Q1) checksums.</summary>
    public void InstalledDatabase(params (string Path, string Content)[] files)
    {
        var db = new StringBuilder("C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:demo-files\nV:1.0-r0\nA:x86_64\n");
        foreach (var folder in files.GroupBy(f => Path.GetDirectoryName(f.Path.TrimStart('/'))!))
        {
            db.Append("F:").Append(folder.Key).Append('\n');
            foreach (var (path, content) in folder)
            {
                db.Append("R:").Append(Path.GetFileName(path)).Append('\n');
                db.Append("Z:Q1").Append(Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(content)))).Append('\n');
            }
        }
        db.Append('\n');
        Write(InstalledFiles.DatabasePath, db.ToString());
    }

    /// <summary>Every file and link under the parent but outside the root, with its size: what must never change.</summary>
    public IReadOnlyList<string> OutsideRoot() =>
        Directory.EnumerateFileSystemEntries(Parent, "*", SearchOption.AllDirectories)
            .Where(p => !p.StartsWith(Root + "/", StringComparison.Ordinal) && p != Root)
            .Select(p => p + (File.Exists(p) ? ":" + new FileInfo(p).Length : "/"))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The repository (the folder holding Acf.sln), found from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Acf.sln"))) return dir.FullName;
        throw new InvalidOperationException("Acf.sln not found above " + AppContext.BaseDirectory);
    }

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "lbu", name);

    public void Dispose()
    {
        if (Directory.Exists(Parent)) Directory.Delete(Parent, recursive: true);
    }
}

/// <summary>A clock that moves only when told.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Advance(TimeSpan by) => _now += by;
}
