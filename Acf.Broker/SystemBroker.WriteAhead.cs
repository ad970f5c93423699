using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Acf.Broker;

/// <summary>
/// Write-ahead, then change: every write, restore and removal makes its records durable before the file is touched (the
/// previous content as a history version, then the intent in <see cref="IntentJournal"/>), then replaces the file (temp
/// file in the same folder, fsync, rename, fsync of the folder), then seals the audit line and clears the intent. A
/// record that cannot be written (a full data disk) stops the change with the file untouched; an audit line that cannot
/// be written puts the old content back. A crash anywhere leaves an intent that recovery at start finishes or undoes.
/// </summary>
internal abstract partial class SystemBroker
{
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
        // A secret file comes back from a module with tokens where its keys stand: they are put back from the file
        // as it is now (its tag was just checked), so a key never passes through the module and an unchanged save
        // writes the same bytes.
        if (catalog.IsSecret(path.Canonical))
        {
            if (Crypto.SecretLines.Restore(request.Bytes, existing, out var badToken) is not { } restored)
                return BrokerResult<WriteFileResult>.Fail(BrokerErrorKind.Invalid, $"{path.Requested}: {badToken}");
            request = request with { Bytes = restored };
        }
        var newTag = FileTags.Of(request.Bytes);
        var secret = request.Secret || catalog.IsSecret(path.Canonical);
        // A secret is 0600 whatever the caller asks; else the requested mode, or null to keep the file's own.
        var mode = secret ? UnixFileMode.UserRead | UnixFileMode.UserWrite
            : request.Mode is { } bits ? (UnixFileMode)bits : (UnixFileMode?)null;
        if (existing is not null && existing.AsSpan().SequenceEqual(request.Bytes))
        {
            // Same bytes, but a key left readable by others is still put right.
            if (mode is { } wanted && File.GetUnixFileMode(path.HostPath) != wanted)
            {
                File.SetUnixFileMode(path.HostPath, wanted);
                Audit.Write(caller, "chmod", path.Canonical, detail: Convert.ToString((int)wanted, 8));
            }
            return BrokerResult<WriteFileResult>.Success(new WriteFileResult(path.Requested, newTag, false, existing.Length, existing.Length));
        }

        var folder = Path.GetDirectoryName(path.HostPath)!;
        if (!Directory.Exists(folder))
            return BrokerResult<WriteFileResult>.Fail(BrokerErrorKind.NotFound, $"The folder of {path.Requested} does not exist.");

