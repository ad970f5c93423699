namespace Acf.Broker;

/// <summary>The host's own events (logins, failed logins, logouts) in the same hash-chained audit log as every write.</summary>
internal abstract partial class SystemBroker
{
    internal BrokerResult<bool> RecordEvent(BrokerCaller caller, AuditEventRequest request)
    {
        if (caller.Module != ModuleCatalog.Host.Prefix)
            return BrokerResult<bool>.Fail(BrokerErrorKind.Denied, "Only the host records login events.");
        if (request.Detail is { } detail && (detail.Length > AuditEventRequest.MaxDetailLength || detail.Any(char.IsControl)))
            return BrokerResult<bool>.Fail(BrokerErrorKind.Invalid, "An event's detail is a short line of text.");
        if (caller.User.Length > 64 || caller.User.Any(char.IsControl))
            return BrokerResult<bool>.Fail(BrokerErrorKind.Invalid, "An event's user name is a short line of text.");
        var action = request.Event switch
        {
            AuthEvent.Login => "login",
            AuthEvent.LoginFailed => "login-failed",
            AuthEvent.Logout => "logout",
            _ => null,
        };
        if (action is null) return BrokerResult<bool>.Fail(BrokerErrorKind.Invalid, "There is no such event.");
        Audit.Write(caller, action, caller.User, detail: request.Detail);
        return BrokerResult<bool>.Success(true);
    }
}
