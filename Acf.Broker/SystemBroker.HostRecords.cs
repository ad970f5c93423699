namespace Acf.Broker;

/// <summary>
/// The broker's own records read for the admin pages (<see cref="IHostRequest"/>): the audit log and the history tree
/// live in the broker's data folder, which the app, once it runs as its own user beside a broker process, cannot read.
/// The host alone may ask; which user may see them (ADMIN) is the runner's check, as roles are for module actions.
/// </summary>
internal abstract partial class SystemBroker
{
    internal BrokerResult<IReadOnlyList<string>> HistoryFiles(BrokerCaller caller, HistoryFilesRequest request)
    {
        if (HostOnly<IReadOnlyList<string>>(caller) is { } refused) return refused;
        var root = Host.HistoryPath;
        if (!Directory.Exists(root)) return BrokerResult<IReadOnlyList<string>>.Success([]);
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => "/" + Path.GetRelativePath(root, Path.GetDirectoryName(f)!))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Take(Math.Clamp(request.Limit, 0, 10_000))
            .ToList();
        return BrokerResult<IReadOnlyList<string>>.Success(files);
    }

    internal BrokerResult<AuditPage> QueryAudit(BrokerCaller caller, AuditQueryRequest request)
    {
        if (HostOnly<AuditPage>(caller) is { } refused) return refused;
        if (request.Skip < 0 || request.Take is < 1 or > AuditQueryRequest.MaxTake)
            return BrokerResult<AuditPage>.Fail(BrokerErrorKind.Invalid, $"An audit page skips 0 or more entries and takes 1 to {AuditQueryRequest.MaxTake}.");
        return BrokerResult<AuditPage>.Success(Audit.Query(request.Query, request.Skip, request.Take));
    }

    internal BrokerResult<AuditVerification> VerifyAudit(BrokerCaller caller) =>
        HostOnly<AuditVerification>(caller) ?? BrokerResult<AuditVerification>.Success(Audit.Verify());

    internal BrokerResult<long> AuditAppends(BrokerCaller caller) =>
        HostOnly<long>(caller) ?? BrokerResult<long>.Success(Audit.Appends);

    /// <summary>The most paths one <see cref="StatFilesRequest"/> may name: the host has four files of its own.</summary>
    public const int MaxStatFiles = 16;

    internal BrokerResult<IReadOnlyList<FileStatus>> StatFiles(BrokerCaller caller, StatFilesRequest request)
    {
        if (HostOnly<IReadOnlyList<FileStatus>>(caller) is { } refused) return refused;
        if (request.Paths is not { Count: > 0 and <= MaxStatFiles })
            return BrokerResult<IReadOnlyList<FileStatus>>.Fail(BrokerErrorKind.Invalid, $"StatFiles takes 1 to {MaxStatFiles} paths.");
        var all = new List<FileStatus>(request.Paths.Count);
        foreach (var path in request.Paths)
        {
            var stat = Stat(caller, path, link: false);
            if (!stat.Ok) return BrokerResult<IReadOnlyList<FileStatus>>.Fail(stat.Error!.Kind, stat.Error.Message);
            all.Add(stat.Value!);
        }
        return BrokerResult<IReadOnlyList<FileStatus>>.Success(all);
    }

    /// <summary>The longest a <see cref="WatchHostFilesRequest"/> waits before it answers the count unchanged: the app
    /// then calls again with the host files it knows by then (a store made after the call began has its file watched
    /// within this time; until then requests stat as before). A call every 5 s of quiet costs nothing measurable.</summary>
    public static readonly TimeSpan LongestHostFilesWait = TimeSpan.FromSeconds(5);

    private readonly HostFileChanges _hostFileChanges = new();

    internal BrokerResult<long> WatchHostFiles(BrokerCaller caller, WatchHostFilesRequest request)
    {
        if (HostOnly<long>(caller) is { } refused) return refused;
        if (request.Paths is not { Count: > 0 and <= MaxStatFiles })
            return BrokerResult<long>.Fail(BrokerErrorKind.Invalid, $"WatchHostFiles takes 1 to {MaxStatFiles} paths.");
        var hostPaths = new List<string>(request.Paths.Count);
        foreach (var requested in request.Paths)
        {
            if (Resolve(caller, requested, write: false, out var path) is { } refusal) return Refuse<long>(refusal);
            hostPaths.Add(path.HostPath);
        }
        try
        {
            return BrokerResult<long>.Success(_hostFileChanges.Wait(hostPaths, request.Seen, LongestHostFilesWait));
        }
        catch (IOException e)
        {
            return BrokerResult<long>.Fail(BrokerErrorKind.Failed, e.Message);
        }
    }

    private static BrokerResult<T>? HostOnly<T>(BrokerCaller caller) =>
        caller.Module == ModuleCatalog.Host.Prefix ? null
            : BrokerResult<T>.Fail(BrokerErrorKind.Denied, "Only the host reads the audit log and the whole history.");
}
