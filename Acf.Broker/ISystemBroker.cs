namespace Acf.Broker;

/// <summary>
/// The only door to the machine. Requests and results are plain records so that the broker can later run as a
/// separate privileged process. The caller names a module; the broker looks its capabilities up in the manifest
/// itself, so a caller can never claim more than its manifest grants.
/// </summary>
public interface ISystemBroker
{
    HostInfo Info { get; }

    BrokerResult<FileContent> ReadFile(BrokerCaller caller, ReadFileRequest request);

    BrokerResult<WriteFileResult> WriteFile(BrokerCaller caller, WriteFileRequest request);

    /// <summary>Deletes a file the caller may write (its content goes to history first); a missing file is not an error.</summary>
    BrokerResult<WriteFileResult> RemoveFile(BrokerCaller caller, RemoveFileRequest request);

    /// <summary>
    /// Enables or disables an optional awall policy (<c>/etc/awall/optional/NAME.json</c>): <c>awall enable|disable NAME</c>
    /// on Alpine, the <c>/etc/awall/NAME.json</c> symlink on the demo host. Needs write on <c>/etc/awall/NAME.json</c>.
    /// </summary>
    BrokerResult<ExecResult> SetAwallPolicy(BrokerCaller caller, AwallPolicyRequest request);

    BrokerResult<IReadOnlyList<DirectoryEntry>> ListDirectory(BrokerCaller caller, ListDirectoryRequest request);

    BrokerResult<FileStatus> Stat(BrokerCaller caller, StatRequest request);

    BrokerResult<ExecResult> Exec(BrokerCaller caller, ExecRequest request);

    /// <summary>The services the caller's <c>services</c> capability covers.</summary>
    BrokerResult<IReadOnlyList<OpenRc.ServiceInfo>> ListServices(BrokerCaller caller);

    BrokerResult<IReadOnlyList<string>> ListRunlevels(BrokerCaller caller);

    BrokerResult<ExecResult> ControlService(BrokerCaller caller, ServiceControlRequest request);

    BrokerResult<ExecResult> SetServiceRunlevels(BrokerCaller caller, ServiceRunlevelsRequest request);

    BrokerResult<Apk.ApkState> ReadPackages(BrokerCaller caller);

    /// <summary>apk add/del/update/upgrade; every output line goes to <paramref name="progress"/> as it comes.</summary>
    BrokerResult<ExecResult> RunApk(BrokerCaller caller, ApkRequest request, Action<string>? progress = null);

    BrokerResult<LbuReport> ReadLbu(BrokerCaller caller, LbuReadRequest request);

    BrokerResult<ExecResult> ChangeLbu(BrokerCaller caller, LbuChangeRequest request);

    /// <summary>The kept previous versions of a file, newest first. A module sees the history of files it may write;
    /// the host (the history page, for admins) that of every file some module may write.</summary>
    BrokerResult<IReadOnlyList<FileVersion>> ListHistory(BrokerCaller caller, HistoryRequest request);

    /// <summary>One kept version's bytes, or the current file's when <see cref="VersionRequest.Version"/> is null.</summary>
    BrokerResult<FileContent> ReadVersion(BrokerCaller caller, VersionRequest request);

    /// <summary>Puts a kept version back: the same atomic, conflict-checked write as <see cref="WriteFile"/>,
    /// audited as a restore (the replaced content goes into history in turn).</summary>
    BrokerResult<WriteFileResult> RestoreFile(BrokerCaller caller, RestoreFileRequest request);
}

public sealed record HistoryRequest(string Path);

/// <summary><paramref name="Version"/>: a name from <see cref="FileVersion.Version"/>; null for the current file.</summary>
public sealed record VersionRequest(string Path, string? Version);

/// <summary>A kept version: its name (the time it was replaced, UTC), size and SHA-256 (as the audit entries name it).</summary>
public sealed record FileVersion(string Version, DateTimeOffset Replaced, long Size, string Sha256);

/// <summary><paramref name="ExpectedTag"/>: the current file's tag as shown; the restore is refused when it changed since.</summary>
public sealed record RestoreFileRequest(string Path, string Version, string ExpectedTag);

public sealed record ServiceControlRequest(string Name, OpenRc.ServiceVerb Verb);

public sealed record ServiceRunlevelsRequest(string Name, IReadOnlyList<string> Runlevels);

public sealed record ApkRequest(Apk.ApkVerb Verb, IReadOnlyList<string> Packages);

public enum LbuReadKind { Status, List, Backups, Config, Committed }

/// <summary>What to read of lbu; <paramref name="Path"/> names the file for <see cref="LbuReadKind.Committed"/>.</summary>
public sealed record LbuReadRequest(LbuReadKind Kind, string? Path = null);

