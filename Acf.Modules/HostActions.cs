using System.Text;
using Acf.Modules.Apply;

namespace Acf.Modules;

/// <summary>
/// The host's own reads and writes for the pages, beside <see cref="ModuleRunner"/> (issue 16 item 7): the file history,
/// the audit log, what the app bar shows, the waiting confirm-or-rollback change, and for the login side its audit
/// events and its own files under /etc/acf. Pages reach the machine only through these two, never the broker, so they
/// work the same when the broker is a process of its own whose files the app cannot read. Each call is made as the
/// host pseudo-module with the user and the client address for the audit; the history and the audit log are the
/// ADMIN role's, checked here as module actions are checked against their roles.
/// </summary>
public sealed class HostActions
{
    /// <summary>Who reads the host name and the audit count for every circuit: no user, the host itself.</summary>
    private static readonly BrokerCaller HostCaller = new("acf", ModuleCatalog.Host.Prefix);

    private readonly ISystemBroker _broker;
    private readonly ApplyGuard? _guard;
    private readonly AuditChainStatus? _chain;

    /// <summary>Internal, as the broker and the guard are: the runtime registers it (<c>AddAcfModules</c>) for the pages.</summary>
    /// <param name="guard">Confirm-or-rollback, whose waiting change the pages show and settle (none in tests of the rest).</param>
    /// <param name="chain">The audit chain as last verified, which <see cref="VerifyAudit"/> brings up to date for the
    /// layout's banner.</param>
    internal HostActions(ISystemBroker broker, ApplyGuard? guard = null, AuditChainStatus? chain = null)
    {
        _broker = broker;
        _guard = guard;
        _chain = chain;
    }

    public HostInfo Info => _broker.Info;

    public static bool IsAdmin(AcfPrincipal? user) => user?.EffectiveRoles.Contains(AcfRoles.Admin) == true;

    /// <summary>The files that have kept versions.</summary>
    public BrokerResult<IReadOnlyList<string>> HistoryFiles(AcfPrincipal? user) =>
        AsAdmin(user, "history/list", caller => _broker.Send(caller, new HistoryFilesRequest()));

    /// <summary>A file's kept versions, newest first.</summary>
    public BrokerResult<IReadOnlyList<FileVersion>> FileHistory(AcfPrincipal? user, string path) =>
        AsAdmin(user, "history/list", caller => _broker.Send(caller, new HistoryRequest(path)));

    /// <summary>A kept version's bytes, or the current file's when <paramref name="version"/> is null.</summary>
    public BrokerResult<FileContent> FileVersion(AcfPrincipal? user, string path, string? version) =>
        AsAdmin(user, "history/read", caller => _broker.Send(caller, new VersionRequest(path, version)));

    /// <summary>Puts a kept version back, refused when the file's tag is no longer <paramref name="expectedTag"/>.</summary>
    public BrokerResult<WriteFileResult> RestoreVersion(AcfPrincipal? user, string path, string version, string expectedTag) =>
        AsAdmin(user, "history/restore", caller => _broker.Send(caller, new RestoreFileRequest(path, version, expectedTag)));

    /// <summary>One page of the audit entries that match, newest first.</summary>
    public BrokerResult<AuditPage> AuditQuery(AcfPrincipal? user, AuditQuery query, int skip, int take) =>
        AsAdmin(user, "audit/query", caller => _broker.Send(caller, new AuditQueryRequest(query, skip, take)));

    /// <summary>Checks the audit log's whole chain; the layout's banner then shows what this check found, not only
    /// what the check at start found.</summary>
    public BrokerResult<AuditVerification> VerifyAudit(AcfPrincipal? user)
    {
        var verified = AsAdmin(user, "audit/verify", caller => _broker.Send(caller, new AuditVerifyRequest()));
        if (verified.Ok && _chain is not null) _chain.Last = verified.Value;
        return verified;
    }

