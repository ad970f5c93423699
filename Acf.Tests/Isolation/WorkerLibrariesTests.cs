namespace Acf.Tests.Isolation;

/// <summary>
/// A worker keeps the libraries it was sent (issue 13): a second action in the same worker asks for each library
/// again (the app decides what a module may load, and sees an edited file) but is answered "unchanged", so the text
/// crosses the pipe, and is hashed and compiled, once per worker and version, not once per action.
/// </summary>
public sealed class WorkerLibrariesTests : IDisposable
{
    private const string Manifest = """{ "title": "Library probe", "roles": { "GUEST": [ "ctl/run" ] } }""";

    private readonly ModuleWorkerPool _pool = new(WorkerLaunch.Default(), 1, NullLogger.Instance);

    public void Dispose() => _pool.Dispose();

    [Fact]
    public async Task Require_TwoActionsInOneWorker_EachLibrarySentOnceThenAnEditSentAgain()
    {
        using var host = new ModuleTestHost(workers: _pool);
        host.AddModule("mod", Manifest, ("ctl", """
            local M = {}
            function M.run(ctx, input)
              return { type = "text", value = require("own").word .. "," .. type(require("cfe").form) }
            end
            return M
            """));
        var own = Path.Combine(host.ModulesPath, "mod", "lib", "own.lua");
        Directory.CreateDirectory(Path.GetDirectoryName(own)!);
        File.WriteAllText(own, "return { word = 'first' }");

        var first = await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run");
        var worker = Assert.Single(_pool.LibraryTransfers);
        var afterFirst = (worker.Sources, worker.Unchanged);
        var second = await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run");
        var afterSecond = (worker.Sources, worker.Unchanged);
        File.WriteAllText(own, "return { word = 'edited, longer' }");
        var third = await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run");

        Assert.True(first.Status == RunStatus.Ok, first.Error);
        Assert.Equal("first,function", first.Entity!.Text);
        Assert.Equal("first,function", second.Entity!.Text);
        Assert.Equal("edited, longer,function", third.Entity!.Text);
        Assert.Equal((2, 0), afterFirst);  // own.lua and cfe.lua sent
        Assert.Equal((2, 2), afterSecond); // both asked again, both unchanged: nothing sent
        Assert.Equal((3, 3), (worker.Sources, worker.Unchanged)); // only the edited one sent again
    }
}
