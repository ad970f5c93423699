using System.Security.Cryptography;
using Acf.Broker.Catalog;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acf.Broker;

/// <summary>Content tags: a digest of a file's bytes, or <see cref="Absent"/> for a file that does not exist.</summary>
public static class FileTags
{
    public const string Absent = "absent";

    public static string Of(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes))[..32];
}

/// <summary>
/// What both brokers share: files under the system root, checked against the caller's manifest, written atomically
/// (temp file in the same folder, fsync, rename, owner and mode kept), refused on conflict, the previous version kept
/// in history and every change audited. How commands run is what differs between Alpine and the demo host.
/// </summary>
public abstract partial class SystemBroker(SystemHost host, ModuleCatalog catalog, AuditLog audit, IOptions<DataOptions> data,
    TimeProvider time, ILogger logger, SystemTools tools) : ISystemBroker
{
    private readonly Lock _writeGate = new();

    protected SystemHost Host => host;

    protected AuditLog Audit => audit;

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
            if (request.TailBytes is { } tail)
            {
                var end = ReadTail(path.HostPath, Math.Clamp(tail, 1, MaxReadBytes));
                return BrokerResult<FileContent>.Success(new FileContent(path.Requested, end, FileTags.Of(end)));
            }
            if (ReadCapped(path.HostPath) is not { } bytes)
                return BrokerResult<FileContent>.Fail(BrokerErrorKind.Failed, $"{path.Requested} is larger than {MaxReadBytes >> 20} MiB.");
            return BrokerResult<FileContent>.Success(new FileContent(path.Requested, bytes, FileTags.Of(bytes)));
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

    internal BrokerResult<FileStatus> Stat(BrokerCaller caller, StatRequest request)
    {
        if (Resolve(caller, request.Path, write: false, out var path) is { } refusal) return Refuse<FileStatus>(refusal);
        FileSystemInfo info = Directory.Exists(path.HostPath) ? new DirectoryInfo(path.HostPath) : new FileInfo(path.HostPath);
        if (!info.Exists)
            return BrokerResult<FileStatus>.Success(new FileStatus(path.Requested, false, FileKind.None, 0, 0, null));
        var mode = (int)info.UnixFileMode;
        var size = info is FileInfo file ? file.Length : 0;
        return BrokerResult<FileStatus>.Success(new FileStatus(path.Requested, true, KindOf(info), size, mode,
            new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero)));
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
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > MaxReadBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
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

    internal abstract BrokerResult<ExecResult> Exec(BrokerCaller caller, ExecRequest request);

    /// <summary>Runs a validator on the candidate file (its host path); Alpine runs it, the demo host only when it is read-only.</summary>
    protected abstract ExecResult RunValidator(IReadOnlyList<string> argv);

    /// <summary>Null when the candidate passes; else the validator's own messages. <paramref name="outcome"/>: what the
    /// write's audit entry says of the validator.</summary>
    private string? Validate(BrokerCaller caller, IReadOnlyList<string> validator, string candidateHostPath, out string outcome)
    {
        outcome = "refused";
        if (validator.Count(w => w == WriteFileRequest.FilePlaceholder) != 1)
            return $"A validator names the candidate file exactly once as {WriteFileRequest.FilePlaceholder}.";
        if (!(catalog.FindCaller(caller.Module)?.Capabilities.MayExec(validator) ?? false))
            return $"Module '{caller.Module}' may not run the validator '{string.Join(' ', validator.Take(4))}': no exec capability covers it.";
        if (CommandRunner.Locate(validator[0]) is null)
        {
            // "Checked where the tool is installed": a box without it saves unchecked, and the audit says so.
            outcome = "unavailable";
            audit.Write(caller, "validate-unavailable", string.Join(' ', validator), argv: validator);
            return null;
        }
        var argv = validator.Select(w => w == WriteFileRequest.FilePlaceholder ? candidateHostPath : w).ToList();
        var result = RunValidator(argv);
        outcome = result.Simulated ? "simulated" : $"status {result.Status}";
        audit.Write(caller, result.Simulated ? "validate-simulated" : "validate", string.Join(' ', validator), argv: validator,
            result: new AuditResult(result.Status, Simulated: result.Simulated), detail: $"status {result.Status}");
        if (result.Status == 0) return null;
        // Validators tend to log everything they read before the error: the last lines say why.
        var lines = (result.Stderr + "\n" + result.Stdout).Replace(candidateHostPath, "(the new file)")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .TakeLast(12);
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

    private BrokerResult<WriteFileResult> Replace(BrokerCaller caller, RootedPath path, WriteFileRequest request,
        string action = "write", string? detail = null)
    {
        var existing = File.Exists(path.HostPath) ? ReadCapped(path.HostPath) : null;
        if (existing is null && File.Exists(path.HostPath))
            return BrokerResult<WriteFileResult>.Fail(BrokerErrorKind.Failed, $"{path.Requested} is larger than {MaxReadBytes >> 20} MiB.");
        var currentTag = existing is null ? FileTags.Absent : FileTags.Of(existing);
        if (request.ExpectedTag is not null && request.ExpectedTag != currentTag)
            return BrokerResult<WriteFileResult>.Fail(BrokerErrorKind.Conflict,
                $"{path.Requested} changed since it was read; nothing was written. Reload the page and make the change again.");
        var newTag = FileTags.Of(request.Bytes);
        // A secret is 0600 whatever the caller asks; else the requested mode, or null to keep the file's own.
        var mode = request.Secret ? UnixFileMode.UserRead | UnixFileMode.UserWrite
            : request.Mode is { } bits ? (UnixFileMode)bits : (UnixFileMode?)null;
        if (existing is not null && existing.AsSpan().SequenceEqual(request.Bytes))
        {
            // Same bytes, but a key left readable by others is still put right.
            if (mode is { } wanted && File.GetUnixFileMode(path.HostPath) != wanted)
            {
                File.SetUnixFileMode(path.HostPath, wanted);
                audit.Write(caller, "chmod", path.Canonical, detail: Convert.ToString((int)wanted, 8));
            }
            return BrokerResult<WriteFileResult>.Success(new WriteFileResult(path.Requested, newTag, false, existing.Length, existing.Length));
        }

        var folder = Path.GetDirectoryName(path.HostPath)!;
        if (!Directory.Exists(folder))
            return BrokerResult<WriteFileResult>.Fail(BrokerErrorKind.NotFound, $"The folder of {path.Requested} does not exist.");

        var before = existing is null ? null : Sha256(existing);
        string? outcome = null;
        var temp = Path.Combine(folder, $".{Path.GetFileName(path.HostPath)}.acf-{Guid.NewGuid():N}.tmp");
        var previousMode = existing is not null ? File.GetUnixFileMode(path.HostPath) : (UnixFileMode?)null;
        try
        {
            // The temp file is private from its first byte: a key must never be readable, not even for a moment.
            using (var stream = new FileStream(temp, new FileStreamOptions
                   {
                       Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                   }))
            {
                stream.Write(request.Bytes);
                stream.Flush(flushToDisk: true);
            }
            string? validated = null;
            if (request.Validator is { } validator && Validate(caller, validator, temp, out validated) is { } rejection)
            {
                audit.Write(caller, action + "-refused", path.Canonical,
                    files: [new AuditFile(path.Canonical, before, before)],
                    result: new AuditResult(Refused: rejection.Split('\n')[0], Validator: validated));
                return BrokerResult<WriteFileResult>.Fail(BrokerErrorKind.Rejected, rejection);
            }
            outcome = validated;
            if (mode is { } wanted)
                File.SetUnixFileMode(temp, wanted);
            if (existing is not null)
            {
                if (mode is null) File.SetUnixFileMode(temp, previousMode!.Value);
                if (UnixFile.Owner(path.HostPath) is { } owner && UnixFile.Owner(temp) != owner && !UnixFile.SetOwner(temp, owner))
                    logger.LogWarning("Could not keep the owner of {Path}", path.Canonical);
            }
            else if (mode is null)
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }
            File.Move(temp, path.HostPath, overwrite: true); // rename(2): readers see the old file or the new one, never half
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        if (existing is not null && !request.Secret) KeepInHistory(path.Canonical, existing, previousMode!.Value);
        // A secret's hashes would let anyone who reads the log test guesses of it: its entry names the file only.
        audit.Write(caller, action, path.Canonical,
            files: [request.Secret ? new AuditFile(path.Canonical, null, null) : new AuditFile(path.Canonical, before, Sha256(request.Bytes))],
            result: new AuditResult(Validator: outcome), sizeBefore: existing?.Length ?? 0, sizeAfter: request.Bytes.Length, detail: detail);
        return BrokerResult<WriteFileResult>.Success(new WriteFileResult(path.Requested, newTag, true, existing?.Length ?? 0, request.Bytes.Length));
    }

    /// <summary>The full SHA-256 of a file's bytes, as the audit names versions.</summary>
    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private void KeepInHistory(string canonical, byte[] previous, UnixFileMode previousMode)
    {
        var folder = Path.Combine(host.HistoryPath, canonical.TrimStart('/'));
        Directory.CreateDirectory(folder);
        var stamp = time.GetUtcNow().ToString(VersionFormat, global::System.Globalization.CultureInfo.InvariantCulture);
        // A copy of a file others may not read (a private key) is no more readable than the file was.
        var copyMode = (previousMode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) == 0
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite
            : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        using (var copy = new FileStream(Path.Combine(folder, stamp), new FileStreamOptions
               {
                   Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = copyMode,
               }))
            copy.Write(previous);
        foreach (var old in Directory.GetFiles(folder).Order(StringComparer.Ordinal).SkipLast(data.Value.HistoryDepth))
            File.Delete(old);
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
