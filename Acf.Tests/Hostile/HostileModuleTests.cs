using Xunit.Abstractions;

namespace Acf.Tests.Hostile;

/// <summary>
/// The hostile module corpus: every <c>Acf.Tests/Hostile/modules/*.lua</c> is the controller of a module that tries
/// to escape the sandbox or its capabilities. Each must end in a Lua error naming the refusal (its <c>-- expect:</c>
/// line, alternatives split by '|'), leave the system root byte for byte as it was, and leave the runner serving the
/// next action. Cases marked <c>-- needs: worker</c> run away inside one C call, which only a killable worker process
/// stops: the runner runs every action in one (Acf.Modules.Isolation.ModuleWorkerPool). Sandbox cases
/// that LuaSandboxTests already covers (dangerous globals, load of binary and reader chunks, xpcall, memory bombs,
/// __gc, the quantifier guard) stay there.
/// </summary>
public sealed class HostileModuleTests(ITestOutputHelper output)
{
    private const string Manifest = """
        { "title": "Hostile", "roles": { "ADMIN": [ "evil/run", "ok/run" ] },
          "capabilities": { "read": [ "/etc/app/", "/etc/hostname" ], "write": [ "/etc/app/", "/etc/hostname" ],
                            "exec": [ [ "hostname", "-F", "/etc/hostname" ] ] } }
        """;

    private const string Normal = """
        local M = {}
        function M.run() return { type = "text", value = acf.fs.read("/etc/hostname") } end
        return M
        """;

    public static string Folder => Path.Combine(ModuleTestHost.RepositoryRoot, "Acf.Tests", "Hostile", "modules");

    public static TheoryData<string> Cases() => ModuleFixtureFiles.NamesIn(Folder, "*.lua");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Run_HostileModule_RefusedNothingChangedStillServing(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, name + ".lua"));
        var expected = HostileCase.Header(lines, "expect").SelectMany(e => e.Split('|')).Select(e => e.Trim()).ToList();
        Assert.NotEmpty(expected);
        using var host = new ModuleTestHost(new ModulesOptions { WallTimeSeconds = 5, InstructionLimit = 20_000_000, MemoryLimitBytes = 64L << 20 });
        host.WriteRootFile("/etc/hostname", "box\n");
        host.WriteRootFile("/etc/shadow", "root:secret:::::::\n");
        host.WriteRootFile("/etc/app/app.conf", "key = value\n");
        foreach (var setup in HostileCase.Header(lines, "setup"))
        {
            var words = setup.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("symlink", words[0]);
            File.CreateSymbolicLink(host.RootPath(words[1]), words[2]); // an absolute target: outside the root's view
        }
        host.AddModule("hostile", Manifest, ("evil", string.Join('\n', lines)), ("ok", Normal));
        var before = HostileCase.Snapshot(host.Root);

        var result = await HostileCase.Bounded(host.RunAsync(ModuleTestHost.Admin, "hostile", "evil", "run"), name);

        output.WriteLine($"{name}: {result.Status} {result.Error}");
        Assert.NotEqual(RunStatus.Ok, result.Status);
        Assert.NotNull(result.Error);
        Assert.True(expected.Any(e => result.Error.Contains(e, StringComparison.OrdinalIgnoreCase)),
            $"'{result.Error}' names none of: {string.Join(" | ", expected)}");
        Assert.Equal(before, HostileCase.Snapshot(host.Root));
        var next = await HostileCase.Bounded(host.RunAsync(ModuleTestHost.Admin,
            "hostile", "ok", "run"), name + " (the next action)");
        Assert.True(next.Status == RunStatus.Ok, $"the next action: {next.Status} {next.Error}");
        Assert.Equal("box\n", next.Entity!.Text);
    }
}
