namespace Acf.Tests.Broker.Lbu;

/// <summary>
/// lbu on Alpine, the parts that read files rather than run lbu (lbu itself is not on the test machine; its output
/// is covered by the output readers' fixtures): the config, the current archive in LBU_BACKUPDIR, backups and
/// revert there, and argument checks that refuse before anything runs.
/// </summary>
public sealed class AlpineLbuTests : IDisposable
{
    private readonly LbuTestRoot _root = new();
    private readonly AlpineLbu _lbu;

    public AlpineLbuTests()
    {
        _root.Conf("LBU_BACKUPDIR=/var/lib/lbu\nBACKUP_LIMIT=3\n");
        _lbu = new AlpineLbu(_root.Host with { Mode = HostMode.Alpine }, new CommandRunner());
    }

    public void Dispose() => _root.Dispose();

    /// <summary>Two commits (by the demo lbu) an hour apart: the backup dir then holds the current archive and the
    /// first one, rotated.</summary>
    private void CommitTwiceAnHourApart()
    {
        var demo = _root.Demo();
        demo.Commit();
        _root.Time.Advance(TimeSpan.FromHours(1));
        demo.Commit();
    }

    [Fact]
    public void Config_LbuConfUnderRoot_Settings()
    {
        var config = _lbu.Config();

        Assert.Equal(new LbuConfig("", "/var/lib/lbu", 3, false, "aes-256-cbc"), config);
    }

    [Fact]
    public void Committed_ArchiveInBackupDir_FileBytes()
    {
        _root.Write("/etc/hosts", "127.0.0.1 localhost\n");
        _root.Demo().Commit();
        _root.Write("/etc/hosts", "changed\n");

        var committed = _lbu.Committed("/etc/hosts");

        Assert.Equal("127.0.0.1 localhost\n", Encoding.UTF8.GetString(committed!));
    }

    [Fact]
    public void Committed_NoBackupDirNorMedia_Null()
    {
        _root.Conf("");

        var committed = _lbu.Committed("/etc/hosts");

        Assert.Null(committed);
    }

    [Fact]
    public void Backups_BackupDir_RotatedThenCurrentWithoutRunningLbu()
    {
        CommitTwiceAnHourApart();

        var backups = _lbu.Backups();

        Assert.Equal(["alpine-demo.20240501120000.tar.gz", "alpine-demo.apkovl.tar.gz"], backups.Select(b => b.Name));
    }

    [Fact]
    public void Revert_BackupDir_RenamesAsLbuRevertNotSimulated()
    {
        CommitTwiceAnHourApart();

        var result = _lbu.Revert("alpine-demo.20240501120000.tar.gz");

        Assert.Equal(0, result.Status);
        Assert.False(result.Simulated);
        Assert.Equal(["alpine-demo.20240501130000.tar.gz", "alpine-demo.apkovl.tar.gz"], _lbu.Backups().Select(b => b.Name));
    }

    [Theory]
    [InlineData("../etc/shadow")]
    [InlineData("-d")]
    [InlineData("alpine-demo.apkovl.tar.gz")]
    public void Revert_NotABackupName_RefusedBeforeRunning(string name)
    {
        var result = _lbu.Revert(name);

        Assert.Equal(1, result.Status);
        Assert.Contains("is not a backup name", result.Stderr);
    }

    [Fact]
    public void Commit_EmptyPassword_RefusedBeforeRunning()
    {
        var result = _lbu.Commit("");

        Assert.Equal(1, result.Status);
        Assert.False(result.Simulated);
    }

    [Theory]
    [InlineData("/etc/../shadow")]
    [InlineData("")]
    public void Include_InvalidPath_RefusedBeforeRunning(string path)
    {
        var result = _lbu.Include(path);

        Assert.Equal(1, result.Status);
        Assert.NotEqual(127, result.Status);
    }
}
