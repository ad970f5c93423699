namespace Acf.Tests.Modules;

/// <summary><c>require</c> finds a module's own <c>lib/</c> first, then the shared <c>modules-lua/lib</c>; a module never
/// reaches another module's private libraries, in the app or across a worker's pipe.</summary>
public class ModuleLibrariesTests
{
    private const string Manifest = """{ "title": "Library probe", "roles": { "GUEST": [ "ctl/run" ] } }""";

    /// <summary>A host whose mod/ctl/run runs <paramref name="body"/>, with each library written into the
    /// <c>lib/</c> of its module (a module other than mod is added first, with the same manifest and controller).</summary>
    private static ModuleTestHost HostWith(string body, params (string Module, string Name, string Text)[] libraries)
    {
        var host = new ModuleTestHost();
        foreach (var module in libraries.Select(l => l.Module).Where(m => m != "mod").Distinct().Append("mod"))
            host.AddModule(module, Manifest, ("ctl", ModuleTestHost.ProbeController(body)));
        foreach (var (module, name, text) in libraries)
        {
            var dir = Path.Combine(host.ModulesPath, module, "lib");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, name + ".lua"), text);
        }
        return host;
    }

    /// <summary>Runs mod/ctl/run in a new host (see <see cref="HostWith"/>): the action succeeds; returns its text.</summary>
    private static async Task<string?> TextOf(string body, params (string Module, string Name, string Text)[] libraries)
    {
        using var host = HostWith(body, libraries);
        return (await host.RunOkAsync(ModuleTestHost.Guest, "mod", "ctl", "run")).Text;
    }

    /// <summary>Runs mod/ctl/run in a new host (see <see cref="HostWith"/>): the action fails; returns its error.</summary>
    private static async Task<string?> ErrorOf(string body, params (string Module, string Name, string Text)[] libraries)
    {
        using var host = HostWith(body, libraries);
        var result = await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run");
        Assert.Equal(RunStatus.Failed, result.Status);
        return result.Error;
    }

    [Fact]
    public async Task Require_ModuleHasOwnLibraryOfSharedName_LoadsItsOwn()
    {
        var text = await TextOf("return { type = 'text', value = require('valid').word .. ',' .. type(require('cfe').form) }",
            ("mod", "valid", "return { word = 'own' }"));

        Assert.Equal("own,function", text);
    }

    [Fact]
    public async Task Require_PrivateLibraryOfAnotherModule_IsNotFound()
    {
        var error = await ErrorOf("return { type = 'text', value = require('secret').word }",
            ("other", "secret", "return { word = 'other' }"));

        Assert.Contains("module 'secret' not found", error);
        Assert.Contains("modules-lua/mod/lib/<name>.lua", error);
    }

    [Fact]
    public async Task Require_PrivateLibraryRequiresItsNeighbour_FindsIt()
    {
        var text = await TextOf("return { type = 'text', value = require('outer').word }",
            ("mod", "outer", "local inner = require('inner') return { word = 'outer+' .. inner.word }"),
            ("mod", "inner", "return { word = 'inner' }"));

        Assert.Equal("outer+inner", text);
    }

    [Fact]
    public async Task Require_SyntaxErrorInPrivateLibrary_NamesModuleAndLine()
    {
        var error = await ErrorOf("return { type = 'text', value = require('broken').word }", ("mod", "broken", "local x = \nreturn {"));

        Assert.Contains("mod/lib/broken.lua:2:", error);
    }

    [Theory]
    [InlineData("mod", "../lib/cfe")]
    [InlineData("mod", "lib/cfe")]
    [InlineData("../mod", "cfe")]
    [InlineData("nosuchmodule", "outer")]
    public void ReadLibrary_PathTricksOrUnknownModule_FindNothingPrivate(string module, string name)
    {
        using var host = HostWith("return { type = 'text' }", ("mod", "outer", "return {}"));
        _ = host.Runner;

        var library = host.Catalog.ReadLibrary(new LibraryRequest(module, name));

        Assert.True(library is null || library.Path.StartsWith("lib/", StringComparison.Ordinal), library?.Path);
    }

    [Fact]
    public void Answer_WorkerAsksForAnotherModulesLibrary_IsAProtocolViolation()
    {
        using var host = HostWith("return { type = 'text' }", ("other", "secret", "return {}"));
        var context = new BrokerCallContext(host.ReadyBroker, new BrokerCaller("guest", "mod"), host.Catalog, null);
        using var frame = WorkerFrame.Read(new MemoryStream(WorkerFrame.Encode(WorkerFrame.Call,
            nameof(ILuaLibraries.ReadLibrary), new LibraryRequest("other", "secret"))))!;

        Assert.Throws<WorkerProtocolException>(() => BrokerDispatch.Answer(context, frame));
    }
}
