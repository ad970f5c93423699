using Acf.Broker;

namespace Acf.Modules.Apply;

/// <summary>
/// The broker as an action under confirm-or-rollback sees it: a decorator over the one <see cref="ISystemBroker.Send{T}"/>
/// that records in <paramref name="journal"/> what a rollback must undo (a file's content before its first change,
/// a link's previous target, every service controlled, the rollback command of a command that ran). It sits in the
/// app, in front of the real broker, so a module running in a worker process cannot leave a change out of the
/// journal. It knows kinds of change, not calls: a new request that changes a file implements <see cref="IFileChange"/>.
/// </summary>
public sealed class JournalingBroker(ISystemBroker inner, ChangeJournal journal) : ISystemBroker
{
    public HostInfo Info => inner.Info;

    public BrokerResult<T> Send<T>(BrokerCaller caller, BrokerRequest<T> request, Action<string>? output = null)
    {
        if (request is IFileChange change) return KeepingPrevious(caller, change.Path, () => inner.Send(caller, request, output));
        var result = inner.Send(caller, request, output);
        if (!result.Ok) return result;
        switch (request, result.Value)
        {
            case (LinkRequest link, LinkResult { Changed: true } linked):
                journal.RecordLink(RootedPath.Normalize(link.Path), linked.Previous);
                break;
            case (ExecRequest { Rollback: { } rollback }, _):
                journal.RecordCommand(rollback);
                break;
            case (ServiceControlRequest control, _):
                journal.RecordService(control.Name, control.Verb);
                break;
        }
        return result;
    }

    /// <summary>The previous content is kept before the first change of a file, so that a rollback can put it back.</summary>
    private BrokerResult<T> KeepingPrevious<T>(BrokerCaller caller, string path, Func<BrokerResult<T>> change)
    {
        var normalized = RootedPath.Validate(path) is null ? RootedPath.Normalize(path) : path;
        byte[]? previous = null;
        var known = journal.Knows(normalized);
        if (!known)
        {
            var before = inner.Send(caller, new ReadFileRequest(path));
            if (!before.Ok && before.Error!.Kind != BrokerErrorKind.NotFound) return new BrokerResult<T>(default, before.Error);
            previous = before.Value?.Bytes;
        }
        var result = change();
        if (!known && result.Value is WriteFileResult { Changed: true }) journal.RecordFile(normalized, previous);
        return result;
    }
}
