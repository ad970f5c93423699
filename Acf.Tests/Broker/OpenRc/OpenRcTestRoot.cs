namespace Acf.Tests.Broker.OpenRc;

/// <summary>
/// A throwaway folder holding a system root (<c>root/</c>) in OpenRC's layout and an <c>outside/</c> folder next to
/// it that nothing may touch. Symlinks are made absolute (<c>/etc/init.d/sshd</c>) as Alpine makes them. Deleted on
/// dispose.
/// </summary>
internal sealed class OpenRcTestRoot : TestRoot
{
    public OpenRcTestRoot() : base("acf-openrc-") => Directory.CreateDirectory(Outside);

    public string Outside => Path.Combine(Folder, "outside");

    public static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "openrc", name));

    public OpenRcTestRoot Script(string name, string text)
    {
        Write("/etc/init.d/" + name, text, (UnixFileMode)0b111_101_101);
        return this;
    }

    public OpenRcTestRoot Runlevel(string level, params string[] services)
    {
        Directory.CreateDirectory(HostPath("/etc/runlevels/" + level));
        foreach (var service in services) Link("/etc/runlevels/" + level + "/" + service, "/etc/init.d/" + service);
        return this;
    }

    public OpenRcTestRoot Mark(string state, params string[] services)
    {
        foreach (var service in services) Link("/run/openrc/" + state + "/" + service, "/etc/init.d/" + service);
        return this;
    }

    public void Link(string path, string target)
    {
        var host = HostPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(host)!);
        File.CreateSymbolicLink(host, target);
    }

    /// <summary>The target of the symlink at the rooted path, or null when there is no symlink.</summary>
    public string? LinkTarget(string path) => new FileInfo(HostPath(path)).LinkTarget;

    public bool Exists(string path) => new FileInfo(HostPath(path)) is var info && (info.LinkTarget is not null || info.Exists);

    /// <summary>Copies the repository's <c>demo/</c> into the root, symlinks as symlinks (as the demo host does).</summary>
    public OpenRcTestRoot CopyDemo()
    {
        ModuleTestHost.CopyTree(Path.Combine(ModuleTestHost.RepositoryRoot, "demo"), Root);
        return this;
    }

    /// <summary>Every entry under the folder, with its link target if any: a fingerprint to compare before and after.</summary>
    public static IReadOnlyList<string> Listing(string dir) =>
        Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories)
            .Select(e => Path.GetRelativePath(dir, e) + " -> " + new FileInfo(e).LinkTarget)
            .Order(StringComparer.Ordinal)
            .ToList();
}
