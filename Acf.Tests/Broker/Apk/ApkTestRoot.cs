using Microsoft.Extensions.Time.Testing;

namespace Acf.Tests.Broker.Apk;

/// <summary>
/// A throwaway folder holding a system root (apk's files copied from <c>Fixtures/apk</c>) and, beside it, a file
/// that stands for "the rest of the machine", so that tests can tell that nothing outside the root was touched.
/// </summary>
public sealed class ApkTestRoot : TestRoot
{
    public const string MainUrl = "https://dl-cdn.alpinelinux.org/alpine/v3.22/main";

    public ApkTestRoot(bool fixtures = true) : base("acf-apk-test-")
    {
        File.WriteAllText(Outside, "the rest of the machine\n");
        if (!fixtures) return;
        Copy("installed", "/lib/apk/db/installed");
        Copy("world", "/etc/apk/world");
        Copy("repositories", "/etc/apk/repositories");
        Copy("APKINDEX.tar.gz", $"/var/cache/apk/{ApkRepositories.CacheFileName(MainUrl)}");
    }

    public string Outside => Path.Combine(Folder, "outside.txt");

    /// <summary>A clock the tests move by hand.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 11, 20, 8, 0, 0, TimeSpan.Zero));

    internal DemoApkManager Demo() => new(Host, Time);

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "apk", name);

    public static string FixtureText(string name) => File.ReadAllText(Fixture(name), Encoding.UTF8);

    public void Copy(string fixture, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(HostPath(path))!);
        File.Copy(Fixture(fixture), HostPath(path), overwrite: true);
    }

    /// <summary>Every file under the test folder with its content and time, to compare before and after.</summary>
    public Dictionary<string, (string Content, DateTime Modified)> Snapshot(bool includeRoot) =>
        Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories)
            .Where(f => includeRoot || !f.StartsWith(Root + "/", StringComparison.Ordinal))
            .ToDictionary(f => f, f => (File.ReadAllText(f), File.GetLastWriteTimeUtc(f)));
}
