namespace Acf.Tests.Broker.Apk;

/// <summary>
/// apk on the demo host over a root made of the fixtures: installed musl, busybox 1.37.0-r18 and
/// alpine-baselayout-data; an index that also has busybox 1.37.0-r19, foo (needing so:libfoo.so.1, which libfoo
/// provides) and foo-doc. Written files are compared byte for byte with the expected fixtures.
/// </summary>
public sealed class DemoApkManagerTests : IDisposable
{
    private readonly ApkTestRoot _root = new();

    public void Dispose() => _root.Dispose();

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void ReadState_FixtureRoot_ReadsEveryFile()
    {
        var state = _root.Demo().ReadState();

        Assert.Equal(["musl", "busybox", "alpine-baselayout-data"], state.Installed.Select(p => p.Name));
        Assert.Equal(["alpine-baselayout-data", "busybox"], state.World);
        Assert.Equal([ApkTestRoot.MainUrl, "@testing https://dl-cdn.alpinelinux.org/alpine/edge/testing"], state.Repositories);
        Assert.Equal(["alpine-baselayout-data 3.7.0-r0", "busybox 1.37.0-r19", "busybox 1.37.0-r18", "foo 2.1-r1",
            "foo-doc 2.1-r1", "libfoo 1.2.0-r0", "musl 1.2.5-r10"], state.Available.Select(p => $"{p.Name} {p.Version}"));
    }

    [Fact]
    public void Run_AddWithDependency_InstallsProviderFirstAndWritesRealFormat()
    {
        var progress = new List<string>();

        var result = _root.Demo().Run(ApkVerb.Add, ["foo"], progress.Add);

        Assert.Equal(0, result.Status);
        Assert.True(result.Simulated);
        Assert.Equal(["(1/2) Installing libfoo (1.2.0-r0)", "(2/2) Installing foo (2.1-r1)", "OK: 2 MiB in 5 packages"], Lines(result.Stdout));
        Assert.Equal(Lines(result.Stdout), progress);
        Assert.Equal("", result.Stderr);
        Assert.Equal(ApkTestRoot.FixtureText("installed.after-add-foo"), _root.Read("/lib/apk/db/installed"));
        Assert.Equal(ApkTestRoot.FixtureText("world.after-add-foo"), _root.Read("/etc/apk/world"));
    }

    [Fact]
    public void Run_AddThenReadState_ReadsTheWrittenDatabaseBack()
    {
        var manager = _root.Demo();
        var indexed = manager.ReadState().Available.Single(p => p.Name == "foo");

        manager.Run(ApkVerb.Add, ["foo"]);
        var state = _root.Demo().ReadState();

        Assert.Equal(["musl", "busybox", "alpine-baselayout-data", "libfoo", "foo"], state.Installed.Select(p => p.Name));
        Assert.Equal(indexed, state.Installed.Single(p => p.Name == "foo"), ApkIndexArchiveTests.PackageComparer.Instance);
        Assert.Equal(["alpine-baselayout-data", "busybox", "foo"], state.World);
    }

    [Fact]
    public void Run_AddInstalledPackage_OnlyWorldChanges()
    {
        var result = _root.Demo().Run(ApkVerb.Add, ["musl"]);

        Assert.Equal(["OK: 1 MiB in 3 packages"], Lines(result.Stdout));
        Assert.Equal(ApkTestRoot.FixtureText("installed"), _root.Read("/lib/apk/db/installed"));
        Assert.Equal("alpine-baselayout-data\nbusybox\nmusl\n", _root.Read("/etc/apk/world"));
    }

    [Fact]
    public void Run_AddWithVersionConstraint_KeepsTheConstraintInWorld()
    {
        var result = _root.Demo().Run(ApkVerb.Add, ["busybox>=1.37.0-r19"]);

        Assert.Equal(["(1/1) Upgrading busybox (1.37.0-r18 -> 1.37.0-r19)", "OK: 1 MiB in 3 packages"], Lines(result.Stdout));
        Assert.Equal("alpine-baselayout-data\nbusybox>=1.37.0-r19\n", _root.Read("/etc/apk/world"));
    }

    [Fact]
    public void Run_DelAfterAdd_PrunesWhatNothingNeedsAnyMore()
    {
        var manager = _root.Demo();
        manager.Run(ApkVerb.Add, ["foo"]);

        var result = manager.Run(ApkVerb.Del, ["foo"]);

        Assert.Equal(0, result.Status);
        Assert.Equal(["(1/2) Purging foo (2.1-r1)", "(2/2) Purging libfoo (1.2.0-r0)", "OK: 1 MiB in 3 packages"], Lines(result.Stdout));
        Assert.Equal(ApkTestRoot.FixtureText("installed"), _root.Read("/lib/apk/db/installed"));
        Assert.Equal(ApkTestRoot.FixtureText("world"), _root.Read("/etc/apk/world"));
    }

    [Fact]
    public void Run_DelPackageOthersNeed_KeptWithApksNote()
    {
        var result = _root.Demo().Run(ApkVerb.Del, ["musl"]);

        Assert.Equal(0, result.Status);
        Assert.Equal("World updated, but the following packages are not removed due to:\n  musl: busybox\n\nOK: 1 MiB in 3 packages\n", result.Stdout);
        Assert.Equal(ApkTestRoot.FixtureText("installed"), _root.Read("/lib/apk/db/installed"));
    }

