using System.Security.Cryptography;

namespace Acf.Tests.Modules.Fixtures;

/// <summary>Every file, folder and symlink under a root with its content hash or link target, to tell what an action changed.</summary>
public sealed class FileTreeSnapshot
{
    private readonly Dictionary<string, string> _entries;

    private FileTreeSnapshot(Dictionary<string, string> entries) => _entries = entries;

    public static FileTreeSnapshot Of(string root)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions
                 { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var path = "/" + Path.GetRelativePath(root, entry.FullName).Replace('\\', '/');
            entries[path] = entry.LinkTarget is { } link ? "-> " + link
                : entry is FileInfo file ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file.FullName)))
                : "folder";
        }
        return new FileTreeSnapshot(entries);
    }

    /// <summary>The paths added, removed or changed in <paramref name="later"/>, sorted.</summary>
    public IReadOnlyList<string> ChangedIn(FileTreeSnapshot later) =>
        _entries.Keys.Union(later._entries.Keys)
            .Where(path => _entries.GetValueOrDefault(path) != later._entries.GetValueOrDefault(path))
            .Order(StringComparer.Ordinal)
            .ToList();
}
