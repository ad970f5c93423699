namespace Acf.Tests.Modules;

public class HostnameModuleTests
{
    /// <summary>A host with the real modules whose /etc/hostname holds <paramref name="name"/>.</summary>
    private static ModuleTestHost HostNamed(string name)
    {
        var host = new ModuleTestHost(copyRealModules: true);
        host.WriteRootFile("/etc/hostname", name + "\n");
        return host;
    }

    public static TheoryData<string, string> BadNames => new()
    {
        { "-bad", "cannot start or end with '-'" },
        { "bad-", "cannot start or end with '-'" },
        { new string('a', 64), "1 to 63 characters" },
        { "a_b", "only letters, digits and '-'" },
        { "a b", "only letters, digits and '-'" },
        { "a.b", "only letters, digits and '-'" },
        { "a\nb", "Line breaks" },
        { "", "1 to 63 characters" },
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task Edit_BadName_RefusedOnFieldAndFileUnchanged(string name, string message)
    {
        using var host = HostNamed("old-name");

        var result = await host.RunAsync(ModuleTestHost.Editor, "alpine-baselayout", "hostname", "edit",
            ModuleTestHost.Submit("Save", ("hostname", name)));

        Assert.Equal(RunStatus.Ok, result.Status);
        var form = result.Entity!;
        Assert.False(form.Succeeded);
        Assert.NotNull(form.Errtxt);
        Assert.Contains(message, form.Find("hostname")!.Errtxt);
        Assert.Equal("old-name\n", host.ReadRootFile("/etc/hostname"));
        Assert.Empty(host.Audit.ReadAll());
    }

    [Fact]
    public async Task Edit_SixtyThreeCharacters_Accepted()
    {
        using var host = HostNamed("old-name");
        var name = "A1-" + new string('b', 60);

        var result = await host.RunAsync(ModuleTestHost.Editor, "alpine-baselayout", "hostname", "edit",
            ModuleTestHost.Submit("Save", ("hostname", name)));

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt ?? result.Entity.Find("hostname")!.Errtxt);
        Assert.Equal(name + "\n", host.ReadRootFile("/etc/hostname"));
    }

    [Fact]
    public async Task Edit_NoSubmit_ShowsCurrentNameAndTag()
    {
        using var host = new ModuleTestHost(copyRealModules: true);
        host.WriteRootFile("/etc/hostname", "  old-name \n");

        var result = await host.RunAsync(ModuleTestHost.Editor, "alpine-baselayout", "hostname", "edit");

        Assert.Equal(RunStatus.Ok, result.Status);
        Assert.False(result.Entity!.Submitted);
        Assert.Equal("old-name", result.Entity.Find("hostname")!.Text);
        Assert.Equal(CfeTypes.Hidden, result.Entity.Find("tag")!.Type);
        Assert.Matches("^[0-9a-f]{32}$", result.Entity.Find("tag")!.Text);
        Assert.Equal([new CfeOption("Save", "Save")], result.Entity.Options);
    }

    [Fact]
    public async Task Edit_StaleTag_RefusedWithConflictAndOutOfBandContentKept()
    {
        using var host = HostNamed("old-name");
        var page = await host.RunAsync(ModuleTestHost.Editor, "alpine-baselayout", "hostname", "edit");
        var tag = page.Entity!.Find("tag")!.Text!;
        host.WriteRootFile("/etc/hostname", "changed-elsewhere\n");

        var result = await host.RunAsync(ModuleTestHost.Editor, "alpine-baselayout", "hostname", "edit",
            ModuleTestHost.Submit("Save", ("hostname", "new-box"), ("tag", tag)));

        Assert.Equal(RunStatus.Ok, result.Status);
        Assert.False(result.Entity!.Succeeded);
        Assert.Contains("changed since it was read", result.Entity.Errtxt);
        Assert.Equal("changed-elsewhere\n", host.ReadRootFile("/etc/hostname"));
        Assert.Empty(host.Audit.ReadAll());
    }

    [Fact]
    public async Task Edit_CurrentTag_SavesAndReturnsNewTag()
    {
        using var host = HostNamed("old-name");
        var page = await host.RunAsync(ModuleTestHost.Editor, "alpine-baselayout", "hostname", "edit");
        var tag = page.Entity!.Find("tag")!.Text!;

        var result = await host.RunAsync(ModuleTestHost.Editor, "alpine-baselayout", "hostname", "edit",
            ModuleTestHost.Submit("Save", ("hostname", "new-box"), ("tag", tag)));

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        Assert.Equal("Hostname set to new-box", result.Entity.Descr);
        Assert.NotEqual(tag, result.Entity.Find("tag")!.Text);
        Assert.Equal("new-box\n", host.ReadRootFile("/etc/hostname"));
    }

    [Fact]
    public async Task Edit_Saved_WriteAuditedAndHostnameCommandSimulated()
    {
        using var host = HostNamed("old-name");

        await host.RunAsync(ModuleTestHost.Editor, "alpine-baselayout", "hostname", "edit",
            ModuleTestHost.Submit("Save", ("hostname", "new-box")));

        var entries = host.Audit.ReadAll();
        Assert.Equal(2, entries.Count);
        Assert.Equal(("write", "/etc/hostname", "editor"), (entries[0].Action, entries[0].Target, entries[0].User));
        Assert.Equal(("exec-simulated", "hostname -F /etc/hostname"), (entries[1].Action, entries[1].Target));
    }

    [Fact]
    public async Task Read_Guest_ShowsTrimmedName()
    {
        using var host = HostNamed("old-name");

        var result = await host.RunAsync(ModuleTestHost.Guest, "alpine-baselayout", "hostname", "read");

        Assert.Equal(RunStatus.Ok, result.Status);
        Assert.Equal("old-name", result.Entity!.Text);
    }

    [Fact]
    public async Task Read_MissingFile_ErrtxtNotFailure()
    {
        using var host = new ModuleTestHost(copyRealModules: true);

        var result = await host.RunAsync(ModuleTestHost.Guest, "alpine-baselayout", "hostname", "read");

        Assert.Equal(RunStatus.Ok, result.Status);
        Assert.Equal("", result.Entity!.Text);
        Assert.Equal("/etc/hostname does not exist.", result.Entity.Errtxt);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Edit_Guest_Forbidden(bool submit)
    {
        using var host = HostNamed("old-name");
        var input = submit ? ModuleTestHost.Submit("Save", ("hostname", "guest-box")) : null;

        var result = await host.RunAsync(ModuleTestHost.Guest, "alpine-baselayout", "hostname", "edit", input);

        Assert.Equal(RunStatus.Forbidden, result.Status);
        Assert.Null(result.Entity);
        Assert.Equal("old-name\n", host.ReadRootFile("/etc/hostname"));
    }

    [Fact]
    public async Task Edit_User_ForbiddenButEditorAllowed()
    {
        using var host = HostNamed("old-name");

        var user = await host.RunAsync(ModuleTestHost.User, "alpine-baselayout", "hostname", "edit");
        var editor = await host.RunAsync(ModuleTestHost.Editor, "alpine-baselayout", "hostname", "edit");

        Assert.Equal(RunStatus.Forbidden, user.Status);
        Assert.Equal(RunStatus.Ok, editor.Status);
    }
}
