namespace Acf.Broker.Lbu;

public enum LbuChange { Added, Updated, Deleted }

/// <summary>One line of <c>lbu status</c>: <c>A</c>, <c>U</c> or <c>D</c> and the path relative to / (<c>etc/hostname</c>).</summary>
public sealed record LbuStatusEntry(LbuChange Change, string Path);

/// <summary>An archive in LBU_BACKUPDIR or on LBU_MEDIA: the current <c>&lt;host&gt;.apkovl.tar.gz</c> or a rotated one.</summary>
public sealed record LbuBackup(string Name, long Size, DateTimeOffset Modified, bool Current);

/// <summary><c>/etc/lbu/lbu.conf</c>'s settings (empty when unset).</summary>
public sealed record LbuConfig(string Media, string BackupDir, int? BackupLimit, bool Encryption, string Cipher);

/// <summary>
/// Alpine's local backup utility: on Alpine the real <c>lbu</c>; on the demo host the same rules done in C# (apk's
/// protected paths with <c>+ - @ !</c> and the built-in <c>+etc @etc/init.d !etc/apk</c>; a file is changed when its
/// checksum differs from the installed database or it belongs to no package) and a real
/// <c>&lt;hostname&gt;.apkovl.tar.gz</c>, rotated to <c>&lt;hostname&gt;.&lt;YYYYmmddHHMMSS&gt;.tar.gz</c> up to BACKUP_LIMIT.
/// </summary>
internal interface ILbu
{
    /// <summary>Files that differ from the last commit (what <c>lbu status</c> prints), sorted by path.</summary>
    IReadOnlyList<LbuStatusEntry> Status();

    /// <summary>Every file a commit would include (<c>lbu list</c>).</summary>
    IReadOnlyList<string> List();

    /// <summary>The file's content in the last committed archive (null when it is not in it).</summary>
    byte[]? Committed(string path);

    /// <summary>Writes the archive (rotating the previous one); with a password, encrypted as lbu does.</summary>
    ExecResult Commit(string? password = null);

    /// <summary>As <see cref="Commit(string?)"/>; with <paramref name="keepOld"/> the archives of another host name or
    /// format, which lbu refuses to commit beside ("apkovl file(s) were found ... use -d"), are first renamed to dated
    /// backups (<see cref="ApkovlFolder.KeepOthersAsBackups"/>), never deleted as lbu's <c>-d</c> would.</summary>
    ExecResult Commit(string? password, bool keepOld);

    IReadOnlyList<LbuBackup> Backups();

    /// <summary>The overlay a commit would write now, unencrypted and written nowhere (<c>lbu package</c>): a backup
    /// to download.</summary>
    byte[] Package();

    /// <summary>Makes the named rotated backup the current archive (<c>lbu revert</c>).</summary>
    ExecResult Revert(string backupName);

    LbuConfig Config();

    /// <summary>Adds an include rule for a path relative to / (<c>lbu include</c>).</summary>
    ExecResult Include(string path);

    /// <summary>Adds an exclude rule (<c>lbu exclude</c>).</summary>
    ExecResult Exclude(string path);

    /// <summary>Removes the include or exclude rule of the path (<c>lbu include -r</c> / <c>lbu exclude -r</c>).</summary>
    ExecResult RemoveRule(string path);
}
