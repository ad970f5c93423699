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
        _ = first.Available; // a state's parts are read when first asked for: ask before the index changes
        WriteOnlyIndex();

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
        _ = first.Available; // parsed before the trim lets it go

        manager.ForgetParsed();
        var second = manager.ReadState();

        Assert.NotSame(first.Available, second.Available);
        Assert.Equal(first.Available.Select(p => $"{p.Name} {p.Version}"), second.Available.Select(p => $"{p.Name} {p.Version}"));
        Assert.Same(second.Available, manager.ReadState().Available);
    }

    /// <summary>A call for one list reads only that list's files (issue 19: the available page's two calls read the
    /// installed database once, and the installed list reads no index). Seen from outside: asking a state for its
    /// installed packages has not read the index, so an index rewritten after that is the one its available list shows.</summary>
    [Fact]
    public void ReadState_OnlyInstalledAskedFor_ReadsNoIndex()
    {
        var manager = _root.Demo();
        var state = manager.ReadState();

        Assert.NotEmpty(state.Installed);
        WriteOnlyIndex();

        Assert.Equal(["only 1.0-r0"], state.Available.Select(p => $"{p.Name} {p.Version}"));
    }

    private void WriteOnlyIndex()
    {
        var index = _root.HostPath($"/var/cache/apk/{ApkRepositories.CacheFileName(ApkTestRoot.MainUrl)}");
        using (var file = File.Create(index))
            ApkIndexArchive.Write(file, "v3.22.2-0-gtest", Encoding.UTF8.GetBytes("P:only\nV:1.0-r0\nA:x86_64\nT:the one package\n\n"),
                ".SIGN.RSA.test.rsa.pub", new byte[16], DateTimeOffset.UnixEpoch);
        File.SetLastWriteTimeUtc(index, File.GetLastWriteTimeUtc(index).AddMinutes(1));
    }
}
