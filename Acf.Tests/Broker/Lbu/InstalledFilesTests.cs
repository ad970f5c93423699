using System.Security.Cryptography;

namespace Acf.Tests.Broker.Lbu;

/// <summary>The small reader of apk's installed database: F/R/Z records, checksum forms, a missing database.</summary>
public sealed class InstalledFilesTests : IDisposable
{
    private readonly LbuTestRoot _root = new();

    public void Dispose() => _root.Dispose();

    private static string Q1(string content) => "Q1" + Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(content)));

    [Fact]
    public void Parse_Records_FilesInTheirFoldersWithChecksums()
    {
        var text = $"""
            C:Q1hdUpqRv5mYgJEqW52UmVsvmyysE=
            P:alpine-baselayout
            V:3.6.5-r0
            F:etc
            R:hosts
            a:0:0:644
            Z:{Q1("127.0.0.1 localhost\n")}
            R:motd
            F:etc/init.d
            M:0:0:755

            P:busybox
            F:bin
            R:busybox
            Z:Q2{Convert.ToBase64String(SHA256.HashData("bb"u8))}

            """;

        var db = InstalledFiles.Parse(new StringReader(text));

        Assert.True(db.TryGetFile("etc/hosts", out var hosts));
        Assert.True(hosts.Matches(Encoding.UTF8.GetBytes("127.0.0.1 localhost\n")));
        Assert.False(hosts.Matches("changed"u8));
        Assert.True(db.TryGetFile("etc/motd", out var motd));
        Assert.False(motd.Matches("anything"u8)); // no checksum: apk reports it as changed
        Assert.True(db.TryGetFile("bin/busybox", out var busybox));
        Assert.True(busybox.Matches("bb"u8));
        Assert.True(db.OwnsDirectory("etc/init.d"));
        Assert.False(db.TryGetFile("etc/init.d/motd", out _));
        Assert.Equal(3, db.FileCount);
    }

    [Fact]
    public void Load_NoDatabase_NoFileBelongsToAPackage()
    {
        var db = InstalledFiles.Load(_root.Root);

        Assert.Equal(0, db.FileCount);
        Assert.False(db.TryGetFile("etc/hostname", out _));
    }
}
