namespace Acf.Broker;

/// <summary>
/// The only door to the machine, as a typed channel: one request record per call (<see cref="BrokerRequest{TResult}"/>),
/// answered by the operation the record names. Requests and results are plain records so that they can cross a
/// process boundary unchanged (worker to app today, app to a separate privileged broker next). The caller names a
/// module; the broker looks its capabilities up in the manifest itself, so a caller can never claim more than its
/// manifest grants. A decorator (confirm-or-rollback's journal) wraps the one <see cref="Send{T}"/>, not each call.
/// </summary>
internal interface ISystemBroker
{
    HostInfo Info { get; }

    /// <summary>Runs one request for <paramref name="caller"/>. <paramref name="output"/> receives a long command's
    /// output lines as they come (apk), where the request produces any.</summary>
    BrokerResult<T> Send<T>(BrokerCaller caller, BrokerRequest<T> request, Action<string>? output = null);
}

/// <summary>A broker in another process (<c>Acf:Broker:Process = separate</c>): the audit chain is verified there, at
/// its start, and told to the app with its first answer.</summary>
internal interface IRemoteBroker
{
    AuditVerification? Chain { get; }
}

/// <summary>
/// Who asks: the signed-in user and the module whose capabilities apply; for the audit also the client address the
/// request came from and the module's <c>controller/action</c> it runs for (unknown for the host's own work).
/// </summary>
public sealed record BrokerCaller(string User, string Module, string? ClientAddress = null, string? Action = null);

public sealed record HostInfo(HostMode Mode, string Root);

public enum BrokerErrorKind
{
    /// <summary>The manifest does not grant it; a module bug, raised as a Lua error.</summary>
    Denied,

    /// <summary>A malformed request (relative path, '..', control characters); raised as a Lua error.</summary>
    Invalid,

    NotFound,

    /// <summary>The file changed since it was read.</summary>
    Conflict,

    /// <summary>The operating system refused or failed.</summary>
    Failed,

    /// <summary>The content was refused by the declared validator; nothing was written.</summary>
    Rejected,

    /// <summary>The user already has a live command running (one at a time per user); nothing was run.</summary>
    Busy,
}

public sealed record BrokerError(BrokerErrorKind Kind, string Message);

public sealed record BrokerResult<T>(T? Value, BrokerError? Error)
{
    public bool Ok => Error is null;

    public static BrokerResult<T> Success(T value) => new(value, null);

    public static BrokerResult<T> Fail(BrokerErrorKind kind, string message) => new(default, new BrokerError(kind, message));
}
