using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;

namespace Acf.Modules.Privsep;

/// <summary>
/// <c>Acf:Web:User</c>: the app started as root (the demo host's one command, a local run as root) becomes that user by
/// itself, so that only the broker stays root. Before anything of the app runs it starts its broker child as root
/// (which alone may start workers as <c>Acf:Modules:WorkerUser</c>, and serves only that user), gives itself
/// <c>&lt;Data&gt;/web</c> (0700, the user's; <c>&lt;Data&gt;</c> becomes 0710 root:the user's group so that the
/// user passes through to it and to the socket's folder, and reads nothing else there), then drops its groups, gid
/// and uid through libc (glibc and musl apply them to every thread of the process).
/// </summary>
internal static class WebUser
{
    public const string Key = "Acf:Web:User";

    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Drops to <c>Acf:Web:User</c> when it is set, else returns null and changes nothing. Called while the app's host
    /// is being configured, before it is built: the drop comes before anything creates a file in the app's folder
    /// (cookie keys, sessions, the TLS certificate) and before any service or thread of the app exists. The price: the
    /// app can no longer bind a port below 1024, so such an address is refused here (keeping
    /// <c>CAP_NET_BIND_SERVICE</c> across the drop, or dropping once Kestrel listens, would take capability calls or
    /// a drop with the app's threads and files already in use; OpenRC gives the capability to an app it starts as
    /// <c>acf</c> instead).
    /// </summary>
    /// <exception cref="InvalidOperationException">The key names a missing user or root, or the app is not root, or the
    /// broker is not a process of its own, or the user could not reach the app's files.</exception>
    public static StartedBroker? DropIfAsked(IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var user = configuration[Key];
        if (string.IsNullOrEmpty(user)) return null;
        var broker = configuration.GetSection(BrokerProcessOptions.Section).Get<BrokerProcessOptions>() ?? new BrokerProcessOptions();
        var ids = BrokerSocket.FindUser(user);
        var refusal = Refusal(user, broker.Separate, UnixFile.EffectiveUser() ?? 0, ids) ?? LowPort(user, Addresses(configuration));
        if (refusal is not null) throw new InvalidOperationException(refusal);
        var (uid, gid) = ids!.Value;

        var contentRoot = builder.Environment.ContentRootPath;
        var host = StartedBroker.ResolveHost(configuration, contentRoot);
        foreach (var (what, path) in new[] { ("data folder", Path.GetDirectoryName(host.DataPath)!), ("modules", host.ModulesPath), ("content root", contentRoot) })
            if (Closed(path, uid, gid) is { } closed)
                throw new InvalidOperationException($"Acf:Web:User '{user}' cannot reach the app's {what} {path}: {closed} is closed to it. "
                    + "Put it where that user may pass (e.g. Acf:Data:Path=/var/lib/acf), or leave Acf:Web:User empty.");

        var socket = broker.SocketPath(!host.IsDemo, host.DataPath);
        CloseBrokersEntries(host.DataPath);
        if (!UnixFile.SetOwner(host.DataPath, (0, gid)))
            throw new InvalidOperationException($"Cannot give the data folder {host.DataPath} to the group of '{user}'.");
        File.SetUnixFileMode(host.DataPath, Private | UnixFileMode.GroupExecute);
        var web = Path.Combine(host.DataPath, "web");
        if (new DirectoryInfo(web).LinkTarget is not null)
            throw new InvalidOperationException($"The app's data folder {web} is a symbolic link; Acf does not trust it.");
        Directory.CreateDirectory(web, Private);
        if (!UnixFile.SetOwner(web, (uid, gid))) throw new InvalidOperationException($"Cannot give {web} to '{user}'.");
        File.SetUnixFileMode(web, Private);

        // Root still: the broker child is root, serves only the user the app becomes, and starts its workers.
        var child = broker.StartChild
            ? BrokerChild.Start(configuration, host, contentRoot, socket, peerUser: user)
            : null;
        try
        {
            if (ProcessUser.Become(uid, gid) is { } failed) throw new InvalidOperationException(char.ToUpperInvariant(failed[0]) + failed[1..] + ".");
            SystemHost.PrepareDataFolder(web); // the user's now: the check that refuses another user's folder passes
        }
        catch
        {
            child?.Dispose();
            throw;
        }
        Environment.SetEnvironmentVariable("HOME", web); // root's home is not the user's to read
        return new StartedBroker(user, host with { DataPath = web }, socket, child);
    }

