using System.Runtime.InteropServices;

namespace Acf.Broker;

/// <summary>
/// Owner handling that .NET does not offer: reading a file's uid/gid (statx, whose layout is the same on every
/// architecture) and setting them on a replacement file, so an atomic write keeps the owner as well as the mode.
/// </summary>
internal static partial class UnixFile
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxUid = 0x8;
    private const uint StatxGid = 0x10;

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", SetLastError = true)]
    private static extern int chown(string path, uint owner, uint group);

    [DllImport("libc")]
    private static extern uint geteuid();

    /// <summary>This process's effective uid, or null where the C library cannot tell.</summary>
    public static uint? EffectiveUser()
    {
        try
        {
            return geteuid();
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000;

    [DllImport("libc", SetLastError = true)]
    private static extern int open(string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    /// <summary>
    /// Makes a folder's entries durable (fsync of the folder): after a rename or an unlink, so that a power cut cannot
    /// bring back the old name. Where the C library is missing nothing happens (the rename itself is still atomic).
    /// </summary>
    /// <exception cref="IOException">The folder could not be flushed (a failing disk).</exception>
    public static void SyncFolder(string folder)
    {
        int fd;
        try
        {
            fd = open(folder, ORdOnly | ODirectory);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return;
        }
        if (fd < 0) throw new IOException($"Cannot open the folder {folder} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (fsync(fd) != 0) throw new IOException($"Cannot flush the folder {folder} (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            close(fd);
        }
    }

    /// <summary>The file's owner, or null where the C library cannot tell (then the owner is left to the OS).</summary>
    public static (uint Uid, uint Gid)? Owner(string path)
    {
        try
        {
            var buffer = new byte[256];
            if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxUid | StatxGid, buffer) != 0) return null;
            return (BitConverter.ToUInt32(buffer, 20), BitConverter.ToUInt32(buffer, 24));
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Gives <paramref name="path"/> the owner; false when that failed (e.g. not running as root).</summary>
    public static bool SetOwner(string path, (uint Uid, uint Gid) owner)
    {
        try
        {
            return chown(path, owner.Uid, owner.Gid) == 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }
}
