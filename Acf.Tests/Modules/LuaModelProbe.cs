namespace Acf.Tests.Modules;

/// <summary>
/// A lossless config model (a library of <c>modules-lua/lib</c> or of a module's own <c>lib/</c>) run in the sandbox, as modules meet it, through a throwaway
/// module: it reads <c>/etc/probe/in</c>, runs a Lua chunk with <c>text</c> and the named libraries in scope that
/// returns a model (and a result), and writes the model's text to <c>/etc/probe/out</c>. Model tests (interfaces,
/// opennhrp, frr, swanctl) share it, so each states only its edits and the bytes it expects.
/// </summary>
internal static class LuaModelProbe
{
    private const string Manifest = """
        { "title": "model probe", "roles": { "GUEST": [ "model/run" ] }, "capabilities": { "write": [ "/etc/probe/" ] } }
        """;

    public sealed record Outcome(string Result, byte[] Output)
    {
        public string OutputText => Encoding.UTF8.GetString(Output);
    }

    public static async Task<Outcome> RunAsync(byte[] input, string code, params string[] libraries)
    {
        var requires = string.Join(", ", libraries.Select(l => $"[\"{l}\"] = require(\"{l}\")"));
        var controller = $$"""
            local libs = { {{requires}} }
            local M = {}
            function M.run(ctx, input)
              local text = acf.fs.read("/etc/probe/in") or ""
              local env = setmetatable({ text = text }, { __index = function(_, k) return libs[k] or _G[k] end })
              local model, result = assert(load(input.code, "=edit", "t", env))()
              acf.fs.write("/etc/probe/out", model:text())
              return { type = "longtext", value = result ~= nil and tostring(result) or "" }
            end
            return M
            """;
        using var host = new ModuleTestHost();
        host.AddModule("probe", Manifest, ("model", controller));
        foreach (var owner in OwnersOf(libraries)) host.CopyLibrariesOf(owner, "probe");
        var path = host.RootPath("/etc/probe/in");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, input);

        var form = await host.RunOkAsync(ModuleTestHost.Guest, "probe", "model", "run",
            new ModuleInput(new Dictionary<string, IReadOnlyList<string>> { ["code"] = [code] }));

        return new Outcome(form.Text ?? "", File.ReadAllBytes(host.RootPath("/etc/probe/out")));
    }

    /// <summary>The modules whose private <c>lib/</c> holds one of the libraries (the probe gets their whole lib/, as a
    /// private library may require its neighbours).</summary>
    private static IEnumerable<string> OwnersOf(IEnumerable<string> libraries)
    {
        var modules = Path.Combine(ModuleTestHost.RepositoryRoot, "modules-lua");
        return libraries
            .SelectMany(l => Directory.GetDirectories(modules).Where(d => File.Exists(Path.Combine(d, "lib", l + ".lua"))))
            .Select(Path.GetFileName).OfType<string>().Distinct();
    }
}
