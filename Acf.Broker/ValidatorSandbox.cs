using Microsoft.Extensions.Options;

namespace Acf.Broker;

/// <summary>
/// Runs a validator (<c>squid -k parse</c>, <c>sshd -t</c>, ...) confined with bubblewrap, so that the file it checks
/// cannot make it read, and print back to the admin, a file the module may not read through Acf: a candidate with
/// <c>include /etc/shadow</c> makes squid print every line of it. Inside, the tool sees the system's programs and
/// libraries (<c>/usr</c>), the world-readable account files it resolves its own user with, and from the host root only
/// the module's declared read and write paths and the candidate; no network, no other process, no writable place but
/// empty temporary folders. On the demo host the host root is the demo root, so <c>include /etc/squid/extra.conf</c>
/// is the demo's file at the path the tool expects, not the real machine's.
/// </summary>
internal sealed class ValidatorSandbox(CommandRunner runner, IOptions<ExecOptions> exec)
{
    /// <summary>The program that confines, looked up like any command; validators do not run without it.</summary>
    public const string Program = "bwrap";

    /// <summary>Folders a daemon's check refuses to run without, empty inside (sshd's privilege separation folders,
    /// testparm's state, cache and lock folders).</summary>
    private static readonly string[] EmptyFolders = ["/run/sshd", "/var/empty", "/run/samba", "/var/lib/samba", "/var/cache/samba"];

    /// <summary>The merged-/usr links (or, on older layouts, folders) that programs are found through.</summary>
    private static readonly string[] SystemLinks = ["/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"];

    /// <summary>Files of the machine the tools need to start, none of them secret (all are world-readable).</summary>
    private static readonly string[] SystemFiles =
        ["/etc/ld.so.cache", "/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/alternatives"];

    public bool Available => CommandRunner.Locate(Program) is not null;

    /// <summary>
    /// Runs <paramref name="command"/> (its paths as the tool must see them, e.g. <c>/etc/squid/.squid.conf.acf-...tmp</c>)
    /// with <paramref name="hostRoot"/>'s <paramref name="visible"/> paths (canonical, a folder ending in '/') mounted
    /// read-only at their canonical places.
    /// Behind <c>Acf:Exec:Through</c> (a lab node) bubblewrap itself runs in the node, where the host root is mounted
    /// as the node's own <c>/etc</c>, <c>/var</c>, ...: there the paths are mounted from their canonical places.
    /// </summary>
    public ExecResult Run(string hostRoot, IEnumerable<string> visible, IReadOnlyList<string> command) =>
        runner.Run(Argv(hostRoot, visible, command, inNode: runner.Through.Count > 0, asRoot: Environment.IsPrivilegedProcess), null,
            TimeSpan.FromSeconds(exec.Value.DefaultTimeoutSeconds), exec.Value.OutputLimitBytes);

    /// <summary>The bubblewrap argv; public so a test can show what the tool is given. <paramref name="inNode"/>: it
    /// runs where the host root is <c>/</c> (a lab node), so mounts come from the canonical paths.
    /// <paramref name="asRoot"/>: the broker is root (as on a box, and in a lab node). Then the tool runs as root with
    /// every capability dropped but the one to read and search any file it can see, and in no user namespace: Debian
    /// keeps /etc/frr as frr:frr 0750, and root without that capability, or root of a new user namespace (where the
    /// frr user is not mapped), cannot even enter it, so vtysh never read the candidate (found on real FRR in the lab,
    /// docs/lab.md). What it can see is still only the module's paths; nothing it sees is writable.</summary>
    public static IReadOnlyList<string> Argv(string hostRoot, IEnumerable<string> visible, IReadOnlyList<string> command,
        bool inNode = false, bool asRoot = false)
    {
        var argv = new List<string> { Program, "--die-with-parent", "--new-session", "--cap-drop", "ALL" };
        argv.AddRange(asRoot ? ["--cap-add", "CAP_DAC_READ_SEARCH"] : ["--unshare-user-try"]);
        argv.AddRange(["--unshare-ipc", "--unshare-pid", "--unshare-uts", "--unshare-net", "--unshare-cgroup-try",
            "--ro-bind", "/usr", "/usr"]);
        foreach (var link in SystemLinks)
        {
            var info = new FileInfo(link);
            if (info.LinkTarget is { } target) argv.AddRange(["--symlink", target, link]);
            else if (Directory.Exists(link)) argv.AddRange(["--ro-bind", link, link]);
        }
        foreach (var file in SystemFiles) argv.AddRange(["--ro-bind-try", file, file]);
        // Its own name and hosts file, as on the box: a daemon that resolves its host name must not fail in here.
        var root = hostRoot.TrimEnd('/');
        var source = inNode ? "" : root;
        argv.AddRange(["--ro-bind-try", source + "/etc/hosts", "/etc/hosts"]);
        if (HostName(root) is { } name) argv.AddRange(["--hostname", name]);
        argv.AddRange(["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/run", "--tmpfs", "/var"]);
        foreach (var folder in EmptyFolders) argv.AddRange(["--dir", folder]);
        // Shorter paths first: a file inside a declared folder is mounted over the folder, not hidden by it. A module's
        // /proc and /sys paths (the live state its pages read) are the kernel's, not files of the host root: the tool
        // has its own /proc, and binding one of them fails the whole sandbox where the host root is / (a box, a lab
        // node): bwrap cannot bind /proc/net/dev over the new /proc ("Unable to find /newroot/proc/1/net/dev in mount
        // table"), which refused every interfaces save on a real system (found in the lab, docs/lab.md).
        foreach (var path in visible.Select(p => p.TrimEnd('/')).Where(p => p.StartsWith('/') && p.Length > 1 && !IsKernelPath(p))
                     .Distinct(StringComparer.Ordinal).OrderBy(p => p.Length))
            argv.AddRange(["--ro-bind-try", source + path, path]);
        argv.AddRange(["--chdir", "/", "--"]);
        argv.AddRange(command);
        return argv;
    }

    private static bool IsKernelPath(string path) =>
        path is "/proc" or "/sys" || path.StartsWith("/proc/", StringComparison.Ordinal) || path.StartsWith("/sys/", StringComparison.Ordinal);

    /// <summary>The host root's host name (one plain word), or null to keep the sandbox's.</summary>
    private static string? HostName(string root)
    {
        try
        {
            var name = File.ReadLines(root + "/etc/hostname").FirstOrDefault()?.Trim();
            return name is { Length: > 0 and <= 253 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') ? name : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>What a module's validator may see of the host root: its declared read, write and validator-read paths.</summary>
    public static IEnumerable<string> VisibleTo(ModuleCapabilities capabilities) =>
        capabilities.Read.Concat(capabilities.Write).Concat(capabilities.ValidatorRead).Where(p => !p.Contains('*'));
}
