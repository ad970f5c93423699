namespace Acf.Broker;

/// <summary>
/// A request only the host pseudo-module may make: the audit log and the whole history tree are the admin pages'
/// (through the runner's <c>HostActions</c>), never a module's. The broker refuses one from any other caller, and the
/// app's end of a worker's pipe treats one as a protocol violation. They exist so that the pages read the broker's
/// own files through the broker, which may be another process whose files the app has no right to.
/// </summary>
public interface IHostRequest;

/// <summary>The files that have kept versions (paths as the modules name them), in order, at most <paramref name="Limit"/>.</summary>
public sealed record HistoryFilesRequest(int Limit = 1000) : BrokerRequest<IReadOnlyList<string>>, IHostRequest
{
    internal override BrokerResult<IReadOnlyList<string>> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.HistoryFiles(caller, this);
}

/// <summary>One page of the audit entries that match <paramref name="Query"/>, newest first (<see cref="AuditLog.Query"/>).</summary>
public sealed record AuditQueryRequest(AuditQuery Query, int Skip, int Take) : BrokerRequest<AuditPage>, IHostRequest
{
    public const int MaxTake = 500;

    internal override BrokerResult<AuditPage> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.QueryAudit(caller, this);
}

/// <summary>Checks the audit log's chain (<see cref="AuditLog.Verify"/>); it reads the whole log.</summary>
public sealed record AuditVerifyRequest : BrokerRequest<AuditVerification>, IHostRequest
{
    internal override BrokerResult<AuditVerification> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.VerifyAudit(caller);
}

/// <summary>How many lines the audit log has had appended since the broker started: a cache of what the host shows
/// (its name, lbu's count) is stale once this moved, since every change the broker makes is audited after it is made.</summary>
public sealed record AuditAppendsRequest : BrokerRequest<long>, IHostRequest
{
    internal override BrokerResult<long> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.AuditAppends(caller);
}

/// <summary>The state of several of the host's own files (<c>/etc/acf/passwd</c>, <c>roles</c>, <c>api-tokens</c>) in
/// one call: <see cref="HostFileStamps"/> takes them so for a whole HTTP request, where one API read would otherwise
/// stat three of them one round trip at a time. Each path is checked and stat'ed as by <see cref="StatRequest"/>, but
/// without its <see cref="FileStatus.LinkTarget"/> (null: a stamp needs none); the first refusal is the answer.</summary>
public sealed record StatFilesRequest(IReadOnlyList<string> Paths) : BrokerRequest<IReadOnlyList<FileStatus>>, IHostRequest
{
    internal override BrokerResult<IReadOnlyList<FileStatus>> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.StatFiles(caller, this);
}

/// <summary>
/// Waits until one of the host's own files (<paramref name="Paths"/>, as <see cref="StatFilesRequest"/> names them)
/// changes, or <see cref="SystemBroker.LongestHostFilesWait"/> passed, and answers the count of changes the broker has
/// seen since its first watch; <paramref name="Seen"/> is the count the caller knows (-1 at first: the answer then comes
/// at once, with the watch in place). With it an app whose broker is a process of its own keeps the files' stamps
/// between requests instead of asking for them on every one (<see cref="HostStampWatch"/>).
/// </summary>
public sealed record WatchHostFilesRequest(IReadOnlyList<string> Paths, long Seen) : BrokerRequest<long>, IHostRequest
{
    internal override BrokerResult<long> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.WatchHostFiles(caller, this);
}
