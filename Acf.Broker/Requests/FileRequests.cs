namespace Acf.Broker;

/// <summary>
/// A request that changes one file (write, remove, restore): confirm-or-rollback keeps the file's previous content
/// before it goes on, whatever the call is, so a new call of this kind is journalled without touching the journal.
/// </summary>
public interface IFileChange
{
    string Path { get; }
}

/// <summary><paramref name="TailBytes"/>: read only the end of the file (a log's last lines); the tag is then of that part.
/// A file some manifest declares <c>secret</c> is answered with its secret values as tokens (<see cref="Crypto.SecretLines"/>),
/// the tag still the file's own; <paramref name="Whole"/> reads it as it is, for the app's own rollback record only
/// (a worker that asks for it is killed).</summary>
public sealed record ReadFileRequest(string Path, int? TailBytes = null, bool Whole = false) : BrokerRequest<FileContent>
{
    internal override BrokerResult<FileContent> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.ReadFile(caller, this);
}

/// <summary>A file's bytes and its tag: a digest of the content, handed back on write to refuse lost updates.
/// <paramref name="PublicKeys"/>: for a secret file read with tokens, the public key of each private key's token.</summary>
public sealed record FileContent(string Path, byte[] Bytes, string Tag, IReadOnlyDictionary<string, string>? PublicKeys = null);

/// <summary><paramref name="ExpectedTag"/>: the tag the caller read; the write is refused when the file changed since.
/// <c>FileTags.Absent</c> means the caller expects to create the file.</summary>
/// <paramref name="Validator"/>: an argv with one word <c>{file}</c>, run on the candidate before it replaces the file
/// (e.g. <c>squid -k parse -f {file}</c>); a non-zero status refuses the write with the validator's output.
/// <paramref name="Secret"/>: the file holds secrets (the host's <c>/etc/acf/otp</c>): it is kept at mode 0600 and
/// its previous versions are not copied into history (the audit line is still written). Only the host asks for it.
/// <paramref name="Mode"/>: the file's permission bits (0 to 0777, e.g. <c>0600</c> for a private key); null keeps the
/// mode of an existing file and gives a new one 0644.
public sealed record WriteFileRequest(string Path, byte[] Bytes, string? ExpectedTag = null, IReadOnlyList<string>? Validator = null,
    bool Secret = false, int? Mode = null) : BrokerRequest<WriteFileResult>, IFileChange
{
    public const string FilePlaceholder = "{file}";

    /// <summary>The largest mode a module may ask for: permission bits only, never setuid, setgid or sticky.</summary>
    public const int MaxMode = 0b111_111_111;

    internal override BrokerResult<WriteFileResult> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.WriteFile(caller, this);
}

/// <summary>Deletes a file the caller may write (its content goes to history first); a missing file is not an error.
/// <paramref name="ExpectedTag"/>: as for a write, the removal is refused when the file changed since it was read.</summary>
public sealed record RemoveFileRequest(string Path, string? ExpectedTag = null) : BrokerRequest<WriteFileResult>, IFileChange
{
    internal override BrokerResult<WriteFileResult> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.RemoveFile(caller, this);
}

public sealed record WriteFileResult(string Path, string Tag, bool Changed, long SizeBefore, long SizeAfter);

/// <summary>
/// Makes <paramref name="Path"/> a symbolic link to <paramref name="Target"/> (relative to the link's folder, or
/// absolute inside the system root), replacing a link that is there; a null target removes the link. Both the link
/// and the file it points to must lie within the caller's write capability, the target must be an existing file,
/// and a real file or folder at <paramref name="Path"/> is never replaced. (An awall policy is enabled this way:
/// <c>/etc/awall/NAME.json</c> to <c>optional/NAME.json</c>, as <c>awall enable</c> does.)
/// </summary>
public sealed record LinkRequest(string Path, string? Target) : BrokerRequest<LinkResult>
{
    internal override BrokerResult<LinkResult> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.Link(caller, this);
}

/// <summary><paramref name="Previous"/>: the link's target before (null: there was no link), so a rollback can put it back.</summary>
public sealed record LinkResult(string Path, string? Previous, bool Changed);

/// <summary>
/// Makes a folder (and its missing parents), each within the caller's write capability, with <paramref name="Mode"/>
/// (permission bits, default 0755); a folder that is there already is no change. (A share's folder is made this way,
/// where the module's manifest declares the folders its shares may use.)
/// </summary>
public sealed record MakeDirectoryRequest(string Path, int? Mode = null) : BrokerRequest<MakeDirectoryResult>
{
    internal override BrokerResult<MakeDirectoryResult> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.MakeDirectory(caller, this);
}

/// <summary><paramref name="Created"/>: the folders made, outermost first (empty when the folder was there).</summary>
public sealed record MakeDirectoryResult(string Path, IReadOnlyList<string> Created);

public sealed record ListDirectoryRequest(string Path) : BrokerRequest<IReadOnlyList<DirectoryEntry>>
{
    internal override BrokerResult<IReadOnlyList<DirectoryEntry>> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.ListDirectory(caller, this);
}

public sealed record DirectoryEntry(string Name, FileKind Kind, long Size);

public sealed record StatRequest(string Path) : BrokerRequest<FileStatus>
{
    internal override BrokerResult<FileStatus> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.Stat(caller, this);
}

/// <summary>A file's state; <c>LinkTarget</c> is what the path itself points to as written in the link (null when it is
/// no link), so a module can read a setting kept as a link (Alpine's /etc/localtime).</summary>
public sealed record FileStatus(string Path, bool Exists, FileKind Kind, long Size, int Mode, DateTimeOffset? Modified,
    string? LinkTarget = null);

public enum FileKind { None, File, Directory, Symlink, Other }

/// <summary>The kept previous versions of a file, newest first. A module sees the history of files it may write;
/// the host (the history page, for admins) that of every file some module may write.</summary>
public sealed record HistoryRequest(string Path) : BrokerRequest<IReadOnlyList<FileVersion>>
{
    internal override BrokerResult<IReadOnlyList<FileVersion>> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.ListHistory(caller, this);
}

/// <summary>One kept version's bytes, or the current file's when <paramref name="Version"/> (a name from
/// <see cref="FileVersion.Version"/>) is null.</summary>
public sealed record VersionRequest(string Path, string? Version) : BrokerRequest<FileContent>
{
    internal override BrokerResult<FileContent> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.ReadVersion(caller, this);
}

/// <summary>A kept version: its name (the time it was replaced, UTC), size and SHA-256 (as the audit entries name it).</summary>
public sealed record FileVersion(string Version, DateTimeOffset Replaced, long Size, string Sha256);

/// <summary>Puts a kept version back: the same atomic, conflict-checked write as a <see cref="WriteFileRequest"/>,
/// audited as a restore (the replaced content goes into history in turn). <paramref name="ExpectedTag"/>: the current
/// file's tag as shown; the restore is refused when it changed since.</summary>
public sealed record RestoreFileRequest(string Path, string Version, string ExpectedTag) : BrokerRequest<WriteFileResult>, IFileChange
{
    internal override BrokerResult<WriteFileResult> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.RestoreFile(caller, this);
}
