namespace Acf.Broker.Apk;

/// <summary>
/// The files apk keeps, found under the system root (symlinks resolved the way a chroot would, so nothing outside it
/// is ever read or written), and the atomic replace the demo host writes them with.
/// </summary>
internal static class ApkFiles
{
    public const string Installed = "/lib/apk/db/installed";
    public const string World = "/etc/apk/world";
    public const string Repositories = "/etc/apk/repositories";
    public const string Arch = "/etc/apk/arch";
    public const string CacheFolder = "/var/cache/apk";
    public const string DatabaseFolder = "/lib/apk/db";

    public static string HostPath(string root, string path) => RootedPath.Resolve(root, path).HostPath;

    public static FileStream OpenRead(string hostPath) =>
        new(hostPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);

    /// <summary>The file's text, or "" when it does not exist.</summary>
    public static string ReadText(string root, string path)
    {
        var hostPath = HostPath(root, path);
        return File.Exists(hostPath) ? File.ReadAllText(hostPath, Encoding.UTF8) : "";
    }

    /// <summary>
    /// Replaces the file: a temp file in the same folder, flushed, given the old file's mode and owner, renamed over
    /// it, so that a reader (or a crash) sees the old file or the new one, never half.
    /// </summary>
    public static void ReplaceText(string root, string path, string text)
    {
        var hostPath = HostPath(root, path);
        var folder = Path.GetDirectoryName(hostPath)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(hostPath)}.acf-{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(Encoding.UTF8.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }
            if (File.Exists(hostPath))
            {
                File.SetUnixFileMode(temp, File.GetUnixFileMode(hostPath));
                if (UnixFile.Owner(hostPath) is { } owner && UnixFile.Owner(temp) != owner) UnixFile.SetOwner(temp, owner);
            }
            else
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }
            File.Move(temp, hostPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
