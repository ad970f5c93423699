using System.Formats.Tar;
using System.IO.Compression;

namespace Acf.Tests.Broker.Lbu;

/// <summary>
/// lbu on the demo host: what is listed (protected paths and the installed database), status A/U/D against the last
/// archive, the archive itself, rotation and BACKUP_LIMIT, revert, encryption, lbu.list editing, and that nothing is
/// ever written outside the root.
/// </summary>
public sealed class DemoLbuTests : IDisposable
{
    private const string Current = LbuTestRoot.Hostname + ".apkovl.tar.gz";

    private readonly LbuTestRoot _root = new();
    private readonly DemoLbu _lbu;

    public DemoLbuTests()
    {
        _root.Conf("LBU_BACKUPDIR=/var/lib/lbu\nBACKUP_LIMIT=3\n");
        _lbu = _root.Demo();
    }

    public void Dispose() => _root.Dispose();

    private string Archive(string name = Current) => _root.HostPath("/var/lib/lbu/" + name);

    private static Dictionary<string, TarEntry> Entries(byte[] gzip)
    {
        var entries = new Dictionary<string, TarEntry>(StringComparer.Ordinal);
        using var tar = new TarReader(new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress));
        while (tar.GetNextEntry(copyData: true) is { } entry) entries[entry.Name] = entry;
        return entries;
    }

    private static string Text(TarEntry entry)
    {
        using var reader = new StreamReader(entry.DataStream!);
        return reader.ReadToEnd();
    }

    private IReadOnlyList<string> BackupNames() => _lbu.Backups().Select(b => b.Name).ToList();

    [Fact]
    public void List_NoInstalledDatabase_EveryProtectedFileBelongsToNoPackage()
    {
        _root.Write("/etc/hosts", "127.0.0.1 localhost\n");
        _root.Write("/etc/init.d/sshd", "#!/sbin/openrc-run\n");
        _root.Write("/etc/apk/world", "alpine-base\n");
        _root.Write("/root/.profile", "export PS1\n");
        _root.Write("/usr/bin/tool", "binary");

        var list = _lbu.List();

        Assert.Equal(["etc/apk/world", "etc/hostname", "etc/hosts", "etc/lbu/lbu.conf"], list);
    }

    [Fact]
    public void List_InstalledDatabase_LeavesOutUnchangedPackageFilesButNotEtcApk()
    {
        _root.Write("/etc/hosts", "127.0.0.1 localhost\n");
        _root.Write("/etc/fstab", "/dev/sda1 / ext4 rw 0 1\n");
        _root.Write("/etc/apk/world", "alpine-base\n");
        _root.Write("/etc/lbu/lbu.conf.apk-new", "# new stock file\n");
        _root.InstalledDatabase(("/etc/hosts", "127.0.0.1 localhost\n"), ("/etc/fstab", "# empty\n"),
            ("/etc/apk/world", "alpine-base\n"), ("/etc/hostname", LbuTestRoot.Hostname + "\n"),
            ("/etc/lbu/lbu.conf", "# stock\n"));

        var list = _lbu.List();

        Assert.Equal(["etc/apk/world", "etc/fstab", "etc/lbu/lbu.conf"], list);
    }

    [Fact]
    public void List_InitD_OnlySymlinks()
    {
        _root.Write("/etc/init.d/sshd", "#!/sbin/openrc-run\n");
        File.CreateSymbolicLink(_root.HostPath("/etc/init.d/net.eth0"), "net.lo");

        var list = _lbu.List();

        Assert.Contains("etc/init.d/net.eth0", list);
        Assert.DoesNotContain("etc/init.d/sshd", list);
    }

    [Fact]
    public void List_FifoUnderEtc_SkippedWithoutBlocking()
    {
        using (var mkfifo = global::System.Diagnostics.Process.Start("mkfifo", _root.HostPath("/etc/initctl")))
            mkfifo.WaitForExit();

        var list = _lbu.List();

        Assert.True(File.Exists(_root.HostPath("/etc/initctl")));
        Assert.DoesNotContain("etc/initctl", list);
        Assert.Contains("etc/hostname", list);
    }

    [Fact]
    public void List_AfterInclude_ListsTheIncludedFolder()
    {
        _root.Write("/root/.ssh/authorized_keys", "ssh-ed25519 AAAA admin\n");

        _lbu.Include("/root/.ssh");
        var list = _lbu.List();

        Assert.Contains("root/.ssh/authorized_keys", list);
    }

    [Fact]
    public void List_AfterExclude_LeavesTheFileOut()
    {
        _root.Write("/etc/motd", "Welcome\n");

        _lbu.Exclude("/etc/motd");
        var list = _lbu.List();

        Assert.DoesNotContain("etc/motd", list);
    }

    [Fact]
    public void Status_NoArchive_EveryListedFileAdded()
    {
        _root.Write("/etc/hosts", "127.0.0.1 localhost\n");

        var status = _lbu.Status();

        Assert.Equal([
            new LbuStatusEntry(LbuChange.Added, "etc/hostname"),
            new LbuStatusEntry(LbuChange.Added, "etc/hosts"),
            new LbuStatusEntry(LbuChange.Added, "etc/lbu/lbu.conf")], status);
    }

    [Fact]
    public void Status_AfterCommit_Empty()
    {
        _root.Write("/etc/hosts", "127.0.0.1 localhost\n");
        Directory.CreateDirectory(_root.HostPath("/etc/init.d"));
        File.CreateSymbolicLink(_root.HostPath("/etc/init.d/net.eth0"), "net.lo");

        var commit = _lbu.Commit();
        var status = _lbu.Status();

        Assert.Equal(0, commit.Status);
        Assert.Empty(status);
    }

    [Fact]
    public void Status_ChangesSinceCommit_AddedUpdatedDeletedSortedByPath()
    {
        _root.Write("/etc/hosts", "127.0.0.1 localhost\n");
        _root.Write("/etc/motd", "Welcome\n");
        _root.Write("/etc/resolv.conf", "nameserver 9.9.9.9\n");
        _lbu.Commit();
        _root.Write("/etc/hosts", "127.0.0.1 localhost\n10.0.0.1 router\n");
        _root.Write("/etc/resolv.conf", "nameserver 1.1.1.1\n"); // same size, other bytes
        File.Delete(_root.HostPath("/etc/motd"));
        _root.Write("/etc/network/interfaces", "auto lo\n");

        var status = _lbu.Status();

        Assert.Equal([
            new LbuStatusEntry(LbuChange.Updated, "etc/hosts"),
            new LbuStatusEntry(LbuChange.Deleted, "etc/motd"),
            new LbuStatusEntry(LbuChange.Added, "etc/network/interfaces"),
            new LbuStatusEntry(LbuChange.Updated, "etc/resolv.conf")], status);
    }

    [Fact]
    public void Status_FileExcludedAfterCommit_Deleted()
    {
        _root.Write("/etc/motd", "Welcome\n");
        _lbu.Commit();

        _lbu.Exclude("etc/motd");
        var status = _lbu.Status();

        Assert.Contains(new LbuStatusEntry(LbuChange.Deleted, "etc/motd"), status);
    }

    [Fact]
    public void Commit_Archive_HoldsFilesRelativeToSlashWithModeTimeAndRootOwner()
    {
        _root.Write("/etc/shadow", "root:*:19000:0:::::\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var mtime = new DateTime(2023, 11, 14, 8, 30, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(_root.HostPath("/etc/shadow"), mtime);

        var result = _lbu.Commit();
        var entries = Entries(File.ReadAllBytes(Archive()));

        Assert.Equal(0, result.Status);
        Assert.True(result.Simulated);
        Assert.Equal(LbuTestRoot.Hostname + "\n", Text(entries["etc/hostname"]));
        Assert.All(entries.Keys, name => Assert.False(name.StartsWith('/') || name.StartsWith("./") || name.Contains(_root.Root)));
        var shadow = entries["etc/shadow"];
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, shadow.Mode);
        Assert.Equal(mtime, shadow.ModificationTime.UtcDateTime);
        Assert.Equal((0, 0), (shadow.Uid, shadow.Gid));
        Assert.Equal(TarEntryType.Directory, entries["etc/"].EntryType); // no package owns it: apk lists it
    }

    [Fact]
    [Trait("Category", "RealTools")]
    public void Commit_Archive_RealTarExtractsItUnderAnotherRoot()
    {
        _root.Write("/etc/network/interfaces", "auto lo\niface lo inet loopback\n");
        _lbu.Commit();
        var target = Path.Combine(_root.Parent, "extracted");
        Directory.CreateDirectory(target);
        var start = new global::System.Diagnostics.ProcessStartInfo("tar") { RedirectStandardError = true };
        foreach (var arg in new[] { "-xzf", Archive(), "-C", target }) start.ArgumentList.Add(arg);

        using (var tar = global::System.Diagnostics.Process.Start(start)!)
        {
            var errors = tar.StandardError.ReadToEnd();
            tar.WaitForExit();
            Assert.True(tar.ExitCode == 0, errors);
        }

        Assert.Equal("auto lo\niface lo inet loopback\n", File.ReadAllText(Path.Combine(target, "etc/network/interfaces")));
        Assert.Equal(LbuTestRoot.Hostname + "\n", File.ReadAllText(Path.Combine(target, "etc/hostname")));
    }

    [Fact]
    public void Commit_Output_AsLbuVerbose()
    {
        var result = _lbu.Commit();

        Assert.Equal(
            "Archiving the following files:\netc/\netc/hostname\netc/lbu/\netc/lbu/lbu.conf\n"
            + "Created /var/lib/lbu/alpine-demo.apkovl.tar.gz\nSuccessfully saved apk overlay files\n", result.Stdout);
    }

    [Fact]
    public void Commit_Twice_PreviousRenamedWithItsUtcModificationTime()
    {
        _lbu.Commit();
        _root.Time.Advance(TimeSpan.FromMinutes(5));

        var result = _lbu.Commit();

        Assert.StartsWith("Creating backup /var/lib/lbu/alpine-demo.20240501120000.tar.gz\n", result.Stdout);
        Assert.Equal(["alpine-demo.20240501120000.tar.gz", Current], BackupNames());
        Assert.Equal(new DateTime(2024, 5, 1, 12, 5, 0, DateTimeKind.Utc), File.GetLastWriteTimeUtc(Archive()));
    }

    [Fact]
    public void Commit_BeyondBackupLimit_OldestRemoved()
    {
        for (var i = 0; i < 5; i++)
        {
            _lbu.Commit();
            _root.Time.Advance(TimeSpan.FromHours(1));
        }

        var backups = _lbu.Backups();

        Assert.Equal([
            "alpine-demo.20240501130000.tar.gz",
            "alpine-demo.20240501140000.tar.gz",
            "alpine-demo.20240501150000.tar.gz",
            Current], backups.Select(b => b.Name));
        Assert.Equal([false, false, false, true], backups.Select(b => b.Current));
        Assert.All(backups, b => Assert.True(b.Size > 0));
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 13, 0, 0, TimeSpan.Zero), backups[0].Modified);
    }

    [Fact]
    public void Commit_BackupLimitUnset_KeepsNoBackup()
    {
        _root.Conf("LBU_BACKUPDIR=/var/lib/lbu\n");
        _lbu.Commit();
        _root.Time.Advance(TimeSpan.FromHours(1));

        _lbu.Commit();

        Assert.Equal([Current], BackupNames());
    }

    [Fact]
    public void Commit_NoBackupDirConfigured_UsesVarLibLbuInsideRoot()
    {
        _root.Conf("# LBU_MEDIA=usb\n");

        var result = _lbu.Commit();

        Assert.Equal(0, result.Status);
        Assert.True(File.Exists(_root.HostPath(DemoLbu.DefaultBackupDir + "/" + Current)));
    }

    [Fact]
    public void Commit_MediaConfigured_WritesUnderMediaInsideRoot()
    {
        _root.Conf("LBU_MEDIA=usb\n");

        _lbu.Commit();

        Assert.True(File.Exists(_root.HostPath("/media/usb/" + Current)));
    }

    [Fact]
    public void Commit_AnotherApkovlInFolder_RefusesAsLbu()
    {
        _root.Write("/var/lib/lbu/otherhost.apkovl.tar.gz", "old");

        var result = _lbu.Commit();

        Assert.Equal(1, result.Status);
        Assert.Equal("The following apkovl file(s) were found:\n/var/lib/lbu/otherhost.apkovl.tar.gz\n\nPlease use -d to replace.\n", result.Stderr);
        Assert.False(File.Exists(Archive()));
    }

    /// <summary>Issue 20's lbu trap: after a host name change lbu refuses the commit and its -d deletes the old
    /// archive, possibly the only backup; keeping it renames it to a dated backup that Revert lists.</summary>
    [Fact]
    public void Commit_HostnameChangedKeepOld_OldArchiveRenamedToADatedBackupNotDeleted()
    {
        _lbu.Commit();
        var old = File.ReadAllBytes(Archive());
        var stamp = File.GetLastWriteTimeUtc(Archive()).ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        _root.Write("/etc/hostname", "gateway\n");

        var refused = _lbu.Commit();
        var kept = _lbu.Commit(null, keepOld: true);

        Assert.Equal(1, refused.Status);
        Assert.Equal(0, kept.Status);
        var backup = $"{LbuTestRoot.Hostname}.{stamp}.tar.gz";
        Assert.StartsWith($"Kept /var/lib/lbu/{Current} as the backup /var/lib/lbu/{backup}\n", kept.Stdout);
        Assert.Equal([backup, "gateway.apkovl.tar.gz"], BackupNames().Order(StringComparer.Ordinal));
        Assert.Equal(old, File.ReadAllBytes(_root.HostPath("/var/lib/lbu/" + backup)));
        Assert.Contains(_lbu.Backups(), b => b.Name == backup && !b.Current);
    }

    [Fact]
    public void Commit_KeepOldWhenTheBackupNameIsTaken_RefusedAndNothingDeleted()
    {
        _lbu.Commit();
        var stamp = File.GetLastWriteTimeUtc(Archive()).ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        _root.Write($"/var/lib/lbu/{LbuTestRoot.Hostname}.{stamp}.tar.gz", "an older backup");
        _root.Write("/etc/hostname", "gateway\n");

        var result = _lbu.Commit(null, keepOld: true);

        Assert.Equal(1, result.Status);
        Assert.Contains("is already there", result.Stderr);
        Assert.True(File.Exists(Archive()));
    }

    [Fact]
    public void Commit_WithPassword_EncryptedArchiveNamedAfterCipher()
    {
        var result = _lbu.Commit("s3cret");
        var bytes = File.ReadAllBytes(Archive(Current + ".aes-256-cbc"));
        var plain = OpensslEnc.Decrypt(bytes, "s3cret", "aes-256-cbc");

        Assert.Equal(0, result.Status);
        Assert.Equal("Salted__"u8.ToArray(), bytes[..8]);
        Assert.NotNull(plain);
        Assert.Equal(LbuTestRoot.Hostname + "\n", Text(Entries(plain)["etc/hostname"]));
        Assert.False(File.Exists(Archive()));
    }

    [Fact]
    public void Commit_EncryptionInConfWithoutPassword_Fails()
    {
        _root.Conf("LBU_BACKUPDIR=/var/lib/lbu\nENCRYPTION=$DEFAULT_CIPHER\n");

        var result = _lbu.Commit();

        Assert.Equal(1, result.Status);
        Assert.Equal("A password is needed to encrypt the overlay with aes-256-cbc.\n", result.Stderr);
    }

    [Fact]
    public void Commit_UnsupportedCipher_FailsSayingSo()
    {
        _root.Conf("LBU_BACKUPDIR=/var/lib/lbu\nDEFAULT_CIPHER=bf-cbc\n");

        var result = _lbu.Commit("s3cret");

        Assert.Equal(1, result.Status);
        Assert.StartsWith("Cipher bf-cbc is not supported", result.Stderr);
    }

    [Fact]
    public void Status_EncryptedArchiveAndPasswordInConf_ComparesContent()
    {
        _root.Conf("LBU_BACKUPDIR=/var/lib/lbu\nENCRYPTION=aes-128-cbc\nPASSWORD='s3cret'\n");
        _lbu.Commit();
        _root.Write("/etc/hosts", "10.0.0.1 router\n");

        var status = _lbu.Status();

        Assert.True(File.Exists(Archive(Current + ".aes-128-cbc")));
        Assert.Equal([new LbuStatusEntry(LbuChange.Added, "etc/hosts")], status);
    }

    [Fact]
    public void Status_EncryptedArchiveWithoutPassword_Throws()
    {
        _lbu.Commit("s3cret");

        var error = Assert.Throws<InvalidOperationException>(() => _lbu.Status());

        Assert.Contains("is encrypted", error.Message);
    }

    [Fact]
    public void Committed_FileInArchive_ItsBytes()
    {
        _root.Write("/etc/hosts", "127.0.0.1 localhost\n");
        _lbu.Commit();
        _root.Write("/etc/hosts", "changed\n");

        var committed = _lbu.Committed("/etc/hosts");
        var missing = _lbu.Committed("etc/motd");
        var folder = _lbu.Committed("/etc");

        Assert.Equal("127.0.0.1 localhost\n", Encoding.UTF8.GetString(committed!));
        Assert.Null(missing);
        Assert.Null(folder);
    }

    [Fact]
    public void Committed_NoArchive_Null()
    {
        var committed = _lbu.Committed("/etc/hostname");

        Assert.Null(committed);
    }

    [Fact]
    public void Revert_RotatedBackup_BecomesCurrentAfterCurrentIsRotated()
    {
        _root.Write("/etc/hosts", "first\n");
        _lbu.Commit();
        _root.Time.Advance(TimeSpan.FromHours(1));
        _root.Write("/etc/hosts", "second\n");
        _lbu.Commit();

        var result = _lbu.Revert("alpine-demo.20240501120000.tar.gz");

        Assert.Equal(0, result.Status);
        Assert.Equal("Creating backup /var/lib/lbu/alpine-demo.20240501130000.tar.gz\nReverting to alpine-demo.20240501120000.tar.gz\n", result.Stdout);
        Assert.Equal("first\n", Encoding.UTF8.GetString(_lbu.Committed("/etc/hosts")!));
        Assert.Equal(["alpine-demo.20240501130000.tar.gz", Current], BackupNames());
    }

    [Theory]
    [InlineData("alpine-demo.20990101000000.tar.gz")]
    [InlineData("alpine-demo.apkovl.tar.gz")]
    [InlineData("../../../etc/alpine-demo.20240501120000.tar.gz")]
    public void Revert_NotAnExistingBackup_FailsAndChangesNothing(string name)
    {
        _lbu.Commit();

        var result = _lbu.Revert(name);

        Assert.Equal(1, result.Status);
        Assert.Equal([Current], BackupNames());
    }

    [Fact]
    public void Include_NewPath_AppendsPlusLineKeepingOthersAndDropsMinusLine()
    {
        _root.Write(LbuListFile.Path, "# kept\n+etc/x\n-root/.ssh\n-etc/y\n");

        var result = _lbu.Include("/root/.ssh");

        Assert.Equal("# kept\n+etc/x\n-etc/y\n+root/.ssh\n", _root.Read(LbuListFile.Path));
        Assert.Equal($"Adding root/.ssh to {LbuListFile.Path}.\nRemoving root/.ssh from {LbuListFile.Path}.\n", result.Stdout);
        Assert.True(result.Simulated);
    }

    [Fact]
    public void Include_AlreadyIncluded_FileUnchanged()
    {
        _root.Write(LbuListFile.Path, "+root/.ssh\n");

        var result = _lbu.Include("root/.ssh");

        Assert.Equal("+root/.ssh\n", _root.Read(LbuListFile.Path));
        Assert.Equal($"root/.ssh is already in {LbuListFile.Path}.\n", result.Stdout);
    }

    [Fact]
    public void Include_NoListFile_CreatesIt()
    {
        _lbu.Include("/usr/local/bin");

        Assert.Equal("+usr/local/bin\n", _root.Read(LbuListFile.Path));
    }

    [Fact]
    public void Exclude_IncludedPath_MinusLineReplacesPlusLine()
    {
        _root.Write(LbuListFile.Path, "+etc/motd\n+root/.ssh");

        _lbu.Exclude("/etc/motd");

        Assert.Equal("+root/.ssh\n-etc/motd\n", _root.Read(LbuListFile.Path));
    }

    [Fact]
    public void RemoveRule_EitherSymbol_LineRemoved()
    {
        _root.Write(LbuListFile.Path, "+root/.ssh\n-etc/motd\n");

        _lbu.RemoveRule("/etc/motd");
        var result = _lbu.RemoveRule("/etc/nothing");

        Assert.Equal("+root/.ssh\n", _root.Read(LbuListFile.Path));
        Assert.Equal($"etc/nothing is not in {LbuListFile.Path}\n", result.Stdout);
    }

    [Theory]
    [InlineData("/etc/../root")]
    [InlineData("/")]
    [InlineData("/etc/a\nb")]
    public void Include_InvalidPath_FailsWithoutWriting(string path)
    {
        var result = _lbu.Include(path);

        Assert.Equal(1, result.Status);
        Assert.False(_root.Exists(LbuListFile.Path));
    }

    [Fact]
    public void Operations_LinksPointingOutside_NothingWrittenOutsideTheRoot()
    {
        var outside = Path.Combine(_root.Parent, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "lbu.list"), "+keep\n");
        Directory.CreateDirectory(_root.HostPath("/var/lib"));
        File.CreateSymbolicLink(_root.HostPath("/var/lib/lbu"), outside); // absolute: resolved inside the root
        Directory.CreateDirectory(_root.HostPath("/etc/apk"));
        File.CreateSymbolicLink(_root.HostPath(ProtectedPaths.ListFolder), outside);
        File.CreateSymbolicLink(_root.HostPath("/etc/secrets"), outside); // a link to a folder is archived as a link
        var before = _root.OutsideRoot();

        _lbu.Commit();
        _root.Time.Advance(TimeSpan.FromHours(1));
        _lbu.Include("/root/.ssh");
        _lbu.Exclude("/etc/motd");
        _lbu.RemoveRule("/etc/motd");
        _lbu.Commit();
        _lbu.Revert("alpine-demo.20240501120000.tar.gz");
        _lbu.Status();

        Assert.Equal(before, _root.OutsideRoot());
        Assert.Equal("+keep\n", File.ReadAllText(Path.Combine(outside, "lbu.list")));
        Assert.True(File.Exists(_root.HostPath(outside + "/" + Current)));
        Assert.Contains("etc/secrets", _lbu.List());
    }

    [Fact]
    public void Config_DemoTree_BackupDirAndLimit()
    {
        var demo = new DemoLbu(_root.Host with { Root = Path.Combine(ModuleTestHost.RepositoryRoot, "demo") }, _root.Time);

        var config = demo.Config();

        Assert.Equal(new LbuConfig("", "/var/lib/lbu", 3, false, "aes-256-cbc"), config);
    }

    [Fact]
    public void List_DemoTree_HonoursTheDemoLbuList()
    {
        var demo = new DemoLbu(_root.Host with { Root = Path.Combine(ModuleTestHost.RepositoryRoot, "demo") }, _root.Time);

        var list = demo.List();

        Assert.Contains("etc/apk/protected_paths.d/lbu.list", list); // !etc/apk: always
        Assert.DoesNotContain("etc/motd", list); // -etc/motd
        Assert.DoesNotContain(list, p => p.StartsWith("proc/", StringComparison.Ordinal));
    }
}
