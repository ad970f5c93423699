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
