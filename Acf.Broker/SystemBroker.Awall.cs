using System.Text.RegularExpressions;

namespace Acf.Broker;

/// <summary>Removing files and switching awall's optional policies: both checked against the write capability,
/// both audited, so a module never needs a shell or a generic link call for them.</summary>
public abstract partial class SystemBroker
{
    public const string AwallFolder = "/etc/awall";

    /// <summary>awall's policy names: the file name of <c>optional/NAME.json</c>.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    public static partial Regex AwallPolicyName();

    public BrokerResult<WriteFileResult> RemoveFile(BrokerCaller caller, RemoveFileRequest request)
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
                KeepInHistory(path.Canonical, existing, File.GetUnixFileMode(path.HostPath));
                File.Delete(path.HostPath);
                audit.Write(caller, "remove", path.Canonical, files: [new AuditFile(path.Canonical, Sha256(existing), null)],
                    sizeBefore: existing.Length, sizeAfter: 0);
                return BrokerResult<WriteFileResult>.Success(new WriteFileResult(path.Requested, FileTags.Absent, true, existing.Length, 0));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return BrokerResult<WriteFileResult>.Fail(BrokerErrorKind.Failed, $"{path.Requested} cannot be removed: {e.Message}");
        }
    }

    public BrokerResult<ExecResult> SetAwallPolicy(BrokerCaller caller, AwallPolicyRequest request)
    {
        if (!AwallPolicyName().IsMatch(request.Name))
            return BrokerResult<ExecResult>.Fail(BrokerErrorKind.Invalid, "Not a valid awall policy name: " + Printable(request.Name));
        var link = $"{AwallFolder}/{request.Name}.json";
        if (Capabilities(caller)?.MayWrite(link) != true)
            return BrokerResult<ExecResult>.Fail(BrokerErrorKind.Denied, DeniedMessage(caller, "write", link));
        var optional = RootedPath.Resolve(host.Root, $"{AwallFolder}/optional/{request.Name}.json");
        if (request.Enabled && !File.Exists(optional.HostPath))
            return BrokerResult<ExecResult>.Fail(BrokerErrorKind.NotFound, $"There is no optional policy {AwallFolder}/optional/{request.Name}.json.");
        try
        {
            ExecResult result;
            lock (_writeGate) result = SwitchAwallPolicy(request.Name, request.Enabled);
            audit.Write(caller, request.Enabled ? "awall-enable" : "awall-disable", request.Name, result: Outcome(result), detail: Detail(result));
            return BrokerResult<ExecResult>.Success(result);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return BrokerResult<ExecResult>.Fail(BrokerErrorKind.Failed, $"{link} cannot be changed: {e.Message}");
        }
    }

    /// <summary>Alpine runs <c>awall enable|disable NAME</c>; the demo host makes or removes the link itself.</summary>
    protected abstract ExecResult SwitchAwallPolicy(string name, bool enabled);
}
