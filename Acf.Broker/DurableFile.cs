using System.Text.RegularExpressions;

namespace Acf.Broker;

/// <summary>
/// Files that survive a power cut whole: written to a temp file in the same folder (<c>.NAME.acf-GUID.tmp</c>, private
/// from its first byte), flushed to disk, renamed over the target, and the folder flushed so the new name stays. The
/// broker's config writes, history copies and intent records all go this way.
/// </summary>
internal static partial class DurableFile
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [GeneratedRegex(@"^\..+\.acf-[0-9a-f]{32}\.tmp$")]
    private static partial Regex TempName();

    /// <summary>True for a name of Acf's own temp files; recovery removes only those.</summary>
    public static bool IsAcfTemp(string fileName) => TempName().IsMatch(fileName);

    /// <summary>A fresh temp path beside <paramref name="target"/>.</summary>
    public static string TempBeside(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.acf-{Guid.NewGuid():N}.tmp");

    /// <summary>Writes <paramref name="bytes"/> to a new temp file beside <paramref name="target"/>, flushed to disk,
    /// mode 0600; the caller renames it (<see cref="Commit"/>) or deletes it. A failed write leaves no temp file.</summary>
    public static string WriteTemp(string target, ReadOnlySpan<byte> bytes)
    {
        var temp = TempBeside(target);
        try
        {
            using var stream = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = Private,
            });
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        return temp;
    }

    /// <summary>rename(2) of the temp file over the target, then the folder flushed: readers see the old file or the
    /// new one, never half, and after a power cut the new name is there.</summary>
    public static void Commit(string temp, string target)
    {
        File.Move(temp, target, overwrite: true);
        UnixFile.SyncFolder(Path.GetDirectoryName(target)!);
    }

    /// <summary>Writes the whole file atomically and durably with <paramref name="mode"/>.</summary>
    public static void Write(string target, ReadOnlySpan<byte> bytes, UnixFileMode mode = Private)
    {
        var temp = WriteTemp(target, bytes);
        try
        {
            if (mode != Private) File.SetUnixFileMode(temp, mode);
            Commit(temp, target);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Removes a file, durably (its folder flushed); a missing file is no error.</summary>
    public static void Delete(string path)
    {
        if (!File.Exists(path)) return;
        File.Delete(path);
        UnixFile.SyncFolder(Path.GetDirectoryName(path)!);
    }
}
