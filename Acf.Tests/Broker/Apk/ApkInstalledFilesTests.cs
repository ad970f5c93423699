namespace Acf.Tests.Broker.Apk;

public sealed class ApkInstalledFilesTests
{
    [Fact]
    public void Read_InstalledDatabase_MapsEachFileToPackageAndChecksum()
    {
        using var stream = File.OpenRead(ApkTestRoot.Fixture("installed"));

        var files = ApkInstalledFiles.Read(stream);

        Assert.Equal(new Dictionary<string, ApkInstalledFile>
        {
            ["lib/ld-musl-x86_64.so.1"] = new("musl", "Q1oKq4bj/LCeemZ5IfQQ2J7LrThfI="),
            ["lib/libc.musl-x86_64.so.1"] = new("musl", "Q17yJ3JFNypA4mxhJJr0ou6CzsJVI="),
            ["bin/busybox"] = new("busybox", "Q1R6zpxpVoyEIs3CHxg1SPVQkJbJk="),
            ["bin/sh"] = new("busybox", "Q1pcfTfDNEbNKQc2s1tRtBFeK2ipA="),
            ["etc/securetty"] = new("busybox", "Q1ktJ1x2AfkjklY/kv3jqQmYpvWTo="),
            ["etc/busybox-paths.d/busybox"] = new("busybox", "Q1/aMnOwLQgcKvsUPLqMAxRuLlgpk="),
            ["etc/hosts"] = new("alpine-baselayout-data", "Q1Iehf8pYL4vXF06a5ceoMWw/xnlA="),
            ["etc/shadow"] = new("alpine-baselayout-data", "Q1ltrPIAW2zHeDiajsex2Bdmq3uqA="),
        }, files);
    }

    [Fact]
    public void Read_FileWithoutChecksumAndFileInRootFolder_KeptWithoutChecksum()
    {
        var text = "P:a\nV:1\nF:\nR:top\nF:etc\nR:nosum\nR:sum\nZ:Q1abc=\n\n";

        var files = ApkInstalledFiles.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)));

        Assert.Equal(new ApkInstalledFile("a", null), files["top"]);
        Assert.Equal(new ApkInstalledFile("a", null), files["etc/nosum"]);
        Assert.Equal(new ApkInstalledFile("a", "Q1abc="), files["etc/sum"]);
    }

    [Fact]
    public void ReadFrom_RootWithoutDatabase_IsEmpty()
    {
        using var root = new ApkTestRoot(fixtures: false);

        var files = ApkInstalledFiles.ReadFrom(root.Root);

        Assert.Empty(files);
    }

    [Fact]
    public void ChecksumOf_Content_IsQ1AndBase64OfSha1()
    {
        var empty = ApkInstalledFiles.ChecksumOf([]);
        var hello = ApkInstalledFiles.ChecksumOf("hello\n"u8);

        Assert.Equal("Q12jmj7l5rSw0yVb/vlWAYkK/YBwk=", empty);
        Assert.Equal("Q19XLTlvrpIGYocU+yzgD3LpTyJY8=", hello);
    }
}