/// <summary>One of lbu's answers; only the member of the requested kind is set.</summary>
public sealed record LbuReport(
    IReadOnlyList<Lbu.LbuStatusEntry>? Status = null,
    IReadOnlyList<string>? Files = null,
    IReadOnlyList<Lbu.LbuBackup>? Backups = null,
    Lbu.LbuConfig? Config = null,
    byte[]? Committed = null);

public enum LbuChangeKind { Commit, Revert, Include, Exclude, RemoveRule }

/// <summary><paramref name="Argument"/>: the password of an encrypted commit, the backup to revert to, or the path of a rule.</summary>
/// <paramref name="DeleteOld"/>: lbu commit's <c>-d</c>.
public sealed record LbuChangeRequest(LbuChangeKind Kind, string? Argument = null, bool DeleteOld = false);

/// <summary>
/// Who asks: the signed-in user and the module whose capabilities apply; for the audit also the client address the
/// request came from and the module's <c>controller/action</c> it runs for (unknown for the host's own work).
/// </summary>
public sealed record BrokerCaller(string User, string Module, string? ClientAddress = null, string? Action = null);

public sealed record HostInfo(HostMode Mode, string Root);

/// <summary><paramref name="TailBytes"/>: read only the end of the file (a log's last lines); the tag is then of that part.</summary>
public sealed record ReadFileRequest(string Path, int? TailBytes = null);

/// <summary>A file's bytes and its tag: a digest of the content, handed back on write to refuse lost updates.</summary>
public sealed record FileContent(string Path, byte[] Bytes, string Tag);

/// <summary><paramref name="ExpectedTag"/>: the tag the caller read; the write is refused when the file changed since.
/// <c>FileTags.Absent</c> means the caller expects to create the file.</summary>
/// <paramref name="Validator"/>: an argv with one word <c>{file}</c>, run on the candidate before it replaces the file
/// (e.g. <c>squid -k parse -f {file}</c>); a non-zero status refuses the write with the validator's output.
/// <paramref name="Secret"/>: the file holds secrets (the host's <c>/etc/acf/otp</c>): it is kept at mode 0600 and
/// its previous versions are not copied into history (the audit line is still written).
/// <paramref name="Mode"/>: the file's permission bits (0 to 0777, e.g. <c>0600</c> for a private key); null keeps the
/// mode of an existing file and gives a new one 0644.
public sealed record WriteFileRequest(string Path, byte[] Bytes, string? ExpectedTag = null, IReadOnlyList<string>? Validator = null,
    bool Secret = false, int? Mode = null)
{
    public const string FilePlaceholder = "{file}";

    /// <summary>The largest mode a module may ask for: permission bits only, never setuid, setgid or sticky.</summary>
    public const int MaxMode = 0b111_111_111;
}

/// <summary><paramref name="ExpectedTag"/>: as for a write, the removal is refused when the file changed since it was read.</summary>
public sealed record RemoveFileRequest(string Path, string? ExpectedTag = null);

/// <summary>An optional awall policy by name (the file name without <c>.json</c>) and whether it should be enabled.</summary>
public sealed record AwallPolicyRequest(string Name, bool Enabled);

public sealed record WriteFileResult(string Path, string Tag, bool Changed, long SizeBefore, long SizeAfter);

public sealed record ListDirectoryRequest(string Path);

public sealed record DirectoryEntry(string Name, FileKind Kind, long Size);

public sealed record StatRequest(string Path);

public sealed record FileStatus(string Path, bool Exists, FileKind Kind, long Size, int Mode, DateTimeOffset? Modified);

public enum FileKind { None, File, Directory, Symlink, Other }

/// <summary>A command as an argv list: no shell ever sees it.</summary>
/// <paramref name="Rollback"/>: the command that undoes this one under confirm-or-rollback (an ifup's ifdown); the broker
/// checks it against the manifest at once, and the journal keeps it when the command ran.
public sealed record ExecRequest(IReadOnlyList<string> Argv, string? Stdin = null, int? TimeoutSeconds = null,
    IReadOnlyList<string>? Rollback = null);

public sealed record ExecResult(int Status, string Stdout, string Stderr, bool TimedOut, bool Truncated, bool Simulated);

public enum BrokerErrorKind
{
    /// <summary>The manifest does not grant it; a module bug, raised as a Lua error.</summary>
    Denied,

    /// <summary>A malformed request (relative path, '..', control characters); raised as a Lua error.</summary>
    Invalid,

    NotFound,

    /// <summary>The file changed since it was read.</summary>
    Conflict,

    /// <summary>The operating system refused or failed.</summary>
    Failed,

    /// <summary>The content was refused by the declared validator; nothing was written.</summary>
    Rejected,
}

public sealed record BrokerError(BrokerErrorKind Kind, string Message);

public sealed record BrokerResult<T>(T? Value, BrokerError? Error)
{
    public bool Ok => Error is null;

    public static BrokerResult<T> Success(T value) => new(value, null);

    public static BrokerResult<T> Fail(BrokerErrorKind kind, string message) => new(default, new BrokerError(kind, message));
}
