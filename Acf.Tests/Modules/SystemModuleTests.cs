namespace Acf.Tests.Modules;

/// <summary>
/// The system module (issue 21 item 6) beyond its fixtures: the backup a download gives is a real apkovl of the box,
/// a restore of it puts changed files back under confirm-or-rollback, and a reboot hands the page over to /restarting.
/// </summary>
public class SystemModuleTests
{
    private static async Task<byte[]> DownloadAsync(ModuleTestHost host)
    {
        var result = await host.RunAsync(ModuleTestHost.Admin, "system", "backup", "download", ModuleTestHost.Submit("Create backup"));
        AssertSucceeded(result);
        return ByteText.Encode(result.Entity!.Find("archive")!.Text!);
    }

    /// <summary>A demo host with its own backup downloaded, then /etc/hostname changed since.</summary>
    private static async Task<(ModuleTestHost Host, byte[] Archive)> BackupThenChangeAsync()
    {
        var host = ModuleTestHost.Demo();
        var archive = await DownloadAsync(host);
        host.WriteRootFile("/etc/hostname", "changed-since\n");
        return (host, archive);
    }

    /// <summary>The action succeeded; if not, its error or the form's says why.</summary>
    private static void AssertSucceeded(Acf.Modules.RunResult result) =>
        Assert.True(result.Entity!.Succeeded, result.Error ?? result.Entity.Errtxt);

    /// <summary>Presses <paramref name="button"/> on the restore page with this archive uploaded.</summary>
    private static Task<Acf.Modules.RunResult> UploadAsync(ModuleTestHost host, string button, byte[] archive) =>
        RestoreAsync(host, button, "upload", Convert.ToBase64String(archive));

    private static Task<Acf.Modules.RunResult> RestoreAsync(ModuleTestHost host, string button, string field, string value) =>
        host.RunAsync(ModuleTestHost.Admin, "system", "backup", "restore", ModuleTestHost.Submit(button, (field, value)));

    [Fact]
    public async Task Download_CreateBackup_IsAnApkovlOfTheBoxAndTheDownloadIsAudited()
    {
        using var host = ModuleTestHost.Demo();

        var archive = await DownloadAsync(host);

        var members = ApkovlInspection.Read(archive, out var error);
        Assert.Null(error);
        var hostname = Assert.Single(members!, m => m.Name == "etc/hostname");
        Assert.Equal("alpine-demo\n", System.Text.Encoding.UTF8.GetString(hostname.Content));
        Assert.Contains(members!, m => m.Name == "etc/runlevels/default/sshd" && m.Kind == "symlink");
        Assert.Contains(host.Audit.ReadAll(), e => e.Action == "lbu-package" && e.User == "root" && e.Module == "system");
    }

    [Fact]
    public async Task Restore_OwnBackupAfterAChange_PutsTheFileBackAndWaitsForKeep()
    {
        var (host, archive) = await BackupThenChangeAsync();
        using var _ = host;

        var result = await UploadAsync(host, "Restore", archive);

        AssertSucceeded(result);
        Assert.Equal("alpine-demo\n", host.ReadRootFile("/etc/hostname"));
        var row = Assert.Single(result.Entity!.Find("changes")!.Rows, r => r["path"] == "/etc/hostname");
        Assert.Equal("changed", row["change"]);
        Assert.Equal("+1 -1 lines", row["detail"]);
        Assert.Contains(result.Entity.Find("changes")!.Rows, r => r["path"] == "/etc/runlevels/default/sshd" && r["change"] == "skipped");
        var pending = host.Guard.Pending;
        Assert.NotNull(pending);
        Assert.Equal("backup/restore", pending.Action);
    }

    [Fact]
    public async Task Restore_Check_CarriesTheArchiveSoRestoreNeedsNoSecondUpload()
    {
        var (host, archive) = await BackupThenChangeAsync();
        using var _ = host;
        var check = await UploadAsync(host, "Check", archive);
        AssertSucceeded(check);
        Assert.Equal("changed-since\n", host.ReadRootFile("/etc/hostname"));
        var carried = check.Entity!.Find("archive")!.Text!;

        var restore = await RestoreAsync(host, "Restore", "archive", carried);

        AssertSucceeded(restore);
        Assert.Equal("alpine-demo\n", host.ReadRootFile("/etc/hostname"));
    }

    [Fact]
    public async Task Control_Reboot_SendsThePageToTheRestartingPage()
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(ModuleTestHost.Admin, "system", "power", "control", ModuleTestHost.Submit("Reboot"));

        Assert.True(result.Entity!.Succeeded);
        Assert.Equal("/restarting?what=reboot", result.Entity.Redirect);
    }
}
