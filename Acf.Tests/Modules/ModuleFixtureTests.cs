using Acf.Tests.Modules.Fixtures;

namespace Acf.Tests.Modules;

/// <summary>
/// Every module's fixtures: each <c>modules-lua/&lt;module&gt;/fixtures/&lt;case&gt;/case.json</c> is one case, run
/// on a demo host built from the app's own registration. A module's tests are files only (docs/modules.md).
/// </summary>
public class ModuleFixtureTests
{
    private static readonly string ModulesRoot = Path.Combine(ModuleTestHost.RepositoryRoot, "modules-lua");

    public static TheoryData<string> Cases() => new(ModuleFixtureCase.Discover(ModulesRoot));

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Fixture_RunsAsItsCaseSays(string fixture) =>
        ModuleFixtureRunner.RunAsync(ModuleFixtureCase.Load(ModulesRoot, fixture));
}
