using Acf.Modules;

namespace Acf.Tests.Modules;

/// <summary>
/// The sandbox compiles each chunk once and shares its host-function thunks between states, so that starting one is
/// cheap; these check that every action still gets a fresh environment and that an edited file is compiled again.
/// </summary>
public class LuaSandboxCacheTests
{
    private const string Manifest = """{ "title": "Cache probe", "roles": { "GUEST": [ "ctl/run" ] } }""";

    private static ModuleTestHost HostWith(string body)
    {
        var host = new ModuleTestHost();
        host.AddModule("mod", Manifest, ("ctl", Controller(body)));
        return host;
    }

    private static string Controller(string body) => ModuleTestHost.ProbeController(body);

    private static async Task<(RunResult First, RunResult Second)> RunTwice(ModuleTestHost host) =>
        (await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run"), await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run"));

    [Fact]
    public async Task RunAsync_GlobalSetByEarlierRun_IsNotSeenByNextRun()
    {
        using var host = HostWith("leaked = (leaked or 0) + 1; return { type = 'text', value = tostring(leaked) }");

        var (first, second) = await RunTwice(host);

        Assert.Equal("1", first.Entity!.Text);
        Assert.Equal("1", second.Entity!.Text);
    }

    [Fact]
    public async Task RunAsync_StringLibraryChangedByEarlierRun_IsFreshInNextRun()
    {
        using var host = HostWith("""
            local before = tostring(string.marker) .. ("a"):upper()
            string.marker = "set"
            string.upper = function() return "replaced" end
            return { type = "text", value = before }
            """);

        var (first, second) = await RunTwice(host);

        Assert.Equal("nilA", first.Entity!.Text);
        Assert.Equal("nilA", second.Entity!.Text);
    }

    [Fact]
    public async Task RunAsync_LibraryTableChangedByEarlierRun_IsFreshInNextRun()
    {
        using var host = HostWith("""
            local cfe = require("cfe")
            local before = tostring(cfe.marker)
            cfe.marker = "set"
            return cfe.text{ value = before }
            """);

        var (first, second) = await RunTwice(host);

        Assert.Equal("nil", first.Entity!.Text);
        Assert.Equal("nil", second.Entity!.Text);
    }

    [Fact]
    public async Task RunAsync_ControllerEditedBetweenRuns_RunsTheNewText()
    {
        using var host = HostWith("return { type = 'text', value = 'one' }");
        var first = await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run");

        File.WriteAllText(Path.Combine(host.ModulesPath, "mod", "ctl.lua"), Controller("return { type = 'text', value = 'second' }"));
        var second = await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run");

        Assert.Equal("one", first.Entity!.Text);
        Assert.Equal("second", second.Entity!.Text);
    }

    [Fact]
    public async Task RunAsync_LibraryEditedBetweenRuns_RunsTheNewText()
    {
        using var host = HostWith("return { type = 'text', value = require('probe').word }");
        var library = Path.Combine(host.ModulesPath, "lib", "probe.lua");
        File.WriteAllText(library, "return { word = 'one' }");
        var first = await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run");

        File.WriteAllText(library, "return { word = 'second' }");
        var second = await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run");

        Assert.Equal("one", first.Entity!.Text);
        Assert.Equal("second", second.Entity!.Text);
    }

    [Fact]
    public async Task RunAsync_ErrorInCachedChunk_StillNamesFileAndLine()
    {
        using var host = HostWith("error('boom')");

        var (first, second) = await RunTwice(host);

        Assert.Equal("mod/ctl.lua:3: boom", first.Error);
        Assert.Equal("mod/ctl.lua:3: boom", second.Error);
    }

    [Fact]
    public async Task RunAsync_SyntaxErrorInLibrary_NamesLibraryLine()
    {
        using var host = HostWith("return { type = 'text', value = require('broken').word }");
        File.WriteAllText(Path.Combine(host.ModulesPath, "lib", "broken.lua"), "local x = \nreturn {");

        var result = await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("lib/broken.lua:2:", result.Error);
    }
}
