namespace Acf.Broker.Lbu;

/// <summary>The host name lbu names archives after (<c>$(hostname)</c>).</summary>
internal static class LbuHostname
{
    public const string Fallback = "localhost";

    /// <summary>The first line of /etc/hostname under the root, or <see cref="Fallback"/> when it is missing or is
    /// not a host name (so it can never put a slash into an archive name).</summary>
    public static string FromEtc(string root)
    {
        var file = RootedPath.Resolve(root, "/etc/hostname").HostPath;
        if (!File.Exists(file)) return Fallback;
        var name = File.ReadLines(file).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        return IsValid(name) ? name : Fallback;
    }

    /// <summary>The kernel's host name on the machine itself (what <c>hostname</c> prints).</summary>
    public static string? Kernel()
    {
        const string file = "/proc/sys/kernel/hostname";
        if (!File.Exists(file)) return null;
        var name = File.ReadAllText(file).Trim();
        return IsValid(name) ? name : null;
    }

    public static bool IsValid(string name) =>
        name.Length is > 0 and <= 253 && name[0] != '.' && name[0] != '-'
        && !name.AsSpan().ContainsAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_");
}
