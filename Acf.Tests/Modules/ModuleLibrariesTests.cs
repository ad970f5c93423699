using Acf.Broker;
using Acf.Broker.Catalog;
using Acf.Modules;
using Acf.Modules.Isolation;

namespace Acf.Tests.Modules;

/// <summary><c>require</c> finds a module's own <c>lib/</c> first, then the shared <c>modules-lua/lib</c>; a module never
/// reaches another module's private libraries, in the app or across a worker's pipe.</summary>
public class ModuleLibrariesTests
{
    private const string Manifest = """{ "title": "Library probe", "roles": { "GUEST": [ "ctl/run" ] } }""";

    private static ModuleTestHost HostWith(string body, params string[] modules)
    {
        var host = new ModuleTestHost();
        foreach (var module in modules.Append("mod"))
            host.AddModule(module, Manifest, ("ctl", ModuleTestHost.ProbeController(body)));
        return host;
    }

    private static void WriteLibrary(ModuleTestHost host, string module, string name, string text)
    {
        var dir = Path.Combine(host.ModulesPath, module, "lib");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, name + ".lua"), text);
    }

    [Fact]
    public async Task Require_ModuleHasOwnLibraryOfSharedName_LoadsItsOwn()
    {
        using var host = HostWith("return { type = 'text', value = require('valid').word .. ',' .. type(require('cfe').form) }");
        WriteLibrary(host, "mod", "valid", "return { word = 'own' }");

        var result = await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run");

        Assert.True(result.Status == RunStatus.Ok, result.Error);
        Assert.Equal("own,function", result.Entity!.Text);
    }

    [Fact]
    public async Task Require_PrivateLibraryOfAnotherModule_IsNotFound()
    {
        using var host = HostWith("return { type = 'text', value = require('secret').word }", "other");
        WriteLibrary(host, "other", "secret", "return { word = 'other' }");

        var result = await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("module 'secret' not found", result.Error);
        Assert.Contains("modules-lua/mod/lib/<name>.lua", result.Error);
    }

    [Fact]
    public async Task Require_PrivateLibraryRequiresItsNeighbour_FindsIt()
    {
        using var host = HostWith("return { type = 'text', value = require('outer').word }");
        WriteLibrary(host, "mod", "outer", "local inner = require('inner') return { word = 'outer+' .. inner.word }");
        WriteLibrary(host, "mod", "inner", "return { word = 'inner' }");

        var result = await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run");

        Assert.True(result.Status == RunStatus.Ok, result.Error);
        Assert.Equal("outer+inner", result.Entity!.Text);
    }

    [Fact]
    public async Task Require_SyntaxErrorInPrivateLibrary_NamesModuleAndLine()
    {
        using var host = HostWith("return { type = 'text', value = require('broken').word }");
        WriteLibrary(host, "mod", "broken", "local x = \nreturn {");

        var result = await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("mod/lib/broken.lua:2:", result.Error);
    }

    [Theory]
    [InlineData("mod", "../lib/cfe")]
    [InlineData("mod", "lib/cfe")]
    [InlineData("../mod", "cfe")]
    [InlineData("nosuchmodule", "outer")]
    public void ReadLibrary_PathTricksOrUnknownModule_FindNothingPrivate(string module, string name)
    {
        using var host = HostWith("return { type = 'text' }");
        WriteLibrary(host, "mod", "outer", "return {}");
        _ = host.Runner;

        var library = host.Catalog.ReadLibrary(new LibraryRequest(module, name));

        Assert.True(library is null || library.Path.StartsWith("lib/", StringComparison.Ordinal), library?.Path);
    }

    [Fact]
    public void Answer_WorkerAsksForAnotherModulesLibrary_IsAProtocolViolation()
    {
        using var host = HostWith("return { type = 'text' }", "other");
        WriteLibrary(host, "other", "secret", "return {}");
        var context = new BrokerCallContext(host.ReadyBroker, new BrokerCaller("guest", "mod"), host.Catalog, null);
        using var frame = WorkerFrame.Read(new MemoryStream(WorkerFrame.Encode(WorkerFrame.Call,
            nameof(ILuaLibraries.ReadLibrary), new LibraryRequest("other", "secret"))))!;

        Assert.Throws<WorkerProtocolException>(() => BrokerDispatch.Answer(context, frame));
    }
}