    /// <summary>
    /// Before <c>&lt;Data&gt;</c> lets the user's group pass: the broker's own entries in it (the demo root, the audit
    /// log, history and whatever an earlier run left there) lose every right of group and others, so that passing
    /// through reaches only <c>web</c> and the socket's folder (<c>run</c>, 0750 root:the group, made by the broker).
    /// <c>history</c> is made 0700 ahead of the broker, which makes it later with the default mode; what else the broker
    /// creates there is 0600 or 0700 itself (the audit log, its key and head, the intents).
    /// </summary>
    private static void CloseBrokersEntries(string dataPath)
    {
        Directory.CreateDirectory(Path.Combine(dataPath, "history"), Private);
        foreach (var entry in new DirectoryInfo(dataPath).EnumerateFileSystemInfos())
        {
            if (entry.Name is "web" or "run" || entry.LinkTarget is not null) continue;
            entry.UnixFileMode &= UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        }
    }

    /// <summary>Why the app may not drop to <paramref name="user"/> (<paramref name="ids"/> from /etc/passwd, null when
    /// missing), or null when it may.</summary>
    internal static string? Refusal(string user, bool separate, uint self, (uint Uid, uint Gid)? ids)
    {
        if (ids is null) return $"Acf:Web:User '{user}' is not in /etc/passwd.";
        if (ids.Value.Uid == 0 || ids.Value.Gid == 0)
            return $"Acf:Web:User '{user}' is root (or of root's group): the app would keep root's rights. Name an unprivileged user, or leave it empty.";
        if (self != 0)
            return $"Acf:Web:User '{user}' needs the app to start as root (it runs as uid {self}); start it as root, or leave the key empty to stay as started.";
        if (!separate)
            return $"Acf:Web:User '{user}' needs Acf:Broker:Process=separate: with the broker inside the app, the app must stay root to change the system.";
        return null;
    }

    /// <summary>Where the app will listen: <c>urls</c> (<c>--urls</c>, <c>ASPNETCORE_URLS</c>), else, with HTTPS on
    /// (<c>Acf:Https:Mode</c> on, or auto on Alpine), every address at <c>Acf:Https:Port</c> (443), as the app's HTTPS
    /// set-up does; null for Kestrel's own default (port 5000).</summary>
    internal static string? Addresses(IConfiguration configuration)
    {
        if (configuration["urls"] is { Length: > 0 } urls) return urls;
        var mode = configuration["Acf:Https:Mode"] ?? "auto";
        var https = mode == "on" || (mode == "auto" && File.Exists("/etc/alpine-release"));
        return https ? "https://*:" + (configuration["Acf:Https:Port"] ?? "443") : null;
    }

    /// <summary>An address below port 1024, which the app could not bind once it dropped (see <see cref="DropIfAsked"/>).</summary>
    internal static string? LowPort(string user, string? urls)
    {
        foreach (var url in (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parsed = url.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal);
            if (Uri.TryCreate(parsed, UriKind.Absolute, out var uri) && uri.Port is > 0 and < 1024)
                return $"Acf:Web:User '{user}': the app drops to that user before it listens, and then cannot bind {url} (a port below 1024). "
                    + "Use a port from 1024 up, or start the app as that user with the capability cap_net_bind_service (as OpenRC does).";
        }
        return null;
    }

    /// <summary>The first folder on the way to <paramref name="path"/> (itself included) that uid/gid cannot pass, or null.</summary>
    private static string? Closed(string path, uint uid, uint gid)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(path)); dir is not null; dir = dir.Parent)
        {
            if (!dir.Exists) continue;
            var mode = dir.UnixFileMode;
            var owner = UnixFile.Owner(dir.FullName);
            var passes = (mode & UnixFileMode.OtherExecute) != 0
                || (owner?.Uid == uid && (mode & UnixFileMode.UserExecute) != 0)
                || (owner?.Gid == gid && (mode & UnixFileMode.GroupExecute) != 0);
            if (!passes) return dir.FullName;
        }
        return null;
    }
}
