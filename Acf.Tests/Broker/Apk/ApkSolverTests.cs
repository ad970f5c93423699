namespace Acf.Tests.Broker.Apk;

public sealed class ApkSolverTests
{
    private static ApkPackage Package(string name, string version, string[]? depends = null, string[]? provides = null) =>
        new(name, version, "x86_64", 1, 1, "", "", "", name, "", depends ?? [], provides ?? [], null);

    [Fact]
    public void Solve_InstallIfSatisfied_AddsThePackage()
    {
        var openrc = Package("openrc", "0.62.6-r0");
        var foo = Package("foo", "1-r0");
        var fooOpenrc = Package("foo-openrc", "1-r0");
        var fooDoc = Package("foo-doc", "1-r0");
        ApkInstallIf.Set(fooOpenrc, ["openrc", "foo=1-r0"]);
        ApkInstallIf.Set(fooDoc, ["docs", "foo=1-r0"]);
        var solver = new ApkSolver([], [openrc, foo, fooOpenrc, fooDoc]);

        var solution = solver.Solve(["foo", "openrc"]);

        Assert.Equal(["foo", "foo-openrc", "openrc"], solution.Selected.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Solve_DependencyByProvidedName_PicksTheProvider()
    {
        var app = Package("app", "1-r0", ["cmd:helper", "so:libx.so.1>=1.2"]);
        var helper = Package("helper-tools", "3-r0", provides: ["cmd:helper=3-r0"]);
        var oldLib = Package("libx", "1.1-r0", provides: ["so:libx.so.1=1.1"]);
        var newLib = Package("libx", "1.2-r0", provides: ["so:libx.so.1=1.2"]);

        var solution = new ApkSolver([], [app, helper, oldLib, newLib]).Solve(["app"]);

        Assert.Empty(solution.Unsatisfied);
        Assert.Equal("1.2-r0", solution.Selected["libx"].Version);
        Assert.Same(helper, solution.Selected["helper-tools"]);
    }

    [Fact]
    public void Solve_InstalledVersionSatisfies_KeptUnlessUpgrading()
    {
        var installed = Package("libx", "1.1-r0");
        var newer = Package("libx", "1.2-r0");
        var solver = new ApkSolver([installed], [installed, newer]);

        var kept = solver.Solve(["libx"]);
        var upgraded = solver.Solve(["libx"], _ => true);

        Assert.Same(installed, kept.Selected["libx"]);
        Assert.Same(newer, upgraded.Selected["libx"]);
    }

    [Fact]
    public void Solve_MissingDependency_ReportsWhoNeedsIt()
    {
        var app = Package("app", "1-r0", ["so:libmissing.so.2"]);

        var solution = new ApkSolver([], [app]).Solve(["app"]);

        var missing = Assert.Single(solution.Unsatisfied);
        Assert.Equal("so:libmissing.so.2", missing.Dependency.Name);
        Assert.Equal("app-1-r0[so:libmissing.so.2]", missing.RequiredBy);
        Assert.True(missing.NoSuchPackage);
    }
}