    /// <summary>The host name as /etc/hostname has it, or null when it cannot be read. Shown to every page, signed in or not.</summary>
    public string? HostName()
    {
        var read = _broker.Send(HostCaller, new ReadFileRequest("/etc/hostname"));
        return read.Ok ? Encoding.UTF8.GetString(read.Value!.Bytes).Trim() : null;
    }

    /// <summary>The broker's count of audit lines since it started (null when it cannot be asked): a change made
    /// through the broker, by any user or module, moves it.</summary>
    public long? AuditAppends()
    {
        var appends = _broker.Send(HostCaller, new AuditAppendsRequest());
        return appends.Ok ? appends.Value : null;
    }

    /// <summary>One of the host's own files (<c>/etc/acf/otp</c>, <c>/etc/acf/api-tokens</c>), read and written through
    /// the broker as the host pseudo-module: the broker grants only what the host's fixed manifest lists.</summary>
    public HostFile<T> File<T>(string path, Func<string, T> parse, bool secret = false) where T : class =>
        new(_broker, path, parse, secret);

    /// <summary>A login, failed login or logout into the broker's audit log, as <paramref name="user"/> from
    /// <paramref name="clientAddress"/> (the names as typed: the broker refuses control characters and long names).</summary>
    public BrokerResult<bool> RecordAuthEvent(AuthEvent kind, string user, string? clientAddress, string? detail = null) =>
        _broker.Send(new BrokerCaller(user, ModuleCatalog.Host.Prefix, clientAddress), new AuditEventRequest(kind, detail));

    /// <summary>The change waiting to be kept or rolled back, if any.</summary>
    public PendingApply? PendingApply => Guard.Pending?.ForPages();

    /// <summary>How the last waiting change ended.</summary>
    public SettledApply? LastSettled => Guard.LastSettled;

    /// <summary>Raised when a change begins to wait or is settled (on the thread that did it).</summary>
    public event Action? ApplyChanged
    {
        add => Guard.Changed += value;
        remove => Guard.Changed -= value;
    }

    /// <summary>
    /// Keeps or rolls back the waiting change (only the one named <paramref name="id"/>, when given): the user who
    /// applied it may, and an admin may. <see cref="SettleOutcome.NothingWaiting"/> when no such change waits (too
    /// late: it was rolled back, or another one waits now).
    /// </summary>
    public SettleOutcome SettleApply(AcfPrincipal? user, bool keep, string? id = null)
    {
        if (user is null) return SettleOutcome.Forbidden;
        if (Guard.Pending is not { } pending || id is not null && pending.Id != id) return SettleOutcome.NothingWaiting;
        if (pending.User != user.Name && !IsAdmin(user)) return SettleOutcome.Forbidden;
        if (keep) return Guard.Keep(user.Name, pending.Id) ? SettleOutcome.Kept : SettleOutcome.NothingWaiting;
        Guard.RollBack(pending.Id, $"{user.Name} rolled it back");
        return SettleOutcome.RolledBack;
    }

    private ApplyGuard Guard => _guard ?? throw new InvalidOperationException("HostActions was made without confirm-or-rollback.");

    private static BrokerResult<T> AsAdmin<T>(AcfPrincipal? user, string action, Func<BrokerCaller, BrokerResult<T>> send) =>
        IsAdmin(user)
            ? send(new BrokerCaller(user!.Name, ModuleCatalog.Host.Prefix, user.Origin?.ClientAddress, action))
            : BrokerResult<T>.Fail(BrokerErrorKind.Denied, "The file history and the audit log are for administrators.");
}

/// <summary>What became of a request to keep or roll back the waiting change.</summary>
public enum SettleOutcome
{
    Kept,
    RolledBack,

    /// <summary>No change waits, or not the one named (too late).</summary>
    NothingWaiting,

    /// <summary>Neither the user who applied it nor an admin.</summary>
    Forbidden,
}
