namespace Acf.Tests.Modules;

/// <summary>The services, lbu, logs and expert pages over a copy of the demo tree, through the runner as a user would.</summary>
public class CoreModulesTests
{

    private static bool Started(ModuleTestHost host, string service) =>
        new FileInfo(Path.Combine(host.Root, "run", "openrc", "started", service)).LinkTarget is not null;

    [Fact]
    public async Task RcControl_StopThenStart_ChangesOpenRcState()
    {
        // crond, not sshd: stopping sshd is guarded (issue 20), so a Start while that Stop waits for Keep is refused.
        using var host = ModuleTestHost.Demo();

        var stop = await host.RunAsync(ModuleTestHost.Admin, "alpine-baselayout", "rc", "control",
            ModuleTestHost.Submit("Stop", ("service", "crond")));
        var stoppedOnDisk = Started(host, "crond");
        var start = await host.RunAsync(ModuleTestHost.Admin, "alpine-baselayout", "rc", "control",
            ModuleTestHost.Submit("Start", ("service", "crond")));

        Assert.True(stop.Entity!.Succeeded, stop.Entity.Errtxt);
        Assert.False(stoppedOnDisk);
        Assert.True(start.Entity!.Succeeded, start.Entity.Errtxt);
        Assert.True(Started(host, "crond"));
        Assert.Equal("started", start.Entity.Find("status")!.Text);
    }

