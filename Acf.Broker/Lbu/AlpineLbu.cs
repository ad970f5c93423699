namespace Acf.Broker.Lbu;

/// <summary>
/// lbu on Alpine: the real <c>lbu</c> (alpine-conf) runs for status, list, commit, list-backup, revert, include and
/// exclude, and its output is read by <see cref="LbuStatusOutput"/>, <see cref="LbuListOutput"/> and
/// <see cref="LbuListBackupOutput"/>. lbu.conf and the current archive are read directly. lbu acts on the machine
/// itself, so this is meant for the root <c>/</c>.
/// <para>Passwords: lbu takes one with <c>-p</c> or from PASSWORD (environment or lbu.conf) and hands it to openssl
/// as <c>-pass pass:...</c>, so it is on a command line either way; <see cref="CommandRunner"/> passes no
/// environment, hence <c>-p</c>. Status, diff and revert of an encrypted archive need PASSWORD in lbu.conf (lbu
/// would ask on a terminal).</para>
/// <para><c>lbu revert</c> only knows <c>/media/&lt;LBU_MEDIA&gt;</c>; with LBU_BACKUPDIR alone it does the same two
/// renames itself. With LBU_BACKUPDIR the folder is listed directly (that is all list-backup does there).</para>
/// </summary>
internal sealed class AlpineLbu(SystemHost host, CommandRunner runner) : ILbu
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private const int OutputLimit = 4 << 20;

    public IReadOnlyList<LbuStatusEntry> Status() => LbuStatusOutput.Parse(RunOrThrow("status"));

    public IReadOnlyList<string> List() => LbuListOutput.Parse(RunOrThrow("list"));

    /// <summary>The file's bytes in the current archive in LBU_BACKUPDIR or on the media (when it is mounted);
    /// null when it is not there.</summary>
    public byte[]? Committed(string path)
    {
        var relative = DemoLbu.RelativePath(path);
        var settings = LbuConfFile.Load(host.Root);
        if (Folder(settings) is not { Exists: true } folder) return null;
        return DemoLbu.ContentOf(folder.ReadCurrent(settings.Password), relative);
    }

    public ExecResult Commit(string? password = null) => Commit(password, keepOld: false);

    /// <summary><c>lbu commit -v [-e -p &lt;password&gt;]</c>; with <paramref name="keepOld"/> the other overlays in
    /// LBU_BACKUPDIR or on the (mounted, writable) medium are first renamed to dated backups, never lbu's <c>-d</c>.</summary>
    public ExecResult Commit(string? password, bool keepOld)
    {
        var kept = new System.Text.StringBuilder();
        if (keepOld)
        {
            var settings = LbuConfFile.Load(host.Root);
            if (Folder(settings) is not { Exists: true } folder)
                return LbuResults.Fail("Neither LBU_BACKUPDIR nor a mounted LBU_MEDIA folder holds the archives: nothing to keep.", simulated: false);
            var cipher = password is not null ? settings.CipherForPassword : settings.Encryption.Length > 0 ? settings.Encryption : null;
            if (folder.KeepOthersAsBackups(folder.CurrentName(cipher), kept) is { } failed) return LbuResults.Fail(failed, simulated: false);
        }
        List<string> argv = ["lbu", "commit", "-v"];
        if (password is not null)
        {
            if (password.Length == 0 || password.Contains('\0'))
                return LbuResults.Fail("The password is empty or contains a NUL character.", simulated: false);
            argv.AddRange(["-e", "-p", password]);
        }
        var result = Run(argv);
        return kept.Length == 0 ? result : result with { Stdout = kept + result.Stdout };
    }

    /// <summary>The rotated archives oldest first, then the current one.</summary>
    public IReadOnlyList<LbuBackup> Backups()
    {
        var settings = LbuConfFile.Load(host.Root);
        var folder = Folder(settings);
        if (settings.BackupDir.Length > 0) return folder?.Backups() ?? [];

        var result = Run(["lbu", "list-backup"]);
        if (result.Status != 0) throw new InvalidOperationException(Message("list-backup", result));
        var backups = LbuListBackupOutput.Parse(result.Stdout).Select(name => Describe(folder, name, current: false)).ToList();
        if (folder?.Current() is { } current) backups.Add(Describe(folder, current.Name, current: true));
        return backups;
    }

    /// <summary><c>lbu package FILE</c> into a folder of its own (mode 0700), read back and removed: lbu's <c>-</c>
    /// (standard output) would pass the bytes through a text decoder.</summary>
    public byte[] Package()
    {
        var dir = Directory.CreateTempSubdirectory("acf-lbu-package-");
        try
        {
            var file = Path.Combine(dir.FullName, LbuHostname.Kernel() + ".apkovl.tar.gz");
            var result = Run(["lbu", "package", file]);
            if (result.Status != 0 || !File.Exists(file)) throw new InvalidOperationException(Message("package", result));
            return File.ReadAllBytes(file);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    public ExecResult Revert(string backupName)
    {
        if (!ApkovlFolder.IsRotatedName(backupName))
            return LbuResults.Fail($"'{backupName}' is not a backup name as lbu list-backup shows it.", simulated: false);
        var settings = LbuConfFile.Load(host.Root);
        if (settings.Media.Length > 0) return Run(["lbu", "revert", "-v", backupName]);
        if (settings.BackupDir.Length > 0 && Folder(settings) is { } folder) return folder.Revert(backupName, simulated: false);
        return LbuResults.Fail($"Neither LBU_MEDIA nor LBU_BACKUPDIR is set in {LbuConfFile.Path}.", simulated: false);
    }

    public LbuConfig Config() => LbuConfFile.Load(host.Root).ToConfig();

    /// <summary><c>lbu include -v &lt;path&gt;</c>.</summary>
    public ExecResult Include(string path) =>
        LbuListFile.Normalize(path, out var error) is { } name
            ? Run(["lbu", "include", "-v", "/" + name])
            : LbuResults.Fail(error!, simulated: false);

    /// <summary><c>lbu exclude -v &lt;path&gt;</c>.</summary>
    public ExecResult Exclude(string path) =>
        LbuListFile.Normalize(path, out var error) is { } name
            ? Run(["lbu", "exclude", "-v", "/" + name])
            : LbuResults.Fail(error!, simulated: false);

    /// <summary><c>lbu include -r -v</c> then <c>lbu exclude -r -v</c>: the path's rule goes, whichever it was.</summary>
    public ExecResult RemoveRule(string path)
    {
        if (LbuListFile.Normalize(path, out var error) is not { } name) return LbuResults.Fail(error!, simulated: false);
        var include = Run(["lbu", "include", "-r", "-v", "/" + name]);
        var exclude = Run(["lbu", "exclude", "-r", "-v", "/" + name]);
        return new ExecResult(Math.Max(include.Status, exclude.Status), include.Stdout + exclude.Stdout,
            include.Stderr + exclude.Stderr, include.TimedOut || exclude.TimedOut, include.Truncated || exclude.Truncated, false);
    }

    private ExecResult Run(IReadOnlyList<string> argv) => runner.Run(argv, null, Timeout, OutputLimit);

    private string RunOrThrow(string subcommand)
    {
        var result = Run(["lbu", subcommand]);
        if (result.Status != 0 || result.TimedOut) throw new InvalidOperationException(Message(subcommand, result));
        return result.Stdout;
    }

    private static string Message(string subcommand, ExecResult result) =>
        $"lbu {subcommand} failed (status {result.Status}): {(result.Stderr + "\n" + result.Stdout).Trim()}";

    /// <summary>LBU_BACKUPDIR, else /media/LBU_MEDIA (lbu's <c>${LBU_BACKUPDIR:-/media/$LBU_MEDIA}</c>); null when
    /// neither is set or the setting is not a plain absolute path.</summary>
    private ApkovlFolder? Folder(LbuSettings settings)
    {
        var dir = settings.BackupDir.Length > 0 ? settings.BackupDir
            : settings.Media.Length > 0 ? "/media/" + settings.Media
            : null;
        if (dir is null || RootedPath.Validate(dir) is not null) return null;
        return new ApkovlFolder(host.Root, dir, Hostname());
    }

    /// <summary>The kernel's host name when working on / (as lbu's <c>hostname</c>); else the root's /etc/hostname.</summary>
    private string Hostname() =>
        (host.Root.TrimEnd('/').Length == 0 ? LbuHostname.Kernel() : null) ?? LbuHostname.FromEtc(host.Root);

    private static LbuBackup Describe(ApkovlFolder? folder, string name, bool current)
    {
        var info = folder is null ? null : new FileInfo(Path.Combine(folder.HostPath, name));
        return info is { Exists: true }
            ? new LbuBackup(name, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero), current)
            : new LbuBackup(name, 0, ApkovlFolder.StampOf(name) ?? DateTimeOffset.MinValue, current);
    }
}
