using Acf.Modules;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;

namespace Acf.Web.Auth;

/// <summary>
/// The signed-in user of a circuit, with roles as /etc/acf/passwd gives them now: a user removed or demoted in the
/// file loses the rights at the next action, not at the next login. A circuit left idle longer than the session
/// timeout has no user any more: the sliding cookie only sees HTTP requests, not clicks over the circuit.
/// </summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication, UserStore users, IOptions<AuthOptions> options,
    TimeProvider time)
{
    private DateTimeOffset _lastActivity = time.GetUtcNow();
    private bool _expired;

    /// <summary>Where the circuit's page was loaded from; set once by the root component from the page request.</summary>
    public RequestOrigin? Origin { get; set; }

    public async Task<AcfPrincipal?> GetAsync()
    {
        var now = time.GetUtcNow();
        _expired |= now - _lastActivity > TimeSpan.FromMinutes(options.Value.IdleTimeoutMinutes);
        _lastActivity = now;
        if (_expired) return null;
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.Identity?.IsAuthenticated == true && users.Principal(state.User.Identity.Name) is { } user
            ? user with { Origin = Origin }
            : null;
    }
}
