using System.Runtime.InteropServices;

namespace Acf.Broker.Lbu;

/// <summary>
/// Whether a path is a regular file, which .NET does not tell apart from fifos, sockets and devices: a fifo under
/// /etc would otherwise block the walk when read. statx's layout is the same on every architecture.
/// </summary>
internal static class FileType
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28;
    private const int TypeMask = 0xF000;
    private const int Regular = 0x8000;

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, string path, int flags, uint mask, byte[] buffer);

    public static bool IsRegular(string path)
    {
        try
        {
            var buffer = new byte[256];
            if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) != 0) return false;
            return (BitConverter.ToUInt16(buffer, ModeOffset) & TypeMask) == Regular;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return true; // without statx (old C library) trust .NET's "not a directory"
        }
    }
}