    [Fact]
    public async Task RcEdit_AddToDefault_CreatesRunlevelLink()
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(ModuleTestHost.Admin, "alpine-baselayout", "rc", "edit",
            ModuleTestHost.SubmitMany("Save", ("service", ["squid"]), ("runlevels", ["default"])));

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        Assert.Equal("/etc/init.d/squid", new FileInfo(Path.Combine(host.Root, "etc", "runlevels", "default", "squid")).LinkTarget);
    }

    [Fact]
    public async Task RcControl_User_Forbidden()
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(new AcfPrincipal("u", ["USER"]), "alpine-baselayout", "rc", "control",
            ModuleTestHost.Submit("Stop", ("service", "sshd")));

        Assert.Equal(RunStatus.Forbidden, result.Status);
        Assert.True(Started(host, "sshd"));
    }

    [Fact]
    public async Task LbuStatus_AfterAnEdit_ListsItAndCommitClearsIt()
    {
        using var host = ModuleTestHost.Demo();
        var initial = await host.RunAsync(ModuleTestHost.Admin, "alpine-conf", "lbu", "status");
        host.WriteRootFile("/etc/hosts", host.ReadRootFile("/etc/hosts") + "192.0.2.7	nas\n");

        var status = await host.RunAsync(ModuleTestHost.Admin, "alpine-conf", "lbu", "status");
        var commit = await host.RunAsync(ModuleTestHost.Admin, "alpine-conf", "lbu", "commit", ModuleTestHost.Submit("Commit"));
        var after = await host.RunAsync(ModuleTestHost.Admin, "alpine-conf", "lbu", "status");

        Assert.Empty(initial.Entity!.Rows); // the demo ships committed
        // /etc/hosts belongs to alpine-baselayout: unchanged it is not in the archive, so an edit makes it "added", as lbu says
        Assert.Equal(("added", "/etc/hosts"), status.Entity!.Rows.Select(r => (r["change"], r["path"])).Single());
        Assert.True(commit.Entity!.Succeeded, commit.Entity.Errtxt + commit.Entity.Find("output")?.Text);
        Assert.Empty(after.Entity!.Rows);
        var backups = Directory.GetFiles(Path.Combine(host.Root, "var", "lib", "lbu")).Select(Path.GetFileName).ToList();
        Assert.Contains("alpine-demo.apkovl.tar.gz", backups);
    }

    /// <summary>Issue 20's lbu trap through the page: after a host name change the commit is refused with the
    /// reason and the safe way out; ticking "Keep the old archive" keeps it as a dated backup and commits.</summary>
    [Fact]
    public async Task LbuCommit_AfterAHostnameChange_ExplainsThenKeepsTheOldArchiveAsABackup()
    {
        using var host = ModuleTestHost.Demo();
        var folder = Path.Combine(host.Root, "var", "lib", "lbu");
        var old = File.ReadAllBytes(Path.Combine(folder, "alpine-demo.apkovl.tar.gz"));
        host.WriteRootFile("/etc/hostname", "gateway\n");

        var refused = await host.RunAsync(ModuleTestHost.Admin, "alpine-conf", "lbu", "commit", ModuleTestHost.Submit("Commit"));
        var kept = await host.RunAsync(ModuleTestHost.Admin, "alpine-conf", "lbu", "commit", ModuleTestHost.Submit("Commit", ("keep_old", "true")));

        Assert.False(refused.Entity!.Succeeded);
        Assert.Contains("another name", refused.Entity.Errtxt);
        Assert.NotNull(refused.Entity.Find("keep_old")!.Errtxt);
        Assert.True(kept.Entity!.Succeeded, kept.Entity.Errtxt + kept.Entity.Find("output")?.Text);
        var files = Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal("gateway.apkovl.tar.gz", files[^1]);
        var backup = Assert.Single(files, f => f!.StartsWith("alpine-demo.", StringComparison.Ordinal));
        Assert.Matches(@"^alpine-demo\.\d{14}\.tar\.gz$", backup);
        Assert.Equal(old, File.ReadAllBytes(Path.Combine(folder, backup!)));
    }

    [Fact]
    public async Task LbuConfig_UnchangedSave_WritesSameBytes()
    {
        using var host = ModuleTestHost.Demo();
        var before = host.Keep("/etc/lbu/lbu.conf");
        var form = (await host.RunAsync(ModuleTestHost.Admin, "alpine-conf", "lbu", "config")).Entity!;
        var values = form.Children.Where(c => !c.Readonly && c.Type != "boolean")
            .Select(c => (c.Name, c.Text ?? "")).ToList();
        if (form.Find("encryption")!.Checked) values.Add(("encryption", "true"));

        var result = await host.RunAsync(ModuleTestHost.Admin, "alpine-conf", "lbu", "config",
            ModuleTestHost.Submit("Save", values.ToArray()));

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        before.AssertUnchanged();
    }

    [Fact]
    public async Task LbuConfig_NewBackupLimit_ChangesOnlyThatLine()
    {
        using var host = ModuleTestHost.Demo();
        var before = host.ReadRootFile("/etc/lbu/lbu.conf").Split('\n');
        var form = (await host.RunAsync(ModuleTestHost.Admin, "alpine-conf", "lbu", "config")).Entity!;
        var values = form.Children.Where(c => !c.Readonly && c.Type != "boolean").Select(c => (c.Name, c.Text ?? "")).ToList();
        values.RemoveAll(v => v.Name == "backup_limit");
        values.Add(("backup_limit", "7"));

        await host.RunAsync(ModuleTestHost.Admin, "alpine-conf", "lbu", "config", ModuleTestHost.Submit("Save", values.ToArray()));

        var after = host.ReadRootFile("/etc/lbu/lbu.conf").Split('\n');
        Assert.Equal(before.Length, after.Length);
        var changed = before.Zip(after).Where(p => p.First != p.Second).ToList();
        Assert.Equal(("BACKUP_LIMIT=3", "BACKUP_LIMIT=7"), Assert.Single(changed));
    }

    [Fact]
    public async Task Expert_ShowChanges_WritesNothingAndSaveWrites()
    {
        using var host = ModuleTestHost.Demo();
        var form = (await host.RunAsync(ModuleTestHost.Admin, "alpine-baselayout", "expert", "edit",
            new Acf.Modules.Cfe.ModuleInput(new Dictionary<string, IReadOnlyList<string>> { ["file"] = ["/etc/hosts"] }))).Entity!;
        var edited = form.Find("content")!.Text + "192.0.2.1\tprinter\n";
        (string, string)[] submit = [("file", "/etc/hosts"), ("path", "/etc/hosts"), ("content", edited), ("tag", form.Find("tag")!.Text!)];

        var preview = await host.RunAsync(ModuleTestHost.Admin, "alpine-baselayout", "expert", "edit", ModuleTestHost.Submit("Show changes", submit));
        var unchanged = host.ReadRootFile("/etc/hosts");
        var save = await host.RunAsync(ModuleTestHost.Admin, "alpine-baselayout", "expert", "edit", ModuleTestHost.Submit("Save", submit));

        Assert.Contains("+192.0.2.1\tprinter", preview.Entity!.Find("changes")!.Text);
        Assert.DoesNotContain("printer", unchanged);
        Assert.True(save.Entity!.Succeeded, save.Entity.Errtxt);
        Assert.Equal(edited, host.ReadRootFile("/etc/hosts"));
    }

    [Fact]
    public async Task Expert_ContentOfAnotherFile_IsNeverSavedIntoTheChosenOne()
    {
        using var host = ModuleTestHost.Demo();
        var hosts = host.ReadRootFile("/etc/hosts");

        await host.RunAsync(ModuleTestHost.Admin, "alpine-baselayout", "expert", "edit",
            ModuleTestHost.Submit("Save", ("file", "/etc/hosts"), ("path", "/etc/motd"), ("content", "motd text\n")));

        Assert.Equal(hosts, host.ReadRootFile("/etc/hosts"));
    }

    [Fact]
    public async Task LogView_Filter_KeepsMatchingLinesOnly()
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(ModuleTestHost.Admin, "alpine-baselayout", "logfiles", "view",
            new Acf.Modules.Cfe.ModuleInput(new Dictionary<string, IReadOnlyList<string>>
            {
                ["file"] = ["/var/log/messages"], ["filter"] = ["sshd"],
            }));

        var lines = result.Entity!.Find("content")!.Text!.Split('\n');
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Contains("sshd", line));
    }

    [Fact]
    public async Task LogView_PathOutsideVarLog_Refused()
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(ModuleTestHost.Admin, "alpine-baselayout", "logfiles", "view",
            new Acf.Modules.Cfe.ModuleInput(new Dictionary<string, IReadOnlyList<string>> { ["file"] = ["/var/log/../../etc/hostname"] }));

        Assert.NotNull(result.Entity!.Errtxt);
        Assert.Equal("", result.Entity.Find("content")!.Text);
    }
}
