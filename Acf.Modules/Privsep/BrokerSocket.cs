using System.Net.Sockets;

namespace Acf.Modules.Privsep;

/// <summary>
/// The body of a <c>call</c> frame on the broker's socket: unlike a worker's call, it names the caller, because the
/// app is where login happens. The request is read strictly as the record the frame's method names.
/// </summary>
internal sealed record BrokerSocketCall(BrokerCaller Caller, JsonElement Request);

/// <summary>The broker's first frame on a connection (<c>ready</c>): what the app shows of the host, and the audit
/// chain as the broker verified it at its start.</summary>
internal sealed record BrokerHello(HostInfo Info, AuditVerification? Chain);

/// <summary>The broker's answer to a <c>worker</c> frame: the worker it started; the connection then carries its pipes.</summary>
internal sealed record BrokerWorkerStarted(int Pid);

/// <summary>The Unix socket's credentials and place: SO_PEERCRED, the folder only the broker's and the app's user enter.</summary>
internal static class BrokerSocket
{
    /// <summary>The frame that carries one line of a long command's output before the call's <c>reply</c>.</summary>
    public const string Output = "output";

    /// <summary>The app asks for a worker (no body: the broker decides the user and the executable); the broker answers
    /// with the same kind and <see cref="BrokerWorkerStarted"/>, and the connection is the worker's stdin and stdout.</summary>
    public const string Worker = "worker";

    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>The connected peer's process id and user (struct ucred: pid, uid, gid).</summary>
    public static (int Pid, uint Uid, uint Gid) PeerCredentials(Socket socket)
    {
        Span<byte> ucred = stackalloc byte[12];
        var length = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
        if (length < 12) throw new IOException("The socket did not tell its peer's credentials.");
        return (BitConverter.ToInt32(ucred), BitConverter.ToUInt32(ucred[4..]), BitConverter.ToUInt32(ucred[8..]));
    }

    /// <summary>A user's uid and gid from /etc/passwd, or null when there is no such user.</summary>
    public static (uint Uid, uint Gid)? FindUser(string user)
    {
        var fields = File.ReadLines("/etc/passwd").Select(l => l.Split(':')).FirstOrDefault(f => f.Length >= 4 && f[0] == user);
        return fields is null ? null
            : (uint.Parse(fields[2], CultureInfo.InvariantCulture), uint.Parse(fields[3], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Makes the socket's folder: owned by the broker, not a link, entered only by the broker's user (0700) or, with a
    /// peer of another user, by the peer's group too (0750 root:acf); a stale socket from an earlier run is removed.
    /// </summary>
    public static void PrepareFolder(string socketPath, (uint Uid, uint Gid)? peer)
    {
        var folder = Path.GetDirectoryName(socketPath) ?? throw new InvalidOperationException($"{socketPath} has no folder.");
        var info = new DirectoryInfo(folder);
        if (info.LinkTarget is not null) throw new InvalidOperationException($"The broker's socket folder {folder} is a symbolic link.");
        const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        if (!info.Exists) Directory.CreateDirectory(folder, Owner);
        var self = UnixFile.EffectiveUser() ?? 0;
        if (UnixFile.Owner(folder) is { } owner && owner.Uid != self)
            throw new InvalidOperationException($"The broker's socket folder {folder} belongs to another user (uid {owner.Uid}).");
        if (peer is { } p && p.Uid != self)
        {
            if (!UnixFile.SetOwner(folder, (self, p.Gid))) throw new InvalidOperationException($"Cannot give {folder} to group {p.Gid}.");
            File.SetUnixFileMode(folder, Owner | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }
        else
        {
            File.SetUnixFileMode(folder, Owner);
        }
        if (File.Exists(socketPath)) File.Delete(socketPath);
    }

    /// <summary>After bind: the socket file 0600, or 0660 with the peer's group.</summary>
    public static void ProtectSocket(string socketPath, (uint Uid, uint Gid)? peer)
    {
        var self = UnixFile.EffectiveUser() ?? 0;
        const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (peer is { } p && p.Uid != self)
        {
            if (!UnixFile.SetOwner(socketPath, (self, p.Gid))) throw new InvalidOperationException($"Cannot give {socketPath} to group {p.Gid}.");
            File.SetUnixFileMode(socketPath, Owner | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        }
        else
        {
            File.SetUnixFileMode(socketPath, Owner);
        }
    }
}
