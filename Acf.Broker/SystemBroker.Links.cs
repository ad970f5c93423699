namespace Acf.Broker;

/// <summary>Removing files and making or removing symbolic links: both checked against the write capability (a
/// link's target too), both audited, so a module never needs a shell for them, and no tool's own switch (such as
/// <c>awall enable</c>, which only makes such a link) needs a call of its own.</summary>
internal abstract partial class SystemBroker
{
    private const int MaxLinkTarget = 4096;

    internal BrokerResult<WriteFileResult> RemoveFile(BrokerCaller caller, RemoveFileRequest request)
    {
        if (Resolve(caller, request.Path, write: true, out var path) is { } refusal) return Refuse<WriteFileResult>(refusal);
        try
        {
            lock (_writeGate)
            {
                if (Directory.Exists(path.HostPath)) return BrokerResult<WriteFileResult>.Fail(BrokerErrorKind.Invalid, $"{path.Requested} is a folder.");
                if (!File.Exists(path.HostPath))
                    return BrokerResult<WriteFileResult>.Success(new WriteFileResult(path.Requested, FileTags.Absent, false, 0, 0));
                var existing = ReadCapped(path.HostPath);
                if (existing is null) return BrokerResult<WriteFileResult>.Fail(BrokerErrorKind.Failed, $"{path.Requested} is too large.");
                if (request.ExpectedTag is not null && request.ExpectedTag != FileTags.Of(existing))
                    return BrokerResult<WriteFileResult>.Fail(BrokerErrorKind.Conflict,
                        $"{path.Requested} changed since it was read; nothing was removed. Reload the page and try again.");
                return Delete(caller, path, existing);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return BrokerResult<WriteFileResult>.Fail(BrokerErrorKind.Failed, $"{path.Requested} cannot be removed: {e.Message}");
        }
    }

    internal BrokerResult<LinkResult> Link(BrokerCaller caller, LinkRequest request)
    {
        if (RootedPath.Validate(request.Path) is { } invalid) return BrokerResult<LinkResult>.Fail(BrokerErrorKind.Invalid, invalid);
        var requested = RootedPath.Normalize(request.Path);
        var caps = Capabilities(caller);
        if (requested == "/" || caps?.MayWrite(requested) != true)
            return BrokerResult<LinkResult>.Fail(BrokerErrorKind.Denied, DeniedMessage(caller, "write", requested));
        var name = requested[(requested.LastIndexOf('/') + 1)..];
        try
        {
            // The link itself is not followed (it is what changes); its folder is, and must stay within the capability.
            var folder = RootedPath.Resolve(host.Root, requested[..^(name.Length + 1)] is { Length: > 0 } parent ? parent : "/");
            var canonical = folder.Canonical.TrimEnd('/') + "/" + name;
            if (!caps.MayWrite(canonical))
                return BrokerResult<LinkResult>.Fail(BrokerErrorKind.Denied, $"{requested} lies in a linked folder, at {canonical}, which module '{caller.Module}' may not write.");
            if (!Directory.Exists(folder.HostPath))
                return BrokerResult<LinkResult>.Fail(BrokerErrorKind.NotFound, $"The folder of {requested} does not exist.");
            if (request.Target is { } target && CheckLinkTarget(caller, caps, folder.Canonical, target) is { } refusal)
                return Refuse<LinkResult>(refusal);
            lock (_writeGate) return Relink(caller, requested, Path.Combine(folder.HostPath, name), request.Target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return BrokerResult<LinkResult>.Fail(BrokerErrorKind.Failed, $"{requested} cannot be linked: {e.Message}");
        }
    }

    /// <summary>A target is a plain path (no '.', '..' or control characters) to an existing file the caller may write
    /// or one under its manifest's <c>linkTargets</c>: a link must never make a tool that runs as root read what the
    /// module could not write itself, unless the manifest names it as a public file meant to be linked to.</summary>
    private BrokerError? CheckLinkTarget(BrokerCaller caller, Catalog.ModuleCapabilities caps, string folder, string target)
    {
        if (target.Length is 0 or > MaxLinkTarget || target.Any(char.IsControl) || target.Split('/').Any(p => p is "." or ".."))
            return new BrokerError(BrokerErrorKind.Invalid, "A link target is a path without '.', '..' or control characters.");
        var named = RootedPath.Normalize(target.StartsWith('/') ? target : folder.TrimEnd('/') + "/" + target);
        var resolved = RootedPath.Resolve(host.Root, named);
        if (!caps.MayLinkTo(named) || !caps.MayLinkTo(resolved.Canonical))
            return new BrokerError(BrokerErrorKind.Denied, $"Module '{caller.Module}' may not link to {resolved.Canonical}: links point only to files it may write or to its declared link targets.");
        return File.Exists(resolved.HostPath) && !Directory.Exists(resolved.HostPath)
            ? null
            : new BrokerError(BrokerErrorKind.NotFound, $"There is no file {named} to link to.");
    }

    private BrokerResult<LinkResult> Relink(BrokerCaller caller, string requested, string hostPath, string? target)
    {
        var info = new FileInfo(hostPath);
        var previous = info.LinkTarget;
        if (previous is null && (info.Exists || Directory.Exists(hostPath)))
            return BrokerResult<LinkResult>.Fail(BrokerErrorKind.Failed, $"{requested} is a file, not a link; it is left as it is.");
        if (previous == target) return BrokerResult<LinkResult>.Success(new LinkResult(requested, previous, false));
        if (target is null)
        {
            File.Delete(hostPath);
        }
        else
        {
            // A new link next to the old one, renamed over it: the path is the old link or the new one, never missing.
            var temp = Path.Combine(Path.GetDirectoryName(hostPath)!, $".{Path.GetFileName(hostPath)}.acf-{Guid.NewGuid():N}.tmp");
            File.CreateSymbolicLink(temp, target);
            try
            {
                File.Move(temp, hostPath, overwrite: true);
            }
            finally
            {
                if (new FileInfo(temp).LinkTarget is not null) File.Delete(temp);
            }
        }
        audit.Write(caller, target is null ? "unlink" : "link", requested,
            detail: $"{(target is null ? "removed" : "to " + target)}; before: {previous ?? "none"}");
        return BrokerResult<LinkResult>.Success(new LinkResult(requested, previous, true));
    }
}
