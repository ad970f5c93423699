using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;

namespace Acf.Tests.Broker.Lbu;

/// <summary>A temporary system root (inside a temporary parent, so writes beside it can be seen) with helpers to
/// write files, an installed database and lbu.conf, and a clock the test moves.</summary>
internal sealed class LbuTestRoot : TestRoot
{
    public const string Hostname = "alpine-demo";

    public LbuTestRoot() : base("acf-lbu-test-") => Write("/etc/hostname", Hostname + "\n");

    public string Parent => Folder;

    /// <summary>The clock lbu names its backups by, moved by the test (UTC is its local time zone).</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));

    public DemoLbu Demo() => new(Host, Time);

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

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "lbu", name);
}
