namespace Acf.Broker;

/// <summary>
/// A path as a module names it (absolute, inside the system root) resolved to the file on this machine. Symlinks are
/// followed the way a chroot would: an absolute target is read inside the root, and <c>..</c> stops at the root, so no
/// path can leave it. <see cref="Canonical"/> is the path with every symlink resolved; capabilities are checked on it
/// as well as on the requested path, so a link cannot lead out of what the manifest grants.
/// </summary>
public sealed record RootedPath(string Requested, string Canonical, string HostPath)
{
    private const int MaxSymlinkHops = 40;
    private const int MaxPathLength = 4096;

    /// <summary>Checks the form of a requested path: absolute, no '.' or '..' parts, no control characters.</summary>
    public static string? Validate(string path)
    {
        if (path.Length == 0 || path.Length > MaxPathLength) return "The path is empty or too long.";
        if (!path.StartsWith('/')) return $"The path '{Printable(path)}' is not absolute.";
        if (path.Any(char.IsControl)) return "The path contains control characters.";
        if (path.Split('/').Any(p => p is ".." or ".")) return $"The path '{Printable(path)}' contains '.' or '..'.";
        return null;
    }

    /// <summary>Resolves <paramref name="path"/> under <paramref name="root"/>; the path must have passed <see cref="Validate"/>.</summary>
    public static RootedPath Resolve(string root, string path)
    {
        var pending = new Stack<string>(Split(path).Reverse());
        var done = new List<string>();
        var hops = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == "..")
            {
                if (done.Count > 0) done.RemoveAt(done.Count - 1);
                continue;
            }
            var host = Path.Combine(root, string.Join('/', done.Append(part)));
            var info = new FileInfo(host);
            if (info.LinkTarget is { } target)
            {
                if (++hops > MaxSymlinkHops) throw new IOException($"Too many symlinks in {path}.");
                if (target.StartsWith('/')) done.Clear();
                foreach (var p in Split(target).Reverse()) pending.Push(p);
                continue;
            }
            done.Add(part);
        }
        var canonical = "/" + string.Join('/', done);
        return new RootedPath(Normalize(path), canonical, Path.Combine(root, string.Join('/', done)));
    }

    /// <summary>The path without repeated or trailing slashes.</summary>
    public static string Normalize(string path) => "/" + string.Join('/', Split(path));

    private static IEnumerable<string> Split(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");

    private static string Printable(string path) => path.Length > 200 ? path[..200] + "..." : path;
}
