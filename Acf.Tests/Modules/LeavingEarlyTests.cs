namespace Acf.Tests.Modules;

/// <summary>
/// Issue 20: an admin who leaves a page while its save still runs and opens it again got the file as it was before
/// that save, so the next save failed on a conflict with their own. A read now waits for the same user's save in
/// the module to end.
/// </summary>
public class LeavingEarlyTests
{
    private const string Manifest = """
        { "title": "Slow", "roles": { "ADMIN": [ "slow/save", "slow/read" ] },
          "capabilities": { "read": [ "/etc/flag" ], "write": [ "/etc/slow.conf" ] } }
        """;

    // The save waits for the test's flag before it writes: a slow check or restart, under the test's control.
    private const string Controller = """
        local M = {}
        function M.save(ctx, input)
          while not acf.fs.read("/etc/flag") do end
          acf.fs.write("/etc/slow.conf", "new\n")
          return { type = "form", submitted = true, value = {} }
        end
        function M.read(ctx, input)
          local text = acf.fs.read("/etc/slow.conf")
          return { type = "form", value = { text = { type = "text", value = text } } }
        end
        return M
        """;

    [Fact]
    public async Task Read_WhileTheSameUsersSaveRuns_SeesWhatTheSaveWrote()
    {
        using var host = new ModuleTestHost();
        host.WriteRootFile("/etc/slow.conf", "old\n");
        host.AddModule("slow", Manifest, ("slow", Controller));
        var save = host.RunAsync(ModuleTestHost.Admin, "slow", "slow", "save", ModuleTestHost.Submit("Save"));
        while (!host.Runner.IsSaving(ModuleTestHost.Admin.Name, "slow") && !save.IsCompleted) await Task.Delay(10);

        var read = host.RunAsync(ModuleTestHost.Admin, "slow", "slow", "read");
        // Give a read that does not wait the time to finish before the save writes (the defect); one that waits does not.
        await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(2)));
        host.WriteRootFile("/etc/flag", "go\n");

        Assert.True((await save).Entity!.Succeeded);
        Assert.Equal("new\n", (await read).Entity!.Find("text")!.Text);
        Assert.False(host.Runner.IsSaving(ModuleTestHost.Admin.Name, "slow"));
    }
}
