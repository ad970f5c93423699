using System.Security.Cryptography;
using Acf.Broker.Crypto;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acf.Broker;

/// <summary>Content tags: a digest of a file's bytes, or <see cref="Absent"/> for a file that does not exist.</summary>
public static class FileTags
{
    public const string Absent = "absent";

    public static string Of(byte[] bytes) => Sha256(bytes)[..32];

    /// <summary>The whole SHA-256 in lower-case hex, as the history and the audit log name versions.</summary>
    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}

/// <summary>
/// What both brokers share: files under the system root, checked against the caller's manifest, refused on conflict,
/// and changed write-ahead (SystemBroker.WriteAhead.cs): the previous version in history and the intent on disk first,
/// then the file replaced atomically, then the audit line. How commands run is what differs between Alpine and the
/// demo host.
/// </summary>
internal abstract partial class SystemBroker(SystemHost host, ModuleCatalog catalog, AuditLog audit, IOptions<DataOptions> data,
    TimeProvider time, ILogger logger, SystemTools tools, ValidatorSandbox sandbox) : ISystemBroker
{
    private readonly Lock _writeGate = new();
    private readonly IntentJournal _intents = new(host);

    protected SystemHost Host => host;

    protected AuditLog Audit => audit;

    protected TimeProvider Clock => time;

    public HostInfo Info => new(host.Mode, host.Root);

    /// <summary>Every request is answered by the operation its record names: dispatch by type, in one place.</summary>
    public BrokerResult<T> Send<T>(BrokerCaller caller, BrokerRequest<T> request, Action<string>? output = null) =>
        request.Handle(this, caller, output);

    internal BrokerResult<FileContent> ReadFile(BrokerCaller caller, ReadFileRequest request)
    {
        if (Resolve(caller, request.Path, write: false, out var path) is { } refusal) return Refuse<FileContent>(refusal);
        try
        {
            if (Directory.Exists(path.HostPath)) return BrokerResult<FileContent>.Fail(BrokerErrorKind.Invalid, $"{path.Requested} is a folder.");
            var redact = !request.Whole && catalog.IsSecret(path.Canonical);
            if (request.TailBytes is { } tail)
            {
                var end = ReadTail(ReadSource(path), Math.Clamp(tail, 1, MaxReadBytes));
                return BrokerResult<FileContent>.Success(redact
                    ? new FileContent(path.Requested, SecretLines.Redact(end).Redacted, FileTags.Of(end))
                    : new FileContent(path.Requested, end, FileTags.Of(end)));
            }
            if (ReadCapped(ReadSource(path)) is not { } bytes)
                return BrokerResult<FileContent>.Fail(BrokerErrorKind.Failed, $"{path.Requested} is larger than {MaxReadBytes >> 20} MiB.");
            if (!redact) return BrokerResult<FileContent>.Success(new FileContent(path.Requested, bytes, FileTags.Of(bytes)));
            // The tag stays the file's own: a write back with tokens is checked against the file as it is.
            var (redacted, publicKeys) = SecretLines.Redact(bytes);
            return BrokerResult<FileContent>.Success(new FileContent(path.Requested, redacted, FileTags.Of(bytes), publicKeys));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return BrokerResult<FileContent>.Fail(BrokerErrorKind.NotFound, $"{path.Requested} does not exist.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return BrokerResult<FileContent>.Fail(BrokerErrorKind.Failed, $"{path.Requested} cannot be read: {e.Message}");
        }
    }

    /// <summary>The host file that answers a read of <paramref name="path"/>: the file itself, except where the demo
    /// host plays a recording of a counter file.</summary>
    protected virtual string ReadSource(RootedPath path) => path.HostPath;

    internal BrokerResult<WriteFileResult> WriteFile(BrokerCaller caller, WriteFileRequest request)
    {
        if (Resolve(caller, request.Path, write: true, out var path) is { } refusal) return Refuse<WriteFileResult>(refusal);
        if (request.Mode is < 0 or > WriteFileRequest.MaxMode)
            return BrokerResult<WriteFileResult>.Fail(BrokerErrorKind.Invalid, "A file mode is 0 to 0777 (permission bits only).");
        try
        {
            // One writer at a time, so the conflict check and the rename cannot interleave with another request's.
            lock (_writeGate) return Replace(caller, path, request);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Writing {Path} for {Module} failed: {Error}", path.Canonical, caller.Module, e.Message);
            return BrokerResult<WriteFileResult>.Fail(BrokerErrorKind.Failed, $"{path.Requested} cannot be written: {e.Message}");
        }
    }

    internal BrokerResult<IReadOnlyList<DirectoryEntry>> ListDirectory(BrokerCaller caller, ListDirectoryRequest request)
    {
        if (RootedPath.Validate(request.Path) is { } invalid) return BrokerResult<IReadOnlyList<DirectoryEntry>>.Fail(BrokerErrorKind.Invalid, invalid);
        var manifest = catalog.FindCaller(caller.Module);
        var requested = RootedPath.Normalize(request.Path);
        if (manifest is null || !manifest.Capabilities.MayList(requested))
            return BrokerResult<IReadOnlyList<DirectoryEntry>>.Fail(BrokerErrorKind.Denied, DeniedMessage(caller, "read", requested));
        RootedPath path;
        try
        {
            path = RootedPath.Resolve(host.Root, requested);
        }
        catch (IOException e)
        {
            return BrokerResult<IReadOnlyList<DirectoryEntry>>.Fail(BrokerErrorKind.Invalid, e.Message);
        }
        if (!manifest.Capabilities.MayList(path.Canonical))
            return BrokerResult<IReadOnlyList<DirectoryEntry>>.Fail(BrokerErrorKind.Denied, DeniedMessage(caller, "read", path.Canonical));
        if (!Directory.Exists(path.HostPath))
            return BrokerResult<IReadOnlyList<DirectoryEntry>>.Fail(BrokerErrorKind.NotFound, $"{requested} is not a folder.");
        var entries = new DirectoryInfo(path.HostPath).EnumerateFileSystemInfos()
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .Select(e => new DirectoryEntry(e.Name, KindOf(e), e is FileInfo f && e.LinkTarget is null ? f.Length : 0))
            .ToList();
        return BrokerResult<IReadOnlyList<DirectoryEntry>>.Success(entries);
    }

    internal BrokerResult<FileStatus> Stat(BrokerCaller caller, StatRequest request) => Stat(caller, request.Path, link: true);

    /// <param name="link">Whether to read what the path points to when it is a link (<see cref="FileStatus.LinkTarget"/>):
    /// a second resolve of its folder and a readlink, which the host's stamps (<see cref="StatFilesRequest"/>) skip.</param>
    internal BrokerResult<FileStatus> Stat(BrokerCaller caller, string requested, bool link)
    {
        if (Resolve(caller, requested, write: false, out var path) is { } refusal) return Refuse<FileStatus>(refusal);
        FileSystemInfo info = Directory.Exists(path.HostPath) ? new DirectoryInfo(path.HostPath) : new FileInfo(path.HostPath);
        if (!info.Exists)
            return BrokerResult<FileStatus>.Success(new FileStatus(path.Requested, false, FileKind.None, 0, 0, null));
        var mode = (int)info.UnixFileMode;
        var size = info is FileInfo file ? file.Length : 0;
        return BrokerResult<FileStatus>.Success(new FileStatus(path.Requested, true, KindOf(info), size, mode,
            new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero), link ? LinkTargetOf(path.Requested) : null));
    }

    /// <summary>What the link at a path points to, as written in it; null when the path is no link. The path's folder
    /// is followed, the path itself is not (Resolve has checked the capability on both).</summary>
    private string? LinkTargetOf(string requested)
    {
        var name = requested[(requested.LastIndexOf('/') + 1)..];
        if (name.Length == 0) return null;
        var folder = RootedPath.Resolve(host.Root, requested[..^(name.Length + 1)] is { Length: > 0 } parent ? parent : "/");
        return new FileInfo(Path.Combine(folder.HostPath, name)).LinkTarget;
    }

    /// <summary>The largest file a module may read at once; config files are far smaller, logs are read in pieces.</summary>
    public const int MaxReadBytes = 16 << 20;

    /// <summary>
    /// Reads at most <see cref="MaxReadBytes"/>; null when the file is larger. The length is not trusted:
    /// /proc files say 0 and grow while read.
    /// </summary>
    private static byte[]? ReadCapped(string hostPath)
    {
        using var stream = new FileStream(hostPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        // Read into an array of the file's size: a growing buffer costs three times the file in allocations (the
        // large-object heap past 85 KB, so full collections), and most reads are of settings files hundreds of KB long.
        var length = stream.CanSeek ? stream.Length : 0; // 0 for /proc files and pipes, whose size is not known ahead
        if (length > MaxReadBytes) return null;
        var bytes = new byte[length];
        var filled = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (filled < bytes.Length) return bytes[..filled]; // it shrank while read
        var next = stream.ReadByte();
        if (next < 0) return bytes;
        // It grew while read, or its size was not known: the rest in chunks.
        using var buffer = new MemoryStream();
        buffer.Write(bytes);
        buffer.WriteByte((byte)next);
        var chunk = new byte[16384];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > MaxReadBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.Length > MaxReadBytes ? null : buffer.ToArray();
    }

    private static byte[] ReadTail(string hostPath, int tail)
    {
        using var stream = new FileStream(hostPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (stream.CanSeek && stream.Length > tail) stream.Seek(-tail, SeekOrigin.End);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        return bytes.Length > tail ? bytes[^tail..] : bytes;
    }

    /// <summary>The users with a live command running now (<see cref="ExecRequest.Live"/>).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _liveCommands = new(StringComparer.Ordinal);

    /// <summary>
    /// Checks the command against the caller's manifest and runs it. A live command (diagnostics: ping, traceroute)
    /// hands its lines to <paramref name="output"/> as they come; a user runs one at a time, so a page reloaded or an
    /// API client in a loop cannot keep many probes going at once.
    /// </summary>
    internal BrokerResult<ExecResult> Exec(BrokerCaller caller, ExecRequest request, Action<string>? output)
    {
        if (CheckExec(caller, request) is { } refusal) return Refuse<ExecResult>(refusal);
        var scrub = ScrubberFor(caller, request);
        if (scrub is not null && output is { } live) output = line => live(scrub(line));
        if (!request.Live) return Scrubbed(RunCommand(caller, request, null), scrub);
        if (!_liveCommands.TryAdd(caller.User, 0))
            return BrokerResult<ExecResult>.Fail(BrokerErrorKind.Busy,
                "Another command of yours is still running; wait for it to finish, then try again.");
        try
        {
            return Scrubbed(RunCommand(caller, request, output), scrub);
        }
        finally
        {
            _liveCommands.TryRemove(caller.User, out _);
        }
    }

    /// <summary>The secret values of the files under the caller's <c>secret</c> paths (folders: their files).</summary>
    private List<SecretValue> SecretValuesOf(BrokerCaller caller)
    {
        var values = new List<SecretValue>();
        if (catalog.FindCaller(caller.Module) is not { } manifest) return values;
        foreach (var declared in manifest.Capabilities.Secret)
        {
            try
            {
                var path = RootedPath.Resolve(host.Root, declared);
                var files = Directory.Exists(path.HostPath) ? Directory.EnumerateFiles(path.HostPath)
                    : File.Exists(path.HostPath) ? [path.HostPath] : [];
                foreach (var file in files)
                    if (new FileInfo(file).LinkTarget is null && ReadCapped(file) is { } bytes) values.AddRange(SecretLines.Values(bytes));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("The secret files of {Module} under {Path} cannot be read to hide their keys: {Error}",
                    caller.Module, declared, e.Message);
            }
        }
        return values;
    }

    /// <summary>
    /// What hides keys in a command's output, for its lines as they come and for its whole output alike; null when
    /// there is nothing to hide. A module with secret files never reads their keys there (wg show's dump prints the
    /// private and preshared keys of a running interface), and a dump's keys that no file holds (set by hand with
    /// <c>wg set</c>) are hidden by their place in it.
    /// </summary>
    private Func<string, string>? ScrubberFor(BrokerCaller caller, ExecRequest request)
    {
        var secrets = SecretValuesOf(caller);
        var wgDump = SecretLines.IsWgDump(request.Argv);
        if (secrets.Count == 0 && !wgDump) return null;
        var all = request.Argv.Contains("all");
        return text => SecretLines.Scrub(wgDump ? SecretLines.ScrubWgDump(text, all) : text, secrets);
    }

    private static BrokerResult<ExecResult> Scrubbed(BrokerResult<ExecResult> result, Func<string, string>? scrub) =>
        scrub is null || result.Value is not { } value ? result
            : result with { Value = value with { Stdout = scrub(value.Stdout), Stderr = scrub(value.Stderr) } };

    /// <summary>Runs a checked command (Alpine) or simulates it (demo); <paramref name="output"/> gets its lines live.</summary>
    protected abstract BrokerResult<ExecResult> RunCommand(BrokerCaller caller, ExecRequest request, Action<string>? output);

    /// <summary>The command's time limit: what the module asked for, within <c>Acf:Exec</c>'s bounds.</summary>
    protected static TimeSpan Timeout(ExecRequest request, ExecOptions limits) =>
        TimeSpan.FromSeconds(Math.Clamp(request.TimeoutSeconds ?? limits.DefaultTimeoutSeconds, 1, limits.MaxTimeoutSeconds));

    /// <summary>True when this host really runs <paramref name="validator"/>: Alpine always, the demo host only its
    /// read-only commands (the others are simulated).</summary>
    protected abstract bool RunsValidator(IReadOnlyList<string> validator);

    /// <summary>Null when the candidate passes; else the validator's own messages. <paramref name="outcome"/>: what the
    /// write's audit entry says of the validator. <paramref name="candidate"/>: the candidate's canonical path (the
    /// target's folder, the temp file's name), where the confined validator finds it.</summary>
    private string? Validate(BrokerCaller caller, IReadOnlyList<string> validator, string candidate, string candidateHostPath,
        out string outcome)
    {
        outcome = "refused";
        if (validator.Count(w => w == WriteFileRequest.FilePlaceholder) != 1)
            return $"A validator names the candidate file exactly once as {WriteFileRequest.FilePlaceholder}.";
        if (catalog.FindCaller(caller.Module) is not { } manifest || !manifest.Capabilities.MayExec(validator))
            return $"Module '{caller.Module}' may not run the validator '{string.Join(' ', validator.Take(4))}': no exec capability covers it.";
        var unavailable = CommandRunner.Locate(validator[0]) is null ? $"{validator[0]} is not installed"
            : RunsValidator(validator) && !sandbox.Available ? $"{ValidatorSandbox.Program} (bubblewrap), which confines validators, is not installed"
            : null;
        if (unavailable is not null)
        {
            // "Checked where the tool is installed": a box without it saves unchecked, and the audit says so. Never
            // unconfined: a validator that reads what the candidate names could print any file of the machine.
            outcome = "unavailable";
            audit.Write(caller, "validate-unavailable", string.Join(' ', validator), argv: validator, detail: unavailable);
            return null;
        }
        var argv = validator.Select(w => w == WriteFileRequest.FilePlaceholder ? candidate : w).ToList();
        var result = RunsValidator(validator)
            ? sandbox.Run(host.Root, ValidatorSandbox.VisibleTo(manifest.Capabilities).Append(candidate), argv)
            : new ExecResult(0, "", "", false, false, Simulated: true);
        outcome = result.Simulated ? "simulated" : $"status {result.Status}";
        audit.Write(caller, result.Simulated ? "validate-simulated" : "validate", string.Join(' ', validator), argv: validator,
            result: new AuditResult(result.Status, Simulated: result.Simulated), detail: $"status {result.Status}");
        if (result.Status == 0) return null;
        // Validators tend to trace everything they read before the error: without the trace, the last lines say why.
        var output = (result.Stderr + "\n" + result.Stdout).Replace(candidate, "(the new file)");
        var lines = Text.ValidatorOutput.Diagnostics(output, File.ReadAllBytes(candidateHostPath)).TakeLast(12);
        return $"{validator[0]} refused the new content; nothing was written.\n{string.Join('\n', lines)}";
    }

    /// <summary>Checks argv's form and the caller's exec capability; null when it may run.</summary>
    protected BrokerError? CheckExec(BrokerCaller caller, ExecRequest request)
    {
        if (request.Argv.Count == 0 || request.Argv.Count > 256)
            return new BrokerError(BrokerErrorKind.Invalid, "A command needs between 1 and 256 argv words.");
        if (request.Argv.Any(w => w.Contains('\0')) || request.Argv[0].Length == 0)
            return new BrokerError(BrokerErrorKind.Invalid, "A command word is empty or contains a NUL character.");
        var manifest = catalog.FindCaller(caller.Module);
        if (manifest is null || !manifest.Capabilities.MayExec(request.Argv))
            return new BrokerError(BrokerErrorKind.Denied,
                $"Module '{caller.Module}' may not run '{string.Join(' ', request.Argv.Take(4))}': no exec capability in its manifest covers it.");
        // A rollback command is checked now, so a module learns at once when its manifest does not cover it.
        if (request.Rollback is { } rollback && (rollback.Count == 0 || rollback.Count > 256 || !manifest.Capabilities.MayExec(rollback)))
            return new BrokerError(BrokerErrorKind.Denied, $"Module '{caller.Module}' may not run the rollback command "
                + $"'{string.Join(' ', rollback.Take(4))}': no exec capability in its manifest covers it.");
        return null;
    }

    /// <summary>
    /// Checks the requested path's form and the caller's capability, resolves it under the root and checks the
    /// capability again on the canonical path, so a symlink cannot lead outside what the manifest grants.
    /// </summary>
    private BrokerError? Resolve(BrokerCaller caller, string requested, bool write, out RootedPath path, bool restore = false)
    {
        path = null!;
        if (RootedPath.Validate(requested) is { } invalid) return new BrokerError(BrokerErrorKind.Invalid, invalid);
        var caps = catalog.FindCaller(caller.Module)?.Capabilities;
        var verb = restore ? "restore" : write ? "write" : "read";
        bool Allowed(string p) => restore ? MayRestore(caller, p) : caps is not null && (write ? caps.MayWrite(p) : caps.MayRead(p));
        var normalized = RootedPath.Normalize(requested);
        if (!Allowed(normalized)) return new BrokerError(BrokerErrorKind.Denied, DeniedMessage(caller, verb, normalized));
        try
        {
            path = RootedPath.Resolve(host.Root, requested);
        }
        catch (IOException e)
        {
            return new BrokerError(BrokerErrorKind.Invalid, e.Message);
        }
        if (path.Canonical != path.Requested && !Allowed(path.Canonical))
            return new BrokerError(BrokerErrorKind.Denied,
                $"{path.Requested} is a link to {path.Canonical}, which module '{caller.Module}' may not {verb}.");
        return null;
    }

    private static string DeniedMessage(BrokerCaller caller, string verb, string path) =>
        $"Module '{caller.Module}' may not {verb} {path}: no '{verb}' capability in its manifest covers it.";

    private static BrokerResult<T> Refuse<T>(BrokerError error) => new(default, error);

    private static FileKind KindOf(FileSystemInfo info) => info switch
    {
        _ when info.LinkTarget is not null => FileKind.Symlink,
        DirectoryInfo => FileKind.Directory,
        FileInfo => FileKind.File,
        _ => FileKind.Other,
    };
}
