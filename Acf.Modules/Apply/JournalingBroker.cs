namespace Acf.Modules.Apply;

/// <summary>
/// The broker as an action under confirm-or-rollback sees it: a decorator over the one <see cref="ISystemBroker.Send{T}"/>
/// that records in <paramref name="journal"/> what a rollback must undo (a file's content before its first change,
/// a link's previous target, every service controlled, the rollback command of a command that ran). It sits in the
/// app, in front of the real broker, so a module running in a worker process cannot leave a change out of the
/// journal. It knows kinds of change, not calls: a new request that changes a file implements <see cref="IFileChange"/>.
/// Write-ahead (issue 15): the entry is recorded, and with the guard's journal on disk, before the change is sent; a
/// change that did not happen is forgotten again. Only a link's previous target is known after the fact (the broker
/// answers it), so it is recorded right after the link changed.
/// </summary>
internal sealed class JournalingBroker(ISystemBroker inner, ChangeJournal journal) : ISystemBroker
{
    public HostInfo Info => inner.Info;

    public BrokerResult<T> Send<T>(BrokerCaller caller, BrokerRequest<T> request, Action<string>? output = null)
    {
        var checkpoint = journal.Checkpoint();
        try
        {
            switch (request)
            {
                case IFileChange change:
                    if (RecordPrevious(caller, change.Path) is { } unreadable) return new BrokerResult<T>(default, unreadable);
                    break;
                case ExecRequest { Rollback: { } rollback }:
                    journal.RecordCommand(rollback);
                    break;
                case ServiceControlRequest control:
                    journal.RecordService(control.Name, control.Verb);
                    break;
            }
        }
        catch (IOException e)
        {
            return BrokerResult<T>.Fail(BrokerErrorKind.Failed,
                $"Nothing was changed: the rollback record of this confirm-or-rollback action cannot be written: {e.Message}");
        }
        var result = inner.Send(caller, request, output);
        if (request is LinkRequest link && result.Value is LinkResult { Changed: true } linked)
            Quietly(() => journal.RecordLink(RootedPath.Normalize(link.Path), linked.Previous));
        // Nothing happened (refused, or a write of the same bytes): nothing to undo, and no countdown for it.
        var happened = result.Ok && result.Value is not WriteFileResult { Changed: false };
        if (!happened)
        {
            foreach (var stash in journal.StashesSince(checkpoint)) inner.Send(caller, new RemoveFileRequest(stash));
            Quietly(() => journal.Revert(checkpoint));
        }
        return result;
    }

    /// <summary>The previous content is recorded before the first change of a file, so that a rollback can put it back.</summary>
    private BrokerError? RecordPrevious(BrokerCaller caller, string path)
    {
        var normalized = RootedPath.Validate(path) is null ? RootedPath.Normalize(path) : path;
        if (journal.Knows(normalized)) return null;
        var before = inner.Send(caller, new ReadFileRequest(path));
        if (!before.Ok && before.Error!.Kind != BrokerErrorKind.NotFound) return before.Error;
        if (before.Value is not { PublicKeys: not null })
        {
            journal.RecordFile(normalized, before.Value?.Bytes);
            return null;
        }
        // A file of keys (the broker answered it with tokens): its previous content is stashed beside it (0600, no
        // history, like the file), so the rollback record on the data disk holds no key.
        var whole = inner.Send(caller, new ReadFileRequest(path, Whole: true));
        if (!whole.Ok) return whole.Error;
        var stash = JournalFile.StashOf(normalized);
        var stashed = inner.Send(caller, new WriteFileRequest(stash, whole.Value!.Bytes));
        if (!stashed.Ok) return stashed.Error;
        journal.RecordFile(normalized, null, stash);
        return null;
    }

    /// <summary>A record after the change failed to reach the disk: the change is made; the in-memory journal still
    /// has it, and the guard writes it again with the countdown.</summary>
    private static void Quietly(Action record)
    {
        try
        {
            record();
        }
        catch (IOException)
        {
        }
    }
}
