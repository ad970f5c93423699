namespace Acf.Web.Auth;

/// <summary>
/// Logins, failed logins and logouts in the audit log, through the broker like every other audited act (the broker
/// writes it; the web process only asks). The user is the name as typed, cut to 64 characters and with control
/// characters replaced, so that a made-up name cannot forge or break a line. Attempts refused while locked are not
/// audited one by one (a flood would fill the disk): the failure that started the lock says so.
/// </summary>
public sealed class LoginAudit(HostActions host, ILogger<LoginAudit> logger)
{
    private const int MaxNameLength = 64;

    public void Record(AuthEvent kind, string user, HttpContext http, string? detail = null)
    {
        var name = new string(user.Take(MaxNameLength).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        var address = ClientAddress(http);
        var result = host.RecordAuthEvent(kind, name, address, detail);
        if (!result.Ok) logger.LogWarning("The audit log did not take the {Event} of {User}: {Error}", kind, name, result.Error!.Message);
    }

    /// <summary>The client's address as the lockout and the audit name it (<c>unknown</c> without a connection, as in tests).</summary>
    public static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
