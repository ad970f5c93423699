namespace Acf.Tests.Modules;

/// <summary>
/// The sandbox compiles each chunk once and shares its host-function thunks between states, so that starting one is
/// cheap; these check that every action still gets a fresh environment and that an edited file is compiled again.
/// The runs go to one worker of this class's own, so the second run of a test meets the state the worker kept from
/// the first (same module and user: LuaStatePool) and what it asserts holds in that state.
/// </summary>
public class LuaSandboxCacheTests
{
    private const string Manifest = """{ "title": "Cache probe", "roles": { "GUEST": [ "ctl/run" ] } }""";

    private static readonly ModuleWorkerPool OneWorker = new(WorkerLaunch.Default(), 1, NullLogger.Instance);

    private static ModuleTestHost HostWith(string body)
    {
        var host = new ModuleTestHost(workers: OneWorker);
        host.AddModule("mod", Manifest, ("ctl", Controller(body)));
        return host;
    }

    private static string Controller(string body) => ModuleTestHost.ProbeController(body);

    /// <summary>Runs the controller <paramref name="body"/> twice in one host; both runs answer
    /// <paramref name="expected"/>, so nothing the first run changed reached the second.</summary>
    private static async Task AssertBothRunsSee(string expected, string body)
    {
        using var host = HostWith(body);

        var (first, second) = await RunTwice(host);

        Assert.Equal(expected, first.Entity!.Text);
        Assert.Equal(expected, second.Entity!.Text);
    }

    private static async Task<(RunResult First, RunResult Second)> RunTwice(ModuleTestHost host) =>
        (await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run"), await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run"));

    /// <summary>Runs the action, makes the <paramref name="edit"/>, runs it again.</summary>
    private static async Task<(RunResult First, RunResult Second)> RunEditRunAsync(ModuleTestHost host, Action edit)
    {
        var first = await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run");
        edit();
        return (first, await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run"));
    }

    [Fact]
    public Task RunAsync_GlobalSetByEarlierRun_IsNotSeenByNextRun() =>
        AssertBothRunsSee("1", "leaked = (leaked or 0) + 1; return { type = 'text', value = tostring(leaked) }");

    [Fact]
    public Task RunAsync_StringLibraryChangedByEarlierRun_IsFreshInNextRun() => AssertBothRunsSee("nilA", """
        local before = tostring(string.marker) .. ("a"):upper()
        string.marker = "set"
        string.upper = function() return "replaced" end
        return { type = "text", value = before }
        """);

    [Fact]
    public Task RunAsync_LibraryTableChangedByEarlierRun_IsFreshInNextRun() => AssertBothRunsSee("nil", """
        local cfe = require("cfe")
        local before = tostring(cfe.marker)
        cfe.marker = "set"
        return cfe.text{ value = before }
        """);

    [Fact]
    public async Task RunAsync_ControllerEditedBetweenRuns_RunsTheNewText()
    {
        using var host = HostWith("return { type = 'text', value = 'one' }");

        var (first, second) = await RunEditRunAsync(host, () =>
            File.WriteAllText(Path.Combine(host.ModulesPath, "mod", "ctl.lua"), Controller("return { type = 'text', value = 'second' }")));

        Assert.Equal("one", first.Entity!.Text);
        Assert.Equal("second", second.Entity!.Text);
    }

    [Fact]
    public async Task RunAsync_LibraryEditedBetweenRuns_RunsTheNewText()
    {
        using var host = HostWith("return { type = 'text', value = require('probe').word }");
        var library = Path.Combine(host.ModulesPath, "lib", "probe.lua");
        File.WriteAllText(library, "return { word = 'one' }");

        var (first, second) = await RunEditRunAsync(host, () => File.WriteAllText(library, "return { word = 'second' }"));

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
