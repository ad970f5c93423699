namespace Acf.Tests.Broker.Apk;

/// <summary>The record reader shared by the installed database and APKINDEX.</summary>
public sealed class ApkPackageReaderTests
{
    private static List<ApkPackage> Read(string text) =>
        ApkPackageReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), new ApkStringPool());

    [Fact]
    public void Read_InstalledDatabase_KeepsPackageFieldsAndSkipsFiles()
    {
        using var stream = File.OpenRead(ApkTestRoot.Fixture("installed"));

        var packages = ApkPackageReader.Read(stream, new ApkStringPool());

        Assert.Equal(["musl", "busybox", "alpine-baselayout-data"], packages.Select(p => p.Name));
        var busybox = packages[1];
        Assert.Equal(new ApkPackage("busybox", "1.37.0-r18", "x86_64", 512830, 942080,
            "Size optimized toolbox of many common UNIX utilities", "https://busybox.net/", "GPL-2.0-only", "busybox",
            "Q1kO8Ow7f1gz3pMW+ezuqhHS1vFss=", busybox.Depends, busybox.Provides, DateTimeOffset.FromUnixTimeSeconds(1747761306)), busybox);
        Assert.Equal(["so:libc.musl-x86_64.so.1"], busybox.Depends);
        Assert.Equal(["/bin/sh", "cmd:busybox=1.37.0-r18", "cmd:sh=1.37.0-r18"], busybox.Provides);
        Assert.Empty(packages[0].Depends);
        Assert.Equal(["so:libc.musl-x86_64.so.1=1"], packages[0].Provides);
    }

    [Fact]
    public void Read_Apkindex_ReadsEveryRecordWithInstallIf()
    {
        using var stream = File.OpenRead(ApkTestRoot.Fixture("APKINDEX"));

        var packages = ApkPackageReader.Read(stream, new ApkStringPool());

        Assert.Equal(["alpine-baselayout-data", "busybox", "busybox", "foo", "foo-doc", "libfoo", "musl"], packages.Select(p => p.Name));
        Assert.Equal(["!foo-legacy", "so:libc.musl-x86_64.so.1", "so:libfoo.so.1"], packages[3].Depends);
        Assert.Equal(["docs", "foo=2.1-r1"], ApkInstallIf.Of(packages[4]));
        Assert.Empty(ApkInstallIf.Of(packages[3]));
    }

    [Fact]
    public void Read_NoFinalBlankLineCrLfAndMissingFields_ReadsWhatIsThere()
    {
        var packages = Read("P:a\r\nV:1-r0\r\n\r\nP:b\nV:2\nD:a  so:x\nX:unknown field\nS:not a number");

        Assert.Equal(2, packages.Count);
        Assert.Equal(("a", "1-r0"), (packages[0].Name, packages[0].Version));
        Assert.Equal(["a", "so:x"], packages[1].Depends);
        Assert.Equal(0, packages[1].Size);
        Assert.Equal("", packages[1].License);
        Assert.Null(packages[1].BuildTime);
    }

    [Fact]
    public void Read_LineLongerThanTheBuffer_IsReadWhole()
    {
        var description = new string('x', 200_000);

        var packages = Read($"P:long\nT:{description}\nV:1\n\n");

        Assert.Equal(description, Assert.Single(packages).Description);
        Assert.Equal("1", packages[0].Version);
    }

    [Fact]
    public void Read_RepeatedValues_ShareOneString()
    {
        var packages = Read("P:a\nA:x86_64\nD:so:libc.musl-x86_64.so.1\n\nP:b\nA:x86_64\nD:so:libc.musl-x86_64.so.1\n\n");

        Assert.Same(packages[0].Architecture, packages[1].Architecture);
        Assert.Same(packages[0].Depends[0], packages[1].Depends[0]);
    }

    [Fact]
    public void ReadAll_Records_KeepsEveryLineForWritingBack()
    {
        var text = ApkTestRoot.FixtureText("installed");

        var records = ApkRecord.ReadAll(new MemoryStream(Encoding.UTF8.GetBytes(text))).ToList();
        var written = new StringBuilder();
        foreach (var record in records) record.WriteTo(written);

        Assert.Equal(["musl", "busybox", "alpine-baselayout-data"], records.Select(r => r.Name));
        Assert.Equal(text, written.ToString());
    }

    [Fact]
    public void ReadMatching_WantedNameAndVersion_OnlyThoseRecordsWithEveryLine()
    {
        using var stream = File.OpenRead(ApkTestRoot.Fixture("APKINDEX"));

        var records = ApkRecord.ReadMatching(stream, new HashSet<(string, string)> { ("busybox", "1.37.0-r19"), ("libfoo", "1.2.0-r0") });

        Assert.Equal(["busybox 1.37.0-r19", "libfoo 1.2.0-r0"], records.Select(r => $"{r.Name} {r.Version}"));
        Assert.Equal(15, records[0].Lines.Count);
        Assert.Equal("C:Q1ZHc7fl9XTtsKqmWdPQx3x/aP0nI=", records[0].Lines[0]);
        Assert.Equal("p:/bin/sh cmd:busybox=1.37.0-r19 cmd:sh=1.37.0-r19", records[0].Lines[^1]);
    }
}
