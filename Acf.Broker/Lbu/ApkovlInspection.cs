using System.Formats.Tar;
using System.IO.Compression;

namespace Acf.Broker.Lbu;

/// <summary>One member of an uploaded apkovl exactly as the tar names it, before anything trusts it: its name
/// unnormalised (an absolute or <c>..</c> name stays visible), its kind, permission bits, bytes and link target.</summary>
public sealed record ApkovlMember(string Name, string Kind, int Mode, byte[] Content, string? LinkTarget);

/// <summary>
/// Reads an apkovl someone uploads to restore, so that the module can check every member before anything is
/// written: unlike <see cref="Apkovl.Read"/> (the box's own archives) it keeps members lbu would never write
/// (devices, hard links, fifos) so they can be refused, and it stops at a size and count a configuration overlay
/// never reaches, so a small upload that expands hugely is refused rather than read into memory.
/// </summary>
public static class ApkovlInspection
{
    public const long MaxExpandedBytes = 16 << 20;
    public const int MaxMembers = 10_000;

    /// <summary>The members in archive order; null and <paramref name="error"/> when it is not a gzip'd tar or too large.</summary>
    public static IReadOnlyList<ApkovlMember>? Read(byte[] archive, out string? error)
    {
        error = null;
        var members = new List<ApkovlMember>();
        long expanded = 0;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(archive), CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                if (members.Count >= MaxMembers) return Refuse($"The archive has more than {MaxMembers} members.", out error);
                var content = Array.Empty<byte>();
                if (entry.DataStream is { } data)
                {
                    if (expanded + entry.Length > MaxExpandedBytes)
                        return Refuse($"The archive expands to more than {MaxExpandedBytes >> 20} MiB.", out error);
                    using var buffer = new MemoryStream();
                    data.CopyTo(buffer);
                    content = buffer.ToArray();
                    expanded += content.Length;
                }
                members.Add(new ApkovlMember(entry.Name, KindOf(entry.EntryType), (int)entry.Mode & 0xFFF, content,
                    entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink ? entry.LinkName : null));
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or IOException)
        {
            return Refuse("This is not an apkovl (a gzip'd tar archive): " + e.Message, out error);
        }
        return members;
    }

    private static IReadOnlyList<ApkovlMember>? Refuse(string message, out string? error)
    {
        error = message;
        return null;
    }

    private static string KindOf(TarEntryType type) => type switch
    {
        TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => "file",
        TarEntryType.Directory => "directory",
        TarEntryType.SymbolicLink => "symlink",
        TarEntryType.HardLink => "hardlink",
        TarEntryType.CharacterDevice or TarEntryType.BlockDevice => "device",
        TarEntryType.Fifo => "fifo",
        _ => "other",
    };
}
