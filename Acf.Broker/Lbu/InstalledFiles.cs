using System.Security.Cryptography;

namespace Acf.Broker.Lbu;

/// <summary>
/// The part of apk's installed database lbu needs: which files and directories belong to a package and the checksum
/// each file was installed with. Records are blocks of <c>X:value</c> lines separated by empty lines; <c>F:</c>
/// names a directory (relative to /), each <c>R:</c> a file in it, and the <c>Z:</c> after an <c>R:</c> its checksum:
/// <c>Q1</c> + base64 of a SHA-1 (apk 2), <c>Q2</c> + base64 of a SHA-256, or 32 hex digits of an MD5 (very old
/// databases). For a symlink the checksum is of the link target. A missing database means no file belongs to a
/// package. (A small reader of its own: the package manager's full parser is another unit's.)
/// </summary>
internal sealed class InstalledFiles
{
    public const string DatabasePath = "/lib/apk/db/installed";

    private readonly Dictionary<string, InstalledDigest> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);

    public int FileCount => _files.Count;

    public static InstalledFiles Load(string root)
    {
        var path = RootedPath.Resolve(root, DatabasePath).HostPath;
        if (!File.Exists(path)) return new InstalledFiles();
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Parse(reader);
    }

    public static InstalledFiles Parse(TextReader reader)
    {
        var db = new InstalledFiles();
        string? folder = null, file = null;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                folder = file = null; // a new package
                continue;
            }
            if (line.Length < 2 || line[1] != ':') continue;
            var value = line[2..];
            switch (line[0])
            {
                case 'F':
                    folder = value.Trim('/');
                    file = null;
                    db._directories.Add(folder);
                    break;
                case 'R':
                    file = folder is null or "" ? value : folder + "/" + value;
                    db._files[file] = InstalledDigest.None;
                    break;
                case 'Z' when file is not null:
                    db._files[file] = InstalledDigest.Parse(value);
                    break;
            }
        }
        return db;
    }

    public bool OwnsDirectory(string relativePath) => _directories.Contains(relativePath);

    public bool TryGetFile(string relativePath, out InstalledDigest digest) => _files.TryGetValue(relativePath, out digest);
}

/// <summary>A file's checksum in the installed database; <see cref="None"/> when it has none apk could compare.</summary>
internal readonly record struct InstalledDigest(HashAlgorithmName Algorithm, byte[]? Hash)
{
    public static readonly InstalledDigest None = new(default, null);

    public static InstalledDigest Parse(string value)
    {
        try
        {
            if (value.StartsWith("Q1", StringComparison.Ordinal))
                return Sized(HashAlgorithmName.SHA1, Convert.FromBase64String(value[2..]), 20);
            if (value.StartsWith("Q2", StringComparison.Ordinal))
                return Sized(HashAlgorithmName.SHA256, Convert.FromBase64String(value[2..]), 32);
            if (value.Length == 32)
                return Sized(HashAlgorithmName.MD5, Convert.FromHexString(value), 16);
        }
        catch (FormatException)
        {
        }
        return None;
    }

    private static InstalledDigest Sized(HashAlgorithmName algorithm, byte[] hash, int length) =>
        hash.Length == length ? new InstalledDigest(algorithm, hash) : None;

    /// <summary>True when <paramref name="content"/> has this checksum; false when it differs or there is none
    /// (apk reports a file whose record has no usable checksum as changed).</summary>
    public bool Matches(Stream content)
    {
        if (Hash is null) return false;
        using var hasher = IncrementalHash.CreateHash(Algorithm);
        var buffer = new byte[81920];
        int read;
        while ((read = content.Read(buffer)) > 0) hasher.AppendData(buffer, 0, read);
        return hasher.GetHashAndReset().AsSpan().SequenceEqual(Hash);
    }

    public bool Matches(ReadOnlySpan<byte> content)
    {
        if (Hash is null) return false;
        using var hasher = IncrementalHash.CreateHash(Algorithm);
        hasher.AppendData(content);
        return hasher.GetHashAndReset().AsSpan().SequenceEqual(Hash);
    }
}
