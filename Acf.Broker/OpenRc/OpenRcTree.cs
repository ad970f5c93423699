namespace Acf.Broker.OpenRc;

/// <summary>
/// OpenRC's files under a system root, read the way librc reads them but with every path resolved inside the root
/// (<see cref="RootedPath"/>): an absolute symlink such as <c>/etc/runlevels/default/sshd -&gt; /etc/init.d/sshd</c>
/// points into the root, never at the machine Acf runs on. Both service managers read scripts and runlevels here;
/// only the demo host writes.
/// </summary>
internal sealed class OpenRcTree(string root)
{
    public const string InitDir = "/etc/init.d";
    public const string LocalInitDir = "/usr/local/etc/init.d";
    public const string RunlevelDir = "/etc/runlevels";
    public const string StateDir = "/run/openrc";

    /// <summary>Scripts larger than this are not read for their description (no init script comes close).</summary>
    private const int MaxScriptBytes = 256 * 1024;

    public string Root => root;

    /// <summary>The file a rooted path names on this machine, every symlink resolved inside the root.</summary>
    public string HostPath(string rootedPath) => RootedPath.Resolve(root, rootedPath).HostPath;

    /// <summary>Whether the directory entry exists, without following it (a symlink counts even when it dangles).</summary>
    public static bool EntryExists(string hostPath) =>
        new FileInfo(hostPath) is var info && (info.LinkTarget is not null || info.Exists || Directory.Exists(hostPath));

    /// <summary>The runlevels: the folders of /etc/runlevels, sorted.</summary>
    public IReadOnlyList<string> Runlevels()
    {
        var dir = new DirectoryInfo(HostPath(RunlevelDir));
        if (!dir.Exists) return [];
        return dir.EnumerateFileSystemInfos()
            .Where(e => IServiceManager.IsValidName(e.Name) && IsDirectory(RunlevelDir + "/" + e.Name))
            .Select(e => e.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public bool RunlevelExists(string level) =>
        IServiceManager.IsValidName(level) && IsDirectory(RunlevelDir + "/" + level);

    /// <summary>The init scripts of /etc/init.d as librc lists them: no hidden files, no <c>*.sh</c>, only files.</summary>
    public IReadOnlyList<string> Services()
    {
        var dir = new DirectoryInfo(HostPath(InitDir));
        if (!dir.Exists) return [];
        return dir.EnumerateFileSystemInfos()
            .Where(e => IServiceManager.IsValidName(e.Name) && !e.Name.EndsWith(".sh", StringComparison.Ordinal)
                && IsFile(InitDir + "/" + e.Name))
            .Select(e => e.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The script's rooted path: /etc/init.d first, then /usr/local/etc/init.d (librc's order); null when
    /// neither holds it.</summary>
    public string? ScriptPath(string name)
    {
        if (!IServiceManager.IsValidName(name)) return null;
        return new[] { InitDir, LocalInitDir }.Select(dir => dir + "/" + name).FirstOrDefault(IsFile);
    }

    public InitScript? ReadScript(string name)
    {
        if (ScriptPath(name) is not { } path) return null;
        try
        {
            using var stream = File.OpenRead(HostPath(path));
            var buffer = new byte[MaxScriptBytes];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return InitScript.Parse(Encoding.UTF8.GetString(buffer, 0, read));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return InitScript.Empty;
        }
    }

    /// <summary>The runlevels the service is added to: <c>/etc/runlevels/&lt;level&gt;/&lt;name&gt;</c> exists and
    /// resolves (inside the root) to a file, as librc's <c>rc_service_in_runlevel</c> checks with stat.</summary>
    public IReadOnlyList<string> RunlevelsOf(string name) =>
        IServiceManager.IsValidName(name)
            ? Runlevels().Where(level => IsFile(RunlevelDir + "/" + level + "/" + name)).ToList()
            : [];

    private bool IsFile(string rootedPath)
    {
        try
        {
            return File.Exists(HostPath(rootedPath));
        }
        catch (IOException)
        {
            return false; // a symlink loop
        }
    }

    private bool IsDirectory(string rootedPath)
    {
        try
        {
            return Directory.Exists(HostPath(rootedPath));
        }
        catch (IOException)
        {
            return false;
        }
    }
}
