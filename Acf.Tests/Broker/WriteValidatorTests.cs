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

    /// <summary>The module saves <paramref name="text"/> as /etc/app.conf, checked by its validator.</summary>
    private static Task<RunResult> SaveAsync(ModuleTestHost host, string text) =>
        host.RunAsync(ModuleTestHost.Admin, "validated", "ctl", "save", ModuleTestHost.Submit("Save", ("text", text)));

    /// <summary>The controller answers "saved" or "refused: " and the broker's message.</summary>
    [Theory]
    [InlineData("broken\n", "refused: grep refused the new content", "valid\n")] // was Write_ValidatorRefuses_FileUnchangedAndMessageShown
    [InlineData("# new\nvalid\n", "saved", "# new\nvalid\n")] // was Write_ValidatorAccepts_FileReplaced
    public async Task Write_Validator_FileReplacedOnlyWhenItAccepts(string text, string answer, string fileAfter)
    {
        using var host = Host(grepRunsOnDemo: true);

        var result = await SaveAsync(host, text);

        Assert.StartsWith(answer, result.Entity!.Text);
        Assert.Equal(fileAfter, host.ReadRootFile("/etc/app.conf"));
        Assert.Empty(Directory.GetFiles(Path.Combine(host.Root, "etc"), "*.tmp"));
    }

    [Fact]
    public async Task Write_ValidatorRefuses_AuditedAsRefusedWithValidatorOutcome()
    {
        using var host = Host(grepRunsOnDemo: true);

        await SaveAsync(host, "broken\n");

        var entry = Assert.Single(host.Audit.ReadAll(), e => e.Action == "write-refused");
        Assert.Equal(("/etc/app.conf", "ctl/save", "status 1"), (entry.Target, entry.Request, entry.Result!.Validator));
        Assert.StartsWith("grep refused the new content", entry.Result.Refused);
        var file = Assert.Single(entry.Files!);
        Assert.Equal(file.Before, file.After);
    }

    [Fact]
    public async Task Write_ValidatorNotReadOnlyOnDemo_IsSimulatedAndAudited()
    {
        using var host = Host(grepRunsOnDemo: false);

        var result = await SaveAsync(host, "broken\n");

        Assert.Equal("saved", result.Entity!.Text);
        Assert.Contains(host.Audit.ReadAll(), e => e.Action == "validate-simulated");
    }

    private const string ConfinedManifest = """
        { "title": "Confined", "roles": { "ADMIN": [ "ctl/save" ] },
          "capabilities": { "read": [ "/etc/app.d/" ], "write": [ "/etc/app.conf" ],
                            "exec": [ [ "grep", "-q", "needle" ], [ "squid", "-k", "parse", "-f" ] ] } }
        """;

    /// <summary>Saves <c>input.text</c> with the validator <c>input.argv</c> (words split on spaces).</summary>
    private const string ConfinedController = """
        local M = {}
        function M.save(ctx, input)
          local argv = {}
          for word in input.argv:gmatch("%S+") do argv[#argv + 1] = word end
          local changed, err = acf.fs.write("/etc/app.conf", input.text, nil, { validate = argv })
          return { type = "text", value = changed == nil and ("refused: " .. err) or "saved" }
        end
        return M
        """;

    private static ModuleTestHost ConfinedHost()
    {
        var host = new ModuleTestHost(system: new SystemOptions { Mode = "demo", DemoReadOnlyCommands = [["grep"], ["squid", "-k", "parse", "-f"]] });
        host.AddModule("confined", ConfinedManifest, ("ctl", ConfinedController));
        host.WriteRootFile("/etc/app.conf", "old\n");
        host.WriteRootFile("/etc/app.d/extra.conf", "needle\n");
        return host;
    }

    private static Task<string?> SaveAsync(ModuleTestHost host, string text, string argv) =>
        host.RunAsync(ModuleTestHost.Admin, "confined", "ctl", "save", ModuleTestHost.Submit("Save", ("text", text), ("argv", argv)))
            .ContinueWith(t => t.Result.Entity?.Text);

    /// <summary>Runs <paramref name="test"/> on a host of <see cref="ConfinedHost"/> with the path of a file of this
    /// machine, outside every path of the module, that holds <paramref name="content"/>; the file is removed after.</summary>
    private static async Task WithSecretFileAsync(string content, Func<ModuleTestHost, string, Task> test)
    {
        var secret = Path.Combine(Path.GetTempPath(), $"acf-secret-{Guid.NewGuid():N}");
        File.WriteAllText(secret, content);
        try
        {
            using var host = ConfinedHost();
            await test(host, secret);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public async Task Validator_FileOutsideTheModulesPaths_IsNotThereForIt()
    {
        // A file of the machine the module may not read: unconfined, grep finds the needle in it and the save passes.
        await WithSecretFileAsync("needle\n", async (host, secret) =>
        {
            var text = await SaveAsync(host, "hay\n", $"grep -q needle {{file}} {secret}");

            Assert.StartsWith("refused: grep refused the new content", text);
            Assert.Equal("old\n", host.ReadRootFile("/etc/app.conf"));
        });
    }

    [Fact]
    public async Task Validator_ModulesDeclaredFolder_SeenAtItsPathInTheDemoRoot()
    {
        using var host = ConfinedHost();

        var text = await SaveAsync(host, "hay\n", "grep -q needle {file} /etc/app.d/extra.conf");

        Assert.Equal("saved", text);
        Assert.Equal("hay\n", host.ReadRootFile("/etc/app.conf"));
    }

    /// <summary>
    /// Issue 18, found on real FRR in the lab: Debian keeps /etc/frr as frr:frr 0750, and the confined validator (root
    /// with every capability dropped, or root of a new user namespace) could not enter such a folder, so `vtysh -C -f`
    /// never read the candidate and every dmvpn save was refused. A declared folder only its daemon's user may enter
    /// is now read by the validator (the broker runs as root on a box, and in CI).
    /// </summary>
    [Fact]
    public async Task Validator_DeclaredFolderOnlyItsDaemonsUserMayEnter_IsReadByTheValidator()
    {
        Assert.True(Environment.IsPrivilegedProcess, "the broker runs as root on a box; this test needs root to chown");
        using var host = ConfinedHost();
        var folder = Path.Combine(host.Root, "etc", "app.d");
        File.SetUnixFileMode(Path.Combine(folder, "extra.conf"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        // Owned by a daemon's user and group (nobody's here), as Debian's frr package leaves /etc/frr.
        Assert.Equal(0, new CommandRunner().Run(["chown", "-R", "65534:65534", folder], null, TimeSpan.FromMinutes(1), 4096).Status);

        var text = await SaveAsync(host, "hay\n", "grep -q needle {file} /etc/app.d/extra.conf");

        Assert.Equal("saved", text);
    }

    [Fact]
    public async Task Validator_CandidateFoundAtItsCanonicalPath()
    {
        using var host = ConfinedHost();

        Assert.Equal("saved", await SaveAsync(host, "needle\n", "grep -q needle {file}"));
        Assert.StartsWith("refused:", await SaveAsync(host, "hay\n", "grep -q needle {file}"));
        Assert.Empty(Directory.GetFiles(Path.Combine(host.Root, "etc"), "*.tmp"));
    }

    [Fact]
    public async Task Squid_IncludeOfAFileOutsideItsFolder_NeverPrintsThatFile()
    {
        // Issue 16: "include /etc/shadow" made squid -k parse print every line of the machine's shadow into the page.
        await WithSecretFileAsync("root:SECRET-HASH-LINE:20000:0:99999:7:::\n", async (host, secret) =>
        {
            var text = await SaveAsync(host, $"http_port 3128\ninclude {secret}\n", "squid -k parse -f {file}");

            Assert.StartsWith("refused: squid refused the new content", text);
            Assert.DoesNotContain("SECRET-HASH-LINE", text);
            Assert.DoesNotContain(host.Audit.ReadAll(), e => (e.Result?.Refused ?? "").Contains("SECRET-HASH-LINE"));
            Assert.Equal("old\n", host.ReadRootFile("/etc/app.conf"));
        });
    }
}
