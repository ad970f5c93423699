namespace Acf.Tests.Broker.Apk;

/// <summary>The available list is merged and sorted once per set of unchanged indexes, not on every read.</summary>
public sealed class ApkStateReaderTests : IDisposable
{
    private readonly ApkTestRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void ReadState_IndexesUnchanged_KeepsTheMergedListAndStillReadsTheInstalledDatabase()
    {
        var manager = _root.Demo();
        var first = manager.ReadState();
        _root.Write("/lib/apk/db/installed", "");

        var second = manager.ReadState();

        Assert.Same(first.Available, second.Available);
        Assert.Equal(7, second.Available.Count);
        Assert.Empty(second.Installed);
    }

    [Fact]
    public void ReadState_IndexRewritten_MergesTheNewIndex()
    {
        var manager = _root.Demo();
        var first = manager.ReadState();
        var index = _root.HostPath($"/var/cache/apk/{ApkRepositories.CacheFileName(ApkTestRoot.MainUrl)}");
        using (var file = File.Create(index))
            ApkIndexArchive.Write(file, "v3.22.2-0-gtest", Encoding.UTF8.GetBytes("P:only\nV:1.0-r0\nA:x86_64\nT:the one package\n\n"),
                ".SIGN.RSA.test.rsa.pub", new byte[16], DateTimeOffset.UnixEpoch);
        File.SetLastWriteTimeUtc(index, File.GetLastWriteTimeUtc(index).AddMinutes(1));

        var second = manager.ReadState();

        Assert.NotSame(first.Available, second.Available);
        Assert.Equal(["only 1.0-r0"], second.Available.Select(p => $"{p.Name} {p.Version}"));
    }

    /// <summary>The broker's idle trim lets the parsed indexes go (issue 19); the next read parses them again and keeps
    /// them again.</summary>
    [Fact]
    public void ForgetParsed_TheNextReadParsesAgain_AndKeepsThatOne()
    {
        var manager = _root.Demo();
        var first = manager.ReadState();

        manager.ForgetParsed();
        var second = manager.ReadState();

        Assert.NotSame(first.Available, second.Available);
        Assert.Equal(first.Available.Select(p => $"{p.Name} {p.Version}"), second.Available.Select(p => $"{p.Name} {p.Version}"));
        Assert.Same(second.Available, manager.ReadState().Available);
    }
}
