namespace Acf.Tests.Broker.Apk;

/// <summary>
/// The demo appliance's apk files (demo/lib/apk/db/installed, demo/etc/apk/*, demo/var/cache/apk/APKINDEX.*.tar.gz,
/// made by scripts/make-demo-apkindex.cs): consistent with each other and usable, on a copy of the tree.
/// </summary>
public sealed class DemoTreeApkTests : IDisposable
{
    private readonly ApkTestRoot _root = new(fixtures: false);

    public DemoTreeApkTests()
    {
        var demo = Path.Combine(ModuleTestHost.RepositoryRoot, "demo");
        foreach (var folder in new[] { "lib/apk", "etc/apk", "var/cache/apk" })
            ModuleTestHost.CopyTree(Path.Combine(demo, folder), _root.HostPath(folder));
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public void ReadState_DemoTree_InstalledIsExactlyWhatWorldNeeds()
    {
        var state = _root.Demo().ReadState();

        var solution = new ApkSolver(state.Installed, state.Available).Solve(state.World);

        Assert.Empty(solution.Unsatisfied);
        Assert.Equal(state.Installed.Select(p => $"{p.Name}-{p.Version}").Order(), solution.Selected.Values.Select(p => $"{p.Name}-{p.Version}").Order());
        Assert.InRange(state.Installed.Count, 55, 90);
        Assert.InRange(state.Available.Count, 250, 1000);
        Assert.Equal(2, state.Repositories.Count);
    }

    [Fact]
    public void ReadState_DemoTree_IndexOffersAppliancePackagesAndUpgrades()
    {
        var state = _root.Demo().ReadState();

        var names = state.Available.Select(p => p.Name).ToHashSet();
        var upgradable = ApkUpgrades.Upgradable(state);

        Assert.Superset(new HashSet<string> { "squid", "dnsmasq", "frr", "strongswan", "awall", "nginx", "openvpn", "wireguard-tools" }, names);
        Assert.Contains(upgradable, p => p.Name == "busybox");
        Assert.Contains(upgradable, p => p.Name == "openssh-server");
    }

    [Fact]
    public void Run_AddFrrThenDel_InstallsItsDependenciesAndRemovesThemAgain()
    {
        var manager = _root.Demo();
        var installed = _root.Read("/lib/apk/db/installed");

        var add = manager.Run(ApkVerb.Add, ["frr"]);
        var del = manager.Run(ApkVerb.Del, ["frr"]);

        Assert.Equal(0, add.Status);
        Assert.Contains(add.Stdout.Split('\n'), l => l.EndsWith(") Installing libyang (3.12.2-r0)", StringComparison.Ordinal));
        Assert.Matches(@"\(\d+/\d+\) Installing frr \(10\.3\.1-r0\)\n\(\d+/\d+\) Installing frr-openrc \(10\.3\.1-r0\)\nOK: \d+ MiB in \d+ packages\n$", add.Stdout);
        Assert.Equal(0, del.Status);
        Assert.Equal(installed, _root.Read("/lib/apk/db/installed"));
    }

    [Fact]
    public void Run_Upgrade_LeavesNothingUpgradable()
    {
        var manager = _root.Demo();

        var result = manager.Run(ApkVerb.Upgrade, []);

        Assert.Equal(0, result.Status);
        Assert.Contains("Upgrading busybox (1.37.0-r18 -> 1.37.0-r19)", result.Stdout);
        Assert.Empty(ApkUpgrades.Upgradable(manager.ReadState()));
        Assert.Equal(manager.ReadState().Installed.Count, _root.Demo().ReadState().Installed.Count);
    }
}