    [Theory]
    [InlineData(ApkVerb.Add, "foo nosuchpkg", "ERROR: unable to select packages:\n  nosuchpkg (no such package):\n    required by: world[nosuchpkg]\n")] // was Run_AddUnknownName_RefusedAsApkDoesAndNothingWritten
    [InlineData(ApkVerb.Del, "nosuchpkg", "ERROR: No such package: nosuchpkg\n")] // was Run_DelUnknownName_NoSuchPackageAndNothingWritten
    [InlineData(ApkVerb.Add, "foo;reboot", "ERROR: 'foo;reboot' is not a valid world dependency, format is name(@tag)([<>~=]version)\n")] // was Run_InvalidName_RefusedBeforeReadingAnything
    public void Run_UnknownOrInvalidName_RefusedAsApkDoesAndNothingWritten(ApkVerb verb, string names, string stderr)
    {
        var before = _root.Snapshot(includeRoot: true);

        var result = _root.Demo().Run(verb, names.Split(' '));

        Assert.Equal(1, result.Status);
        Assert.Equal(stderr, result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.Equal(before, _root.Snapshot(includeRoot: true));
    }

    [Fact]
    public void Run_Upgrade_UpgradesToTheNewerIndexVersionKeepingItsFiles()
    {
        var result = _root.Demo().Run(ApkVerb.Upgrade, []);

        Assert.Equal(0, result.Status);
        Assert.Equal(["(1/1) Upgrading busybox (1.37.0-r18 -> 1.37.0-r19)", "OK: 1 MiB in 3 packages"], Lines(result.Stdout));
        Assert.Equal(ApkTestRoot.FixtureText("installed.after-upgrade"), _root.Read("/lib/apk/db/installed"));
        Assert.Equal(ApkTestRoot.FixtureText("world"), _root.Read("/etc/apk/world"));
    }

    [Fact]
    public void Run_UpgradeWhenCurrent_OnlyOkAndNothingRewritten()
    {
        var manager = _root.Demo();
        manager.Run(ApkVerb.Upgrade, []);
        var before = _root.Snapshot(includeRoot: true);

        var result = manager.Run(ApkVerb.Upgrade, []);

        Assert.Equal(["OK: 1 MiB in 3 packages"], Lines(result.Stdout));
        Assert.Equal(before, _root.Snapshot(includeRoot: true));
    }

    [Fact]
    public void Run_UpdateWithIndexForEveryRepository_FetchLinesAndCount()
    {
        _root.Write("/etc/apk/repositories", ApkTestRoot.MainUrl + "\n");
        var index = _root.HostPath($"/var/cache/apk/{ApkRepositories.CacheFileName(ApkTestRoot.MainUrl)}");

        var result = _root.Demo().Run(ApkVerb.Update, []);

        Assert.Equal(0, result.Status);
        Assert.Equal([$"fetch {ApkTestRoot.MainUrl}/x86_64/APKINDEX.tar.gz", $"v3.22.2-131-g7e0b5c3a1f4 [{ApkTestRoot.MainUrl}]",
            "OK: 7 distinct packages available"], Lines(result.Stdout));
        Assert.Equal(_root.Time.GetUtcNow().UtcDateTime, File.GetLastWriteTimeUtc(index));
    }

    [Fact]
    public void Run_UpdateWithRepositoryNeverFetched_WarnsAndCountsItUnavailable()
    {
        _root.Write("/etc/apk/arch", "aarch64\n");

        var result = _root.Demo().Run(ApkVerb.Update, []);

        Assert.Equal(1, result.Status);
        Assert.Equal([$"fetch {ApkTestRoot.MainUrl}/aarch64/APKINDEX.tar.gz",
            "fetch https://dl-cdn.alpinelinux.org/alpine/edge/testing/aarch64/APKINDEX.tar.gz",
            $"v3.22.2-131-g7e0b5c3a1f4 [{ApkTestRoot.MainUrl}]", "1 unavailable, 0 stale; 7 distinct packages available"], Lines(result.Stdout));
        Assert.Equal("WARNING: updating and opening https://dl-cdn.alpinelinux.org/alpine/edge/testing: network unavailable on the demo host\n", result.Stderr);
    }

    [Fact]
    public void Run_EveryVerb_TouchesNothingOutsideTheRootAndLeavesNoTempFiles()
    {
        var outside = _root.Snapshot(includeRoot: false);
        var manager = _root.Demo();

        manager.Run(ApkVerb.Add, ["foo"]);
        manager.Run(ApkVerb.Upgrade, []);
        manager.Run(ApkVerb.Update, []);
        manager.Run(ApkVerb.Del, ["foo"]);

        Assert.Equal(outside, _root.Snapshot(includeRoot: false));
        Assert.DoesNotContain(Directory.EnumerateFiles(_root.Root, "*", SearchOption.AllDirectories), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_WorldIsAnAbsoluteSymlink_FollowedInsideTheRoot()
    {
        var target = Path.Combine(Path.GetTempPath(), $"acf-apk-world-{Guid.NewGuid():N}");
        File.Delete(_root.HostPath("/etc/apk/world"));
        File.CreateSymbolicLink(_root.HostPath("/etc/apk/world"), target);
        _root.Write(target, "busybox\n"); // the link's target as seen inside the root

        var result = _root.Demo().Run(ApkVerb.Add, ["foo"]);

        Assert.Equal(0, result.Status);
        Assert.False(File.Exists(target));
        Assert.Equal("busybox\nfoo\n", _root.Read(target));
        Assert.NotNull(new FileInfo(_root.HostPath("/etc/apk/world")).LinkTarget);
    }
}
