using System.Formats.Tar;
using System.IO.Compression;

namespace Acf.Broker.Lbu;

internal enum ItemKind { File, Symlink, Directory }

/// <summary>A path lbu backs up (relative to /, no trailing slash) and what is needed to archive it.</summary>
internal sealed record BackupItem(string Path, ItemKind Kind, string HostPath, long Size, UnixFileMode Mode,
    DateTimeOffset Modified, string? LinkTarget);

/// <summary>An entry read back from an apkovl: a file's bytes, a symlink's target or a directory.</summary>
internal sealed record ArchivedEntry(string Path, ItemKind Kind, byte[] Content, string? LinkTarget);

/// <summary>
/// The apkovl itself: a gzip'd tar whose names are relative to / (<c>etc/hostname</c>, directories with a trailing
/// slash), written with GNU headers as busybox and GNU tar read them, owner root (0/0), the files' own modes and
/// modification times; encrypted as <c>openssl enc</c> does when a cipher is given.
/// </summary>
internal static class Apkovl
{
    /// <summary>Largest apkovl read back (a configuration overlay is kilobytes; this keeps a stray file harmless).</summary>
    public const long MaxArchiveBytes = 256L << 20;

    public static byte[] Create(IEnumerable<BackupItem> items, string? cipher, string? password)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Gnu, leaveOpen: true))
        {
            foreach (var item in items) Write(tar, item);
        }
        var bytes = buffer.ToArray();
        return cipher is null ? bytes : OpensslEnc.Encrypt(bytes, password!, cipher);
    }

    private static void Write(TarWriter tar, BackupItem item)
    {
        var (type, name) = item.Kind switch
        {
            ItemKind.Directory => (TarEntryType.Directory, item.Path + "/"),
            ItemKind.Symlink => (TarEntryType.SymbolicLink, item.Path),
            _ => (TarEntryType.RegularFile, item.Path),
        };
        var entry = new GnuTarEntry(type, name)
        {
            Mode = item.Mode,
            Uid = 0,
            Gid = 0,
            UserName = "root",
            GroupName = "root",
            ModificationTime = item.Modified,
        };
        if (item.Kind == ItemKind.Symlink) entry.LinkName = item.LinkTarget!;
        if (item.Kind != ItemKind.File)
        {
            tar.WriteEntry(entry);
            return;
        }
        using var data = new FileStream(item.HostPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        entry.DataStream = data;
        tar.WriteEntry(entry);
    }

    /// <summary>The entries of an apkovl (decrypted first when <paramref name="cipher"/> is given); null when the
    /// password is wrong or missing.</summary>
    public static Dictionary<string, ArchivedEntry>? Read(byte[] archive, string? cipher, string? password)
    {
        if (cipher is not null)
        {
            if (password is null) return null;
            archive = OpensslEnc.Decrypt(archive, password, cipher)!;
            if (archive is null) return null;
        }
        var entries = new Dictionary<string, ArchivedEntry>(StringComparer.Ordinal);
        using var gzip = new GZipStream(new MemoryStream(archive), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            var path = Normalize(entry.Name);
            if (path.Length == 0) continue;
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    entries[path] = new ArchivedEntry(path, ItemKind.Directory, [], null);
                    break;
                case TarEntryType.SymbolicLink:
                    entries[path] = new ArchivedEntry(path, ItemKind.Symlink, [], entry.LinkName);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    using (var content = new MemoryStream())
                    {
                        entry.DataStream?.CopyTo(content);
                        entries[path] = new ArchivedEntry(path, ItemKind.File, content.ToArray(), null);
                    }
                    break;
            }
        }
        return entries;
    }

    /// <summary><c>./etc/x</c>, <c>/etc/x</c> and <c>etc/x/</c> all name <c>etc/x</c>.</summary>
    public static string Normalize(string name)
    {
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");
        return string.Join('/', parts);
    }
}
