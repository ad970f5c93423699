using System.Security.Cryptography;

namespace Acf.Broker.Apk;

/// <summary>A file owned by an installed package: the package's name and apk's checksum of the file as installed
/// (<c>Q1</c> and the base64 of its SHA-1; null for the few entries apk keeps without one).</summary>
public sealed record ApkInstalledFile(string Package, string? Checksum);

/// <summary>
/// The per-file part of <c>/lib/apk/db/installed</c>: <c>F:</c> names a folder, each following <c>R:</c> a file in it
/// and <c>Z:</c> that file's checksum (apk-tools' <c>apk_db_fdb_write</c>). What lbu compares against to tell which
/// protected files an admin changed.
/// </summary>
public static class ApkInstalledFiles
{
    public const string DatabasePath = "/lib/apk/db/installed";

    /// <summary>Every file of every installed package by its path relative to the root (<c>etc/hosts</c>), as apk
    /// records it; a file claimed twice keeps the last package that wrote it.</summary>
    public static IReadOnlyDictionary<string, ApkInstalledFile> Read(Stream installed)
    {
        var files = new Dictionary<string, ApkInstalledFile>(StringComparer.Ordinal);
        var pool = new ApkStringPool();
        using var reader = new ApkLineReader(installed);
        string package = "", folder = "";
        string? file = null;
        while (reader.ReadLine(out var line))
        {
            if (line.Length < 2)
            {
                package = folder = "";
                file = null;
                continue;
            }
            if (line[1] != (byte)':') continue;
            var value = line[2..];
            switch (line[0])
            {
                case (byte)'P':
                    package = pool.Get(value);
                    break;
                case (byte)'F':
                    folder = Encoding.UTF8.GetString(value);
                    file = null;
                    break;
                case (byte)'R':
                    var name = Encoding.UTF8.GetString(value);
                    file = folder.Length == 0 ? name : string.Concat(folder, "/", name);
                    files[file] = new ApkInstalledFile(package, null);
                    break;
                case (byte)'Z' when file is not null:
                    files[file] = new ApkInstalledFile(package, Encoding.UTF8.GetString(value));
                    break;
            }
        }
        return files;
    }

    /// <summary>Reads <c>/lib/apk/db/installed</c> under <paramref name="root"/>; empty when there is none.</summary>
    public static IReadOnlyDictionary<string, ApkInstalledFile> ReadFrom(string root)
    {
        var path = RootedPath.Resolve(root, DatabasePath).HostPath;
        if (!File.Exists(path)) return new Dictionary<string, ApkInstalledFile>();
        using var stream = ApkFiles.OpenRead(path);
        return Read(stream);
    }

    /// <summary>apk's checksum of a file's content, as <c>Z:</c> records it: <c>Q1</c> and base64 of the SHA-1.</summary>
    public static string ChecksumOf(ReadOnlySpan<byte> content) => "Q1" + Convert.ToBase64String(SHA1.HashData(content));
}
