namespace Acf.Tests.Modules;

/// <summary>Issue 20: a slow save names the step it is in (acf.progress), for the page's busy state.</summary>
public class ModuleProgressTests
{
    [Fact]
    public async Task RunAsync_ModuleNamesItsSteps_CallerHearsEachInOrderCleanedAndCut()
    {
        using var host = new ModuleTestHost();
        host.AddModule("mod", """{ "title": "Progress probe", "roles": { "GUEST": [ "ctl/run" ] } }""", ("ctl", """
            local M = {}
            function M.run(ctx)
              acf.progress("Checking\tsquid.conf")
              acf.progress(("x"):rep(500))
              return { type = "text", value = "done" }
            end
            return M
            """));
        var steps = new List<string>();

        var result = await host.Runner.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run", ModuleInput.Empty, progress: steps.Add);

        Assert.Equal(RunStatus.Ok, result.Status);
        Assert.Equal(["Checking squid.conf", new string('x', 200)], steps);
    }

    [Fact]
    public async Task SquidAccessSave_NamesTheCheckBeforeWriting()
    {
        using var host = ModuleTestHost.Demo(new Acf.Broker.SystemOptions { Mode = "demo", DemoReadOnlyCommands = [["squid", "-k", "parse", "-f"]] });
        var steps = new List<string>();
        var form = (await host.RunAsync(ModuleTestHost.Admin, "squid", "acl", "access")).Entity!;
        var rules = form.Find("rules")!.Rows;
        var input = new ModuleInput(new Dictionary<string, IReadOnlyList<string>>
        {
            ["rules.#"] = [rules.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            ["rules.action"] = rules.Select(r => r["action"]).Reverse().ToList(),
            ["rules.acls"] = rules.Select(r => r["acls"]).Reverse().ToList(),
            ["tag"] = [form.Find("tag")!.Text ?? ""],
        }, "Save");

        var result = await host.Runner.RunAsync(ModuleTestHost.Admin, "squid", "acl", "access", input, progress: steps.Add);

        Assert.Equal(RunStatus.Ok, result.Status);
        Assert.Equal(["Checking squid.conf (squid -k parse)"], steps);
    }
}
