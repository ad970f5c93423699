using System.Formats.Tar;
using System.IO.Compression;

namespace Acf.Tests.Broker.Apk;

/// <summary>
/// The APKINDEX.tar.gz container. The fixture was made outside .NET (Python's gzip and tar, laid out as abuild-sign
/// leaves it: a gzip stream with the signature's tar cut before its end blocks, then one with DESCRIPTION and APKINDEX).
/// </summary>
public sealed class ApkIndexArchiveTests
{
    private static readonly DateTimeOffset Time = new(2025, 11, 12, 9, 41, 7, TimeSpan.Zero);

    [Fact]
    public void Read_SignedConcatenatedGzip_ReadsDescriptionAndPackages()
    {
        var index = ApkIndexArchive.Read(ApkTestRoot.Fixture("APKINDEX.tar.gz"));

        Assert.Equal("v3.22.2-131-g7e0b5c3a1f4", index.Description);
        Assert.Equal(["alpine-baselayout-data", "busybox", "busybox", "foo", "foo-doc", "libfoo", "musl"], index.Packages.Select(p => p.Name));
        Assert.Equal(["1.37.0-r18", "1.37.0-r19"], index.Packages.Where(p => p.Name == "busybox").Select(p => p.Version));
    }

    [Fact]
    public void Read_UnsignedSingleGzip_ReadsPackages()
    {
        var archive = Gzip(Tar(("APKINDEX", "P:a\nV:1\n\nP:b\nV:2\n\n")));

        var index = ApkIndexArchive.Read(new MemoryStream(archive));

        Assert.Null(index.Description);
        Assert.Equal(["a", "b"], index.Packages.Select(p => p.Name));
    }

    [Fact]
    public void Read_SignatureTarWithItsEndBlocks_StillFindsTheIndex()
    {
        var archive = Gzip(Tar((".SIGN.RSA.test.rsa.pub", "signature")).Concat(new byte[8192]).ToArray())
            .Concat(Gzip(Tar(("DESCRIPTION", "v1"), ("APKINDEX", "P:a\nV:1\n\n")))).ToArray();

        var index = ApkIndexArchive.Read(new MemoryStream(archive));

        Assert.Equal("v1", index.Description);
        Assert.Equal("a", Assert.Single(index.Packages).Name);
    }

    [Fact]
    public void Read_ArchiveWithoutIndex_RefusedAsInvalidData()
    {
        var archive = Gzip(Tar(("DESCRIPTION", "v1")));

        Assert.Throws<InvalidDataException>(() => ApkIndexArchive.Read(new MemoryStream(archive)));
    }

    [Fact]
    public void Write_Index_TwoGzipStreamsThatReadBack()
    {
        var text = ApkTestRoot.FixtureText("APKINDEX");
        var output = new MemoryStream();

        ApkIndexArchive.Write(output, "v3.22.2-1-gabc", Encoding.UTF8.GetBytes(text), ".SIGN.RSA.test.rsa.pub", new byte[512], Time);
        var bytes = output.ToArray();
        var index = ApkIndexArchive.Read(new MemoryStream(bytes));

        Assert.Equal(["DESCRIPTION", "APKINDEX"], SecondGzipStreamEntries(bytes));
        Assert.Equal("v3.22.2-1-gabc", index.Description);
        Assert.Equal(ApkIndexArchive.Read(ApkTestRoot.Fixture("APKINDEX.tar.gz")).Packages, index.Packages, PackageComparer.Instance);
        Assert.Equal([".SIGN.RSA.test.rsa.pub", "DESCRIPTION", "APKINDEX"], EntryNames(bytes));
    }

    /// <summary>The entries a plain tar reader sees when the gzip streams are read as one (as tar -tzf does).</summary>
    private static List<string> EntryNames(byte[] archive)
    {
        using var gzip = new GZipStream(new MemoryStream(archive), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var names = new List<string>();
        while (tar.GetNextEntry() is { } entry) names.Add(entry.Name);
        return names;
    }

    /// <summary>The entries of the gzip stream that starts after the first one (the signature's).</summary>
    private static List<string> SecondGzipStreamEntries(byte[] bytes)
    {
        for (var i = 10; i + 3 < bytes.Length; i++)
        {
            if (bytes[i] != 0x1f || bytes[i + 1] != 0x8b || bytes[i + 2] != 8) continue;
            try
            {
                var names = EntryNames(bytes[i..]);
                if (names.Count > 0) return names;
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
            {
                // not a member start, just the same bytes inside compressed data
            }
        }
        return [];
    }

    private static byte[] Tar(params (string Name, string Text)[] entries)
    {
        var output = new MemoryStream();
        using (var tar = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true))
            foreach (var (name, text) in entries)
                tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
        return output.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
        return output.ToArray();
    }

    /// <summary>Packages compared by value, lists included.</summary>
    public sealed class PackageComparer : IEqualityComparer<ApkPackage>
    {
        public static readonly PackageComparer Instance = new();

        public bool Equals(ApkPackage? x, ApkPackage? y) =>
            x is not null && y is not null
            && x with { Depends = [], Provides = [] } == y with { Depends = [], Provides = [] }
            && x.Depends.SequenceEqual(y.Depends) && x.Provides.SequenceEqual(y.Provides);

        public int GetHashCode(ApkPackage obj) => HashCode.Combine(obj.Name, obj.Version);
    }
}
