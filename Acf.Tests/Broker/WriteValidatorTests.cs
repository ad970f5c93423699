using Acf.Broker;
using Acf.Modules;
using Acf.Tests.Modules;

namespace Acf.Tests.Broker;

/// <summary>A write that names a validator replaces the file only when the validator accepts the new content.</summary>
public class WriteValidatorTests
{
    private const string Manifest = """
        { "title": "Validated", "roles": { "ADMIN": [ "ctl/save" ] },
          "capabilities": { "write": [ "/etc/app.conf" ], "exec": [ [ "grep", "-q", "^valid$", "{file}" ] ] } }
        """;

    private const string Controller = """
        local M = {}
        function M.save(ctx, input)
          local changed, err = acf.fs.write("/etc/app.conf", input.text, nil, { validate = { "grep", "-q", "^valid$", "{file}" } })
          return { type = "text", value = changed == nil and ("refused: " .. err) or "saved" }
        end
        return M
        """;

    private static ModuleTestHost Host(bool grepRunsOnDemo)
    {
        var host = new ModuleTestHost(system: new SystemOptions { Mode = "demo", DemoReadOnlyCommands = grepRunsOnDemo ? [["grep"]] : [] });
        host.AddModule("validated", Manifest, ("ctl", Controller));
        host.WriteRootFile("/etc/app.conf", "valid\n");
        return host;
    }

    [Fact]
    public async Task Write_ValidatorRefuses_FileUnchangedAndMessageShown()
    {
        using var host = Host(grepRunsOnDemo: true);

        var result = await host.RunAsync(ModuleTestHost.Admin, "validated", "ctl", "save", ModuleTestHost.Submit("Save", ("text", "broken\n")));

        Assert.StartsWith("refused: grep refused the new content", result.Entity!.Text);
        Assert.Equal("valid\n", host.ReadRootFile("/etc/app.conf"));
        Assert.Empty(Directory.GetFiles(Path.Combine(host.Root, "etc"), "*.tmp"));
    }

    [Fact]
    public async Task Write_ValidatorRefuses_AuditedAsRefusedWithValidatorOutcome()
    {
        using var host = Host(grepRunsOnDemo: true);

        await host.RunAsync(ModuleTestHost.Admin, "validated", "ctl", "save", ModuleTestHost.Submit("Save", ("text", "broken\n")));

        var entry = Assert.Single(host.Audit.ReadAll(), e => e.Action == "write-refused");
        Assert.Equal(("/etc/app.conf", "ctl/save", "status 1"), (entry.Target, entry.Request, entry.Result!.Validator));
        Assert.StartsWith("grep refused the new content", entry.Result.Refused);
        var file = Assert.Single(entry.Files!);
        Assert.Equal(file.Before, file.After);
    }

    [Fact]
    public async Task Write_ValidatorAccepts_FileReplaced()
    {
        using var host = Host(grepRunsOnDemo: true);

        var result = await host.RunAsync(ModuleTestHost.Admin, "validated", "ctl", "save", ModuleTestHost.Submit("Save", ("text", "# new\nvalid\n")));

        Assert.Equal("saved", result.Entity!.Text);
        Assert.Equal("# new\nvalid\n", host.ReadRootFile("/etc/app.conf"));
    }

    [Fact]
    public async Task Write_ValidatorNotReadOnlyOnDemo_IsSimulatedAndAudited()
    {
        using var host = Host(grepRunsOnDemo: false);

        var result = await host.RunAsync(ModuleTestHost.Admin, "validated", "ctl", "save", ModuleTestHost.Submit("Save", ("text", "broken\n")));

        Assert.Equal("saved", result.Entity!.Text);
        Assert.Contains(host.Audit.ReadAll(), e => e.Action == "validate-simulated");
    }
}