        var previousMode = existing is not null ? File.GetUnixFileMode(path.HostPath) : (UnixFileMode?)null;
        var owner = existing is not null ? UnixFile.Owner(path.HostPath) : null;
        var draft = Draft(caller, action, path.Canonical, existing, request.Bytes, secret, detail);
        ChangeIntent intent;
        // The temp file is private from its first byte: a key must never be readable, not even for a moment.
        var temp = DurableFile.WriteTemp(path.HostPath, request.Bytes);
        try
        {
            FaultPoint.Hit("after-temp");
            if (request.Validator is { } validator)
            {
                var candidate = path.Canonical[..(path.Canonical.LastIndexOf('/') + 1)] + Path.GetFileName(temp);
                if (Validate(caller, validator, candidate, temp, out var validated) is { } rejection)
                {
                    Audit.Write(caller, action + "-refused", path.Canonical,
                        files: [secret ? new AuditFile(path.Canonical, null, null) : new AuditFile(path.Canonical, draft.Before, draft.Before)],
                        result: new AuditResult(Refused: rejection.Split('\n')[0], Validator: validated));
                    return BrokerResult<WriteFileResult>.Fail(BrokerErrorKind.Rejected, rejection);
                }
                draft = draft with { Validator = validated };
            }
            File.SetUnixFileMode(temp, mode ?? previousMode
                ?? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            if (owner is { } keep && UnixFile.Owner(temp) != keep && !UnixFile.SetOwner(temp, keep))
                logger.LogWarning("Could not keep the owner of {Path}", path.Canonical);
            if (WriteAhead(draft with { Temp = Path.GetFileName(temp) }, existing, previousMode, out var why) is not { } recorded)
                return NotRecorded<WriteFileResult>(path, "written", why);
            intent = recorded;
            DurableFile.Commit(temp, path.HostPath);
            FaultPoint.Hit("after-rename");
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        if (Seal(caller, intent, () => PutBack(path.HostPath, existing, previousMode, owner)) is { } unsealed)
            return Refuse<WriteFileResult>(unsealed);
        return BrokerResult<WriteFileResult>.Success(new WriteFileResult(path.Requested, newTag, true, existing?.Length ?? 0, request.Bytes.Length));
    }

    /// <summary>Removes a file write-ahead: its content into history and the intent first, then the unlink.</summary>
    private BrokerResult<WriteFileResult> Delete(BrokerCaller caller, RootedPath path, byte[] existing)
    {
        var previousMode = File.GetUnixFileMode(path.HostPath);
        var owner = UnixFile.Owner(path.HostPath);
        if (WriteAhead(Draft(caller, "remove", path.Canonical, existing, null, catalog.IsSecret(path.Canonical), null), existing, previousMode, out var why) is not { } intent)
            return NotRecorded<WriteFileResult>(path, "removed", why);
        File.Delete(path.HostPath);
        UnixFile.SyncFolder(Path.GetDirectoryName(path.HostPath)!);
        FaultPoint.Hit("after-rename");
        if (Seal(caller, intent, () => PutBack(path.HostPath, existing, previousMode, owner)) is { } unsealed)
            return Refuse<WriteFileResult>(unsealed);
        return BrokerResult<WriteFileResult>.Success(new WriteFileResult(path.Requested, FileTags.Absent, true, existing.Length, 0));
    }

    /// <summary>The full SHA-256 of a file's bytes, as the audit names versions.</summary>
    public static string Sha256(byte[] bytes) => FileTags.Sha256(bytes);

    private ChangeIntent Draft(BrokerCaller caller, string action, string canonical, byte[]? before, byte[]? after, bool secret,
        string? detail) =>
        new(Guid.NewGuid().ToString("N"), action, canonical, before is null ? null : Sha256(before), after is null ? null : Sha256(after),
            null, null, caller.User, caller.Module, caller.ClientAddress, caller.Action, detail, before?.Length ?? 0,
            after?.Length ?? 0, secret, time.GetUtcNow());

    /// <summary>
    /// The records before the change: the intent, naming the history version to come, then the previous content as
    /// that version (not for a secret). The intent comes first so that a crash between the two leaves no version that
    /// nothing names: recovery finds the intent and removes its unused version. Null when either could not be written;
    /// then neither is left behind (no empty or orphan version).
    /// </summary>
    private ChangeIntent? WriteAhead(ChangeIntent draft, byte[]? previous, UnixFileMode? previousMode, out string error)
    {
        error = "";
        var version = previous is not null && !draft.Secret ? NewVersionPath(draft.Path) : null;
        var intent = draft with { Version = version is null ? null : Path.GetFileName(version) };
        var recorded = false;
        try
        {
            _intents.Record(intent);
            recorded = true;
            FaultPoint.Hit("after-intent");
            if (version is not null)
            {
                KeepInHistory(version, previous!, previousMode!.Value);
                FaultPoint.Hit("after-history");
            }
            return intent;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogError("The record of a change to {Path} cannot be written, so the file was not changed: {Error}", draft.Path, e.Message);
            error = e.Message;
            if (version is not null) Quietly(() => DurableFile.Delete(version));
            if (recorded) Quietly(() => _intents.Clear(intent));
            return null;
        }
    }

    private static BrokerResult<T> NotRecorded<T>(RootedPath path, string verb, string why) =>
        BrokerResult<T>.Fail(BrokerErrorKind.Failed,
            $"{path.Requested} was not {verb}: the record of the change (history copy and journal in Acf's data folder) "
            + $"cannot be written: {why}. Nothing was changed.");

    /// <summary>
    /// Writes the audit line of a change that is made, then clears its intent. When the line cannot be written, the
    /// change is undone by <paramref name="undo"/>: a change nobody recorded must not stay. Null on success.
    /// </summary>
    private BrokerError? Seal(BrokerCaller caller, ChangeIntent intent, Action undo)
    {
        try
        {
            WriteAuditOf(caller, intent, detail: intent.Detail);
            FaultPoint.Hit("after-audit");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogError("The audit line of a change to {Path} cannot be written; the change is undone: {Error}", intent.Path, e.Message);
            try
            {
                undo();
                if (intent.Version is { } version) DurableFile.Delete(Path.Combine(HistoryFolder(intent.Path), version));
                _intents.Clear(intent);
            }
            catch (Exception undoError) when (undoError is IOException or UnauthorizedAccessException)
            {
                // The intent stays: recovery at the next start finds the file changed and writes the line then.
                logger.LogCritical("Undoing the unaudited change to {Path} failed: {Error}", intent.Path, undoError.Message);
            }
            return new BrokerError(BrokerErrorKind.Failed,
                $"{intent.Path} was not changed: the audit log cannot be written: {e.Message}. The previous content was put back.");
        }
        Quietly(() => _intents.Clear(intent)); // an intent left over is settled at the next start: the file is already the new one
        Quietly(() => TrimHistory(intent.Path));
        return null;
    }

    /// <summary>The audit line of a change (a secret's names the file only: its hashes would let a reader test guesses).</summary>
    private void WriteAuditOf(BrokerCaller caller, ChangeIntent intent, string? detail, string? action = null, AuditResult? result = null)
    {
        var file = intent.Secret ? new AuditFile(intent.Path, null, null) : new AuditFile(intent.Path, intent.Before, intent.After);
        Audit.Write(caller, action ?? intent.Action, intent.Path, files: [file],
            result: result ?? new AuditResult(Validator: intent.Validator), sizeBefore: intent.SizeBefore, sizeAfter: intent.SizeAfter,
            detail: detail, intent: intent.Id);
    }

    /// <summary>Puts the old content back (or removes a file the change created), with its mode and owner.</summary>
    private static void PutBack(string hostPath, byte[]? previous, UnixFileMode? mode, (uint Uid, uint Gid)? owner)
    {
        if (previous is null)
        {
            DurableFile.Delete(hostPath);
            return;
        }
        var temp = DurableFile.WriteTemp(hostPath, previous);
        try
        {
            if (mode is { } bits) File.SetUnixFileMode(temp, bits);
            if (owner is { } keep) UnixFile.SetOwner(temp, keep);
            DurableFile.Commit(temp, hostPath);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>The path of a new history version of <paramref name="canonical"/> (named by the time of the change).</summary>
    private string NewVersionPath(string canonical) =>
        Path.Combine(HistoryFolder(canonical), time.GetUtcNow().ToString(VersionFormat, CultureInfo.InvariantCulture));

    /// <summary>Keeps <paramref name="previous"/> as the history version <paramref name="version"/>, written whole or not at all.</summary>
    private static void KeepInHistory(string version, byte[] previous, UnixFileMode previousMode)
    {
        FaultPoint.DataDisk();
        Directory.CreateDirectory(Path.GetDirectoryName(version)!);
        // A copy of a file others may not read (a private key) is no more readable than the file was.
        var copyMode = (previousMode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) == 0
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite
            : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        DurableFile.Write(version, previous, copyMode);
    }

    private void TrimHistory(string canonical)
    {
        var folder = HistoryFolder(canonical);
        if (!Directory.Exists(folder)) return;
        foreach (var old in Directory.GetFiles(folder).Where(f => VersionName().IsMatch(Path.GetFileName(f)))
                     .Order(StringComparer.Ordinal).SkipLast(data.Value.HistoryDepth))
            File.Delete(old);
    }

    private void Quietly(Action step)
    {
        try
        {
            step();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Tidying after a change failed: {Error}", e.Message);
        }
    }
}
