using System.Runtime.InteropServices;

namespace Acf.Modules.Privsep;

/// <summary>
/// Becoming another user for good, as a worker (<c>--uid</c>) and the app (<c>Acf:Web:User</c>) do: supplementary
/// groups dropped first, then the gid, then the uid (real, effective and saved: there is no way back), and a check
/// that it held. glibc and musl apply each of these calls to every thread of the process.
/// </summary>
internal static class ProcessUser
{
    /// <summary>Null once the process is <paramref name="uid"/>/<paramref name="gid"/>, else why not.</summary>
    public static string? Become(uint uid, uint gid)
    {
        if (setgroups(0, IntPtr.Zero) != 0 || setresgid(gid, gid, gid) != 0 || setresuid(uid, uid, uid) != 0)
            return string.Create(CultureInfo.InvariantCulture, $"cannot become uid {uid} gid {gid} (errno {Marshal.GetLastPInvokeError()})");
        if (getuid() != uid || geteuid() != uid || getgid() != gid || getegid() != gid)
            return string.Create(CultureInfo.InvariantCulture, $"still not uid {uid} gid {gid} after dropping");
        return null;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setgroups(nint size, IntPtr list);

    [DllImport("libc", SetLastError = true)]
    private static extern int setresgid(uint rgid, uint egid, uint sgid);

    [DllImport("libc", SetLastError = true)]
    private static extern int setresuid(uint ruid, uint euid, uint suid);

    [DllImport("libc")]
    private static extern uint getuid();

    [DllImport("libc")]
    private static extern uint geteuid();

    [DllImport("libc")]
    private static extern uint getgid();

    [DllImport("libc")]
    private static extern uint getegid();
}
