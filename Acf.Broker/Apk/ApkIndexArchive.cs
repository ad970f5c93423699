using System.Formats.Tar;
using System.IO.Compression;

namespace Acf.Broker.Apk;

/// <summary>An APKINDEX's description line (<c>v3.22.2-123-gabcdef</c>) and its packages.</summary>
public sealed record ApkIndex(string? Description, IReadOnlyList<ApkPackage> Packages);

/// <summary>
/// The <c>APKINDEX.tar.gz</c> container (apk-v2(5), abuild-sign): gzip streams one after the other that together
/// hold tar entries: first the signature (<c>.SIGN.RSA.&lt;key&gt;.rsa.pub</c>, its tar cut before the end-of-archive
/// blocks), then <c>DESCRIPTION</c> and <c>APKINDEX</c>. Read with the end-of-archive blocks tolerated anywhere,
/// an unsigned index (one gzip stream) as well; the signature is not checked (apk does that before caching).
/// </summary>
public static class ApkIndexArchive
{
    private const int MaxTarArchives = 64; // end-of-archive blocks padded to a tar record come two by two

    public static ApkIndex Read(Stream archive) => Read(archive, new ApkStringPool());

    public static ApkIndex Read(string path)
    {
        using var stream = ApkFiles.OpenRead(path);
        return Read(stream);
    }

    internal static ApkIndex Read(Stream archive, ApkStringPool pool)
    {
        string? description = null;
        List<ApkPackage>? packages = null;
        Visit(archive, (name, data) =>
        {
            if (name == "DESCRIPTION")
            {
                using var reader = new StreamReader(data, Encoding.UTF8);
                description = reader.ReadToEnd().Trim();
                return false;
            }
            if (name != "APKINDEX") return false;
            packages = ApkPackageReader.Read(data, pool);
            return true;
        });
        if (packages is null) throw new InvalidDataException("The archive holds no APKINDEX.");
        return new ApkIndex(description, packages);
    }

    /// <summary>The index's wanted records with every line (for copying them into the installed database).</summary>
    internal static List<ApkRecord> ReadRecords(string path, IReadOnlySet<(string Name, string Version)> wanted)
    {
        var records = new List<ApkRecord>();
        using var stream = ApkFiles.OpenRead(path);
        Visit(stream, (name, data) =>
        {
            if (name != "APKINDEX") return false;
            records = ApkRecord.ReadMatching(data, wanted);
            return true;
        });
        return records;
    }

    /// <summary>
    /// Hands each regular tar entry to <paramref name="entry"/> until it returns true. The gzip streams are read
    /// as one (GZipStream goes on across concatenated members); a tar archive that ends early (end-of-archive
    /// blocks after the signature) is followed by the next one, until the data runs out.
    /// </summary>
    private static void Visit(Stream archive, Func<string, Stream, bool> entry)
    {
        using var gzip = new GZipStream(archive, CompressionMode.Decompress, leaveOpen: true);
        using var counting = new CountingStream(gzip);
        for (var archives = 0; archives < MaxTarArchives; archives++)
        {
            var before = counting.BytesRead;
            using var tar = new TarReader(counting, leaveOpen: true);
            try
            {
                while (tar.GetNextEntry() is { } next)
                {
                    if (next.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || next.DataStream is null) continue;
                    if (entry(next.Name, next.DataStream)) return;
                }
            }
            catch (EndOfStreamException e)
            {
                throw new InvalidDataException("The index archive is truncated.", e);
            }
            if (counting.BytesRead == before) return; // nothing more: the data ended
        }
    }

    /// <summary>
    /// Writes an index in the container apk reads: a gzip stream with the signature entry (its tar cut before the
    /// end-of-archive blocks, as abuild-sign does), then a gzip stream with <c>DESCRIPTION</c> and <c>APKINDEX</c>.
    /// The signature bytes are whatever is given: nothing here can sign for a real key.
    /// </summary>
    public static void Write(Stream output, string description, ReadOnlySpan<byte> apkindex, string signatureName,
        ReadOnlySpan<byte> signature, DateTimeOffset modified)
    {
        using (var signed = new MemoryStream())
        {
            using (var tar = new TarWriter(signed, TarEntryFormat.Ustar, leaveOpen: true))
                tar.WriteEntry(Entry(signatureName, signature.ToArray(), modified));
            // Keep the header and the padded data, drop the two end-of-archive blocks.
            var length = 512 + (signature.Length + 511) / 512 * 512;
            WriteGzip(output, signed.GetBuffer().AsSpan(0, length));
        }
        using var index = new MemoryStream();
        using (var tar = new TarWriter(index, TarEntryFormat.Ustar, leaveOpen: true))
        {
            tar.WriteEntry(Entry("DESCRIPTION", Encoding.UTF8.GetBytes(description), modified));
            tar.WriteEntry(Entry("APKINDEX", apkindex.ToArray(), modified));
        }
        WriteGzip(output, index.GetBuffer().AsSpan(0, (int)index.Length));
    }

    private static UstarTarEntry Entry(string name, byte[] data, DateTimeOffset modified) => new(TarEntryType.RegularFile, name)
    {
        DataStream = new MemoryStream(data),
        Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        ModificationTime = modified,
        UserName = "root",
        GroupName = "root",
    };

    private static void WriteGzip(Stream output, ReadOnlySpan<byte> data)
    {
        using var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true);
        gzip.Write(data);
    }

    /// <summary>Counts what is read, to tell an archive that ended at its end-of-archive blocks from data that ran out.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            BytesRead += read;
            return read;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
