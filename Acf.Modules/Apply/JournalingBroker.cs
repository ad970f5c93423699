using Acf.Broker;
using Acf.Broker.Apk;
using Acf.Broker.OpenRc;

namespace Acf.Modules.Apply;

/// <summary>
/// The broker as an action under confirm-or-rollback sees it: every call goes to <paramref name="inner"/>, and the
/// changes a rollback must undo are recorded in <paramref name="journal"/> on the way (a file's content before its
/// first write, every service controlled). It sits in the app, in front of the real broker, so a module running in a
/// worker process cannot leave a change out of the journal. A new broker method is one more forwarding line here.
/// </summary>
public sealed class JournalingBroker(ISystemBroker inner, ChangeJournal journal) : ISystemBroker
{
    public HostInfo Info => inner.Info;

    public BrokerResult<FileContent> ReadFile(BrokerCaller caller, ReadFileRequest request) => inner.ReadFile(caller, request);

    public BrokerResult<WriteFileResult> WriteFile(BrokerCaller caller, WriteFileRequest request) =>
        KeepingPrevious(caller, request.Path, () => inner.WriteFile(caller, request));

    public BrokerResult<WriteFileResult> RemoveFile(BrokerCaller caller, RemoveFileRequest request) =>
        KeepingPrevious(caller, request.Path, () => inner.RemoveFile(caller, request));

    public BrokerResult<ExecResult> SetAwallPolicy(BrokerCaller caller, AwallPolicyRequest request)
    {
        var wasEnabled = false;
        if (SystemBroker.AwallPolicyName().IsMatch(request.Name))
        {
            var before = inner.Stat(caller, new StatRequest($"{SystemBroker.AwallFolder}/{request.Name}.json"));
            wasEnabled = before.Ok && before.Value!.Exists;
        }
        var result = inner.SetAwallPolicy(caller, request);
        if (result.Ok && result.Value!.Status == 0 && wasEnabled != request.Enabled) journal.RecordPolicy(request.Name, wasEnabled);
        return result;
    }

    public BrokerResult<IReadOnlyList<FileVersion>> ListHistory(BrokerCaller caller, HistoryRequest request) => inner.ListHistory(caller, request);

    public BrokerResult<FileContent> ReadVersion(BrokerCaller caller, VersionRequest request) => inner.ReadVersion(caller, request);

    public BrokerResult<WriteFileResult> RestoreFile(BrokerCaller caller, RestoreFileRequest request) =>
        KeepingPrevious(caller, request.Path, () => inner.RestoreFile(caller, request));

    /// <summary>The previous content is kept before the first change of a file, so that a rollback can put it back.</summary>
    private BrokerResult<WriteFileResult> KeepingPrevious(BrokerCaller caller, string path, Func<BrokerResult<WriteFileResult>> change)
    {
        var normalized = RootedPath.Validate(path) is null ? RootedPath.Normalize(path) : path;
        byte[]? previous = null;
        var known = journal.Knows(normalized);
        if (!known)
        {
            var before = inner.ReadFile(caller, new ReadFileRequest(path));
            if (!before.Ok && before.Error!.Kind != BrokerErrorKind.NotFound) return new BrokerResult<WriteFileResult>(null, before.Error);
            previous = before.Value?.Bytes;
        }
        var result = change();
        if (!known && result.Ok && result.Value!.Changed) journal.RecordFile(normalized, previous);
        return result;
    }

    public BrokerResult<IReadOnlyList<DirectoryEntry>> ListDirectory(BrokerCaller caller, ListDirectoryRequest request) => inner.ListDirectory(caller, request);

    public BrokerResult<FileStatus> Stat(BrokerCaller caller, StatRequest request) => inner.Stat(caller, request);

    public BrokerResult<ExecResult> Exec(BrokerCaller caller, ExecRequest request)
    {
        var result = inner.Exec(caller, request);
        if (result.Ok && request.Rollback is { } rollback) journal.RecordCommand(rollback);
        return result;
    }

    public BrokerResult<IReadOnlyList<ServiceInfo>> ListServices(BrokerCaller caller) => inner.ListServices(caller);

    public BrokerResult<IReadOnlyList<string>> ListRunlevels(BrokerCaller caller) => inner.ListRunlevels(caller);

    public BrokerResult<ExecResult> ControlService(BrokerCaller caller, ServiceControlRequest request)
    {
        var result = inner.ControlService(caller, request);
        if (result.Ok) journal.RecordService(request.Name, request.Verb);
        return result;
    }

    public BrokerResult<ExecResult> SetServiceRunlevels(BrokerCaller caller, ServiceRunlevelsRequest request) => inner.SetServiceRunlevels(caller, request);

    public BrokerResult<ApkState> ReadPackages(BrokerCaller caller) => inner.ReadPackages(caller);

    public BrokerResult<ExecResult> RunApk(BrokerCaller caller, ApkRequest request, Action<string>? progress = null) => inner.RunApk(caller, request, progress);

    public BrokerResult<LbuReport> ReadLbu(BrokerCaller caller, LbuReadRequest request) => inner.ReadLbu(caller, request);

    public BrokerResult<ExecResult> ChangeLbu(BrokerCaller caller, LbuChangeRequest request) => inner.ChangeLbu(caller, request);
}
