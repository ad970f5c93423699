using System.Diagnostics;
using Acf.Modules;
using Acf.Modules.System;
using Xunit.Abstractions;

namespace Acf.Tests.Modules;

public class ScratchProbeTests(ITestOutputHelper output)
{
    private const string Manifest = """
        { "title": "p", "roles": { "GUEST": [ "ctl/run" ] },
          "capabilities": { "read": [ "/etc/probe" ], "exec": [ [ "cat" ], [ "true" ] ] } }
        """;

    [Theory]
    [InlineData("acf.fs.read(nil)")]
    [InlineData("acf.exec({1,2})")]
    [InlineData("acf.fs.read('/etc/shadow')")]
    [InlineData("require('nope')")]
    [InlineData("string.rep('x', 2^40)")]
    [InlineData("local t = setmetatable({}, {__index = function(t, k) return t[k] end}) return t.x")]
    [InlineData("local s = string.rep('x', 2^30)")]
    public async Task Probe_Errors(string body)
    {
        using var host = new ModuleTestHost(new ModulesOptions { InstructionLimit = 1_000_000, WallTimeSeconds = 5, MemoryLimitBytes = 16 << 20 });
        host.AddModule("mod", Manifest, ("ctl", $$"""
            local M = {}
            function M.run()
              {{body}}
              return { type = "text" }
            end
            return M
            """));
        var result = await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run");
        output.WriteLine($"{result.Status}: {result.Error}");
    }

    [Fact]
    public async Task Probe_DemoCat()
    {
        using var host = new ModuleTestHost(system: new SystemOptions { Mode = "demo", DemoReadOnlyCommands = [["cat"]] });
        host.AddModule("mod", Manifest, ("ctl", "return {run=function() return {type='text'} end}"));
        host.WriteRootFile("/etc/hostname", "root-copy\n");
        var caller = new BrokerCaller("u", "mod");
        foreach (var arg in new[] { "/etc/hostname", "/etc/../etc/hostname", "//etc/hostname", "../../../../../../../etc/hostname", "/proc/self/root/etc/hostname" })
        {
            var r = host.ReadyBroker.Exec(caller, new ExecRequest(["cat", arg]));
            output.WriteLine($"{arg}: {r.Ok} {r.Error} status={r.Value?.Status} out={r.Value?.Stdout.Trim()} err={r.Value?.Stderr.Trim()}");
        }
        output.WriteLine("host: " + File.ReadAllText("/etc/hostname").Trim() + " cwd=" + Environment.CurrentDirectory);
    }

    [Fact]
    public async Task Probe_PolynomialPattern()
    {
        using var host = new ModuleTestHost(new ModulesOptions { InstructionLimit = 1_000_000, WallTimeSeconds = 1 });
        host.AddModule("mod", Manifest, ("ctl", """
            local M = {}
            function M.run()
              local r = ("a"):rep(400):find(".-.-.-.-b")
              return { type = "text", value = tostring(r) }
            end
            return M
            """));
        var clock = Stopwatch.StartNew();
        var result = await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run");
        output.WriteLine($"{clock.Elapsed} {result.Status}: {result.Error}");
    }
}
