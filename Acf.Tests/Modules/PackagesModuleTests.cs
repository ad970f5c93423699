namespace Acf.Tests.Modules;

/// <summary>The apk-tools pages over the demo tree, and at the size of a real mirror.</summary>
public class PackagesModuleTests
{
    /// <summary>Presses <paramref name="button"/> on the manage page with these package names, as the admin unless
    /// another user is given.</summary>
    private static Task<RunResult> ManageAsync(ModuleTestHost host, string button, string packages, AcfPrincipal? user = null) =>
        host.RunAsync(user ?? ModuleTestHost.Admin, "apk-tools", "packages", "manage", ModuleTestHost.Submit(button, ("packages", packages)));

    [Fact]
    public async Task Installed_DemoTree_MarksWorldEntries()
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(ModuleTestHost.Admin, "apk-tools", "packages", "installed");

        Assert.Equal(RunStatus.Ok, result.Status);
        var rows = result.Entity!.Rows;
        Assert.Contains(rows, r => r["name"] == "alpine-base" && r["kind"] == "world");
        Assert.Contains(rows, r => r["name"] == "musl" && r["kind"] == "dependency");
        Assert.Equal("/apk-tools/packages/details?name=musl", rows.First(r => r["name"] == "musl")["name@href"]);
    }

    /// <summary>Issue 19: the installed page asks the broker for the lists it shows (installed, world), never for the
    /// whole state, so a mirror's 20,000 available packages do not cross to the worker for a list of 150.</summary>
    [Fact]
    public async Task Installed_AsksOnlyForTheListsItShows_EachOnce()
    {
        var spy = new BrokerSpy();
        using var host = new ModuleTestHost(new ModulesOptions(), copyRealModules: true) { WrapBroker = spy.Around };
        host.CopyDemoTree();

        var result = await host.RunAsync(ModuleTestHost.Admin, "apk-tools", "packages", "installed");

        Assert.Equal(RunStatus.Ok, result.Status);
        var requests = spy.Requests.OfType<ReadPackagesRequest>().Select(r => r.List).ToList();
        var asked = spy.Answered.Where(a => a.Request is ReadPackagesRequest).Select(a => a.Value).OfType<ApkListing>().ToList();
        Assert.Equal(requests.Distinct().Count(), requests.Count);
        Assert.DoesNotContain(ApkList.Available, requests);
        Assert.Contains(ApkList.Installed, requests);
        Assert.All(asked, listing => Assert.False(listing.Packages.Count > 0 && listing.Lines.Count > 0));
    }

    [Fact]
    public async Task Manage_InstallThenRemove_ChangesWorldAndInstalledDatabase()
    {
        using var host = ModuleTestHost.Demo();

        var install = await ManageAsync(host, "Install", "nginx");
        var installedAfterAdd = host.ReadRootFile("/lib/apk/db/installed");
        var remove = await ManageAsync(host, "Remove", "nginx");

        Assert.True(install.Entity!.Succeeded, install.Entity.Errtxt);
        Assert.Contains("\nP:nginx\n", installedAfterAdd);
        Assert.True(remove.Entity!.Succeeded, remove.Entity.Errtxt);
        Assert.DoesNotContain("nginx", host.ReadRootFile("/etc/apk/world"));
        Assert.DoesNotContain("\nP:nginx\n", host.ReadRootFile("/lib/apk/db/installed"));
    }

    /// <summary>Issue #20: apk del keeps a package others need and exits 0; the page said "apk del finished" in green.</summary>
    [Fact]
    public async Task Manage_RemovePackageOthersNeed_ShownAsFailureWithApksReason()
    {
        using var host = ModuleTestHost.Demo();

        var result = await ManageAsync(host, "Remove", "musl");

        Assert.False(result.Entity!.Succeeded);
        Assert.Contains("did not remove", result.Entity.Errtxt);
        Assert.Contains("musl:", result.Entity.Errtxt);
        Assert.Contains("\nP:musl\n", host.ReadRootFile("/lib/apk/db/installed"));
    }

    [Fact]
    public async Task Manage_RemoveAndUpgradeAll_AskFirst()
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(ModuleTestHost.Admin, "apk-tools", "packages", "manage");

        var options = result.Entity!.Options.ToDictionary(o => o.Value);
        Assert.Null(options["Install"].Confirm);
        Assert.Contains("Remove the packages", options["Remove"].Confirm);
        Assert.Contains("Upgrade every installed package", options["Upgrade all"].Confirm);
    }

    [Theory]
    [InlineData("nginx; reboot")]
    [InlineData("--force-broken-world")]
    [InlineData("../../etc/shadow")]
    public async Task Manage_HostileName_RefusedAndNothingWritten(string name)
    {
        using var host = ModuleTestHost.Demo();
        var world = host.ReadRootFile("/etc/apk/world");

        var result = await ManageAsync(host, "Install", name);

        Assert.Equal(RunStatus.Ok, result.Status);
        Assert.NotNull(result.Entity!.Find("packages")!.Errtxt);
        Assert.Equal(world, host.ReadRootFile("/etc/apk/world"));
    }

    [Fact]
    public async Task Manage_User_Forbidden()
    {
        using var host = ModuleTestHost.Demo();

        var result = await ManageAsync(host, "Install", "nginx", new AcfPrincipal("user", ["USER"]));

        Assert.Equal(RunStatus.Forbidden, result.Status);
    }

    /// <summary>Alpine's main and community hold about 20,000 packages: the page shows them a page at a time, picked
    /// by the host where the index is (issue 19), within the default limits; the filter and the page reach the whole
    /// index, and a page past the end shows the last one.</summary>
    [Fact]
    public async Task Available_TwentyThousandPackages_PagesAndFiltersTheWholeIndex()
    {
        using var host = ModuleTestHost.Demo();
        var records = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
            records.Append($"P:pkg{i}\nV:1.{i % 10}.0-r0\nA:x86_64\nS:1000\nI:4000\nT:Benchmark package {i} with an ordinary description\n"
                + $"U:https://example.org/pkg{i}\nL:MIT\nD:so:libc.musl-x86_64.so.1\np:so:libpkg{i}.so.1=1\n\n");
        var cache = Path.Combine(host.Root, "var", "cache", "apk");
        foreach (var old in Directory.GetFiles(cache, "APKINDEX.*")) File.Delete(old);
        using (var file = File.Create(Path.Combine(cache, ApkRepositories.CacheFileName("https://dl-cdn.alpinelinux.org/alpine/v3.22/main"))))
            ApkIndexArchive.Write(file, "v3.22-test", Encoding.UTF8.GetBytes(records.ToString()), ".SIGN.RSA.test.rsa.pub", [1, 2, 3],
                DateTimeOffset.UnixEpoch);
        async Task<CfeNode> ShowAsync(ModuleInput? input = null)
        {
            return await host.RunOkAsync(ModuleTestHost.Admin, "apk-tools", "packages", "available", input);
        }

        var first = (await ShowAsync()).Find("packages")!;
        var matching = (await ShowAsync(ModuleTestHost.Submit("Show", ("filter", "PACKAGE 1999 "), ("page", "1")))).Find("packages")!;
        var pastTheEnd = await ShowAsync(ModuleTestHost.Submit("Show", ("filter", ""), ("page", "9999")));

        Assert.Equal(50, first.Rows.Count);
        Assert.Equal(["pkg0", "pkg1", "pkg10", "pkg100"], first.Rows.Take(4).Select(r => r["name"]));
        Assert.Equal("/apk-tools/packages/details?name=pkg0", first.Rows[0]["name@href"]);
        Assert.Equal("Packages in the cached indexes: 20000 (page 1 of 400).", first.Descr);
        Assert.Equal(["pkg1999"], matching.Rows.Select(r => r["name"]));
        Assert.Equal("Matching packages in the cached indexes: 1 (page 1 of 1).", matching.Descr);
        Assert.Equal("400", pastTheEnd.Find("page")!.Text);
        Assert.Equal("pkg9999", pastTheEnd.Find("packages")!.Rows[^1]["name"]);
    }

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("tab\there")]
    public async Task Available_FilterWithControlCharacters_IsRefusedOnTheField(string filter)
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(ModuleTestHost.Admin, "apk-tools", "packages", "available", ModuleTestHost.Submit("Show", ("filter", filter)));

        Assert.Equal(RunStatus.Ok, result.Status);
        Assert.Equal("At most 200 characters, without line breaks or control characters.", result.Entity!.Find("filter")!.Errtxt);
        Assert.Empty(result.Entity.Find("packages")!.Rows);
    }
}
