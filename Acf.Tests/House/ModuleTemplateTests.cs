using Acf.Tests.Modules.Fixtures;

namespace Acf.Tests.House;

/// <summary>
/// <c>modules-lua/_template</c>, the folder a contributor copies to start a module (docs/modules.md): the app never
/// loads it, and copied under a module's name its own fixtures pass, so the template cannot rot.
/// </summary>
public class ModuleTemplateTests
{
    private const string Template = "_template";

    private static readonly string ModulesRoot = Path.Combine(ModuleTestHost.RepositoryRoot, "modules-lua");

    public static TheoryData<string> Cases() => new(
        Directory.GetDirectories(Path.Combine(ModulesRoot, Template, "fixtures"))
            .Where(dir => File.Exists(Path.Combine(dir, "case.json")))
            .Select(dir => $"{Template}/{Path.GetFileName(dir)}")
            .Order(StringComparer.Ordinal));

    [Fact]
    public void Template_IsNotLoadedAsAModule()
    {
        using var host = ModuleTestHost.Demo();
        _ = host.Runner;

        Assert.False(ModuleCatalog.IsModuleFolder(Path.Combine(ModulesRoot, Template)));
        Assert.NotEmpty(host.Catalog.Modules);
        Assert.DoesNotContain(host.Catalog.Modules, m => m.Prefix.StartsWith('_'));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Template_CopiedAsAModule_PassesItsFixtures(string fixture) =>
        ModuleFixtureRunner.RunAsync(ModuleFixtureCase.Load(ModulesRoot, fixture) with { Module = "example" },
            host => host.CopyModuleAs(Template, "example"));
}
