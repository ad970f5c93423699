namespace Acf.Broker;

/// <summary>The host's own events that the audit log keeps beside the broker's writes and commands.</summary>
public enum AuthEvent
{
    /// <summary>A user signed in (after the second factor, where there is one).</summary>
    Login,

    /// <summary>A wrong password or code, or an attempt while locked; <see cref="AuditEventRequest.Detail"/> says which.</summary>
    LoginFailed,

    Logout,
}

/// <summary>
/// Records a login, a failed login or a logout in the audit log, as the caller's user and client address. Only the
/// host may send it (a module cannot write audit lines of its own); <paramref name="Detail"/> is a short reason
/// without control characters. The audit line's action is the event in kebab case (<c>login-failed</c>).
/// </summary>
public sealed record AuditEventRequest(AuthEvent Event, string? Detail = null) : BrokerRequest<bool>, IHostRequest
{
    public const int MaxDetailLength = 128;

    internal override BrokerResult<bool> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.RecordEvent(caller, this);
}
