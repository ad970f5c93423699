namespace Acf.Broker.Lbu;

/// <summary>
/// What <c>apk audit --backup --recursive</c> lists, which is what <c>lbu list</c> prints and <c>lbu commit</c>
/// archives (apk-tools app_audit.c): a walk of the root that enters only directories below which something can be
/// protected, never following symlinks. A file (or symlink) is listed when its mode is <c>!</c>; or when it is
/// <c>+</c> (for <c>@</c>: a symlink) and belongs to no package or its content (a symlink's target) no longer has
/// the installed checksum. Unowned <c>*.apk-new</c> files are left out. A directory whose mode is not none is
/// listed when no package owns it. Not done: <c>--check-permissions</c> (mode and owner against the database; the
/// demo root is owned by whoever runs Acf) and extended attributes.
/// </summary>
internal static class LbuScanner
{
    public const string ApkNewSuffix = ".apk-new";

    public static List<BackupItem> Scan(string root, ProtectedPaths rules, InstalledFiles db)
    {
        var items = new List<BackupItem>();
        Walk(new DirectoryInfo(root), "", rules.Root, db, items);
        return items;
    }

    private static void Walk(DirectoryInfo dir, string prefix, ProtectedPaths.Scope scope, InstalledFiles db, List<BackupItem> items)
    {
        FileSystemInfo[] entries;
        try
        {
            entries = dir.GetFileSystemInfos();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return; // apk skips what it cannot open
        }
        Array.Sort(entries, (a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (var entry in entries)
        {
            var path = prefix + entry.Name;
            var isLink = (entry.Attributes & FileAttributes.ReparsePoint) != 0;
            if (!isLink && entry is DirectoryInfo child)
            {
                var childScope = ProtectedPaths.Enter(scope, entry.Name);
                if (childScope.Mode != ProtectMode.None && !db.OwnsDirectory(path))
                    items.Add(new BackupItem(path, ItemKind.Directory, entry.FullName, 0, ModeOf(entry), Modified(entry), null));
                if (childScope.HasProtectedChildren) Walk(child, path + "/", childScope, db, items);
                continue;
            }
            if (!isLink && (entry is not FileInfo || !FileType.IsRegular(entry.FullName))) continue; // no fifos, sockets, devices
            var mode = ProtectedPaths.FileMode(scope, entry.Name);
            if (Include(entry, path, isLink, mode, db) is { } item) items.Add(item);
        }
    }

    private static BackupItem? Include(FileSystemInfo entry, string path, bool isLink, ProtectMode mode, InstalledFiles db)
    {
        switch (mode)
        {
            case ProtectMode.None:
            case ProtectMode.SymlinksOnly when !isLink:
                return null;
        }
        var owned = db.TryGetFile(path, out var digest);
        if ((!owned || mode == ProtectMode.All) && entry.Name.EndsWith(ApkNewSuffix, StringComparison.Ordinal)) return null;
        string? target = isLink ? entry.LinkTarget : null;
        if (isLink && target is null) return null;
        if (mode != ProtectMode.All && owned && Unchanged(entry, target, digest)) return null;
        var size = entry is FileInfo file && !isLink ? file.Length : 0;
        return new BackupItem(path, isLink ? ItemKind.Symlink : ItemKind.File, entry.FullName, size,
            isLink ? (UnixFileMode)0x1FF : ModeOf(entry), Modified(entry), target);
    }

    private static bool Unchanged(FileSystemInfo entry, string? linkTarget, InstalledDigest digest)
    {
        if (linkTarget is not null) return digest.Matches(Encoding.UTF8.GetBytes(linkTarget));
        try
        {
            using var stream = new FileStream(entry.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            return digest.Matches(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static UnixFileMode ModeOf(FileSystemInfo entry) => entry.UnixFileMode & (UnixFileMode)0xFFF;

    private static DateTimeOffset Modified(FileSystemInfo entry) => new(entry.LastWriteTimeUtc, TimeSpan.Zero);
}
