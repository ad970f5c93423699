using Microsoft.AspNetCore.Components.Authorization;

namespace Acf.Web.Auth;

/// <summary>
/// The signed-in user of a circuit, with roles as /etc/acf/passwd gives them now: a user removed or demoted in the
/// file loses the rights at the next action, not at the next login; so does one whose session ended
/// (<see cref="SessionStore"/>). A circuit left idle longer than the session
/// timeout has no user any more: the sliding cookie only sees HTTP requests, not clicks over the circuit.
/// A user who must set up a second factor first (<see cref="SecondFactorPolicy"/>) has no user here either, except on
/// the account page, which asks <see cref="GetForAccountAsync"/>.
/// </summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication, UserStore users, IOptions<AuthOptions> options,
    TimeProvider time, SecondFactorPolicy policy, SessionStore sessions)
{
    private DateTimeOffset _lastActivity = time.GetUtcNow();
    private bool _expired;

    /// <summary>Where the circuit's page was loaded from; set once by the root component from the page request.</summary>
    public RequestOrigin? Origin { get; set; }

    public async Task<AcfPrincipal?> GetAsync() =>
        await GetForAccountAsync() is { } user && !policy.MustEnrol(user) ? user : null;

    /// <summary>True when the signed-in user must set up a second factor before anything else.</summary>
    public async Task<bool> MustEnrolAsync() => await GetForAccountAsync() is { } user && policy.MustEnrol(user);

    /// <summary>The signed-in user even while a second factor is still to be set up: for the account page only.</summary>
    public async Task<AcfPrincipal?> GetForAccountAsync()
    {
        var now = time.GetUtcNow();
        _expired |= now - _lastActivity > TimeSpan.FromMinutes(options.Value.IdleTimeoutMinutes);
        _lastActivity = now;
        if (_expired) return null;
        var state = await authentication.GetAuthenticationStateAsync();
        // The session is checked before every action: a logout in another tab, a lock or a password change ends this
        // circuit too, although its authentication state was captured when it started.
        if (state.User.Identity is not { IsAuthenticated: true, Name: { } name } || !sessions.IsCurrent(state.User)) return null;
        return users.Principal(name) is { } user ? user with { Origin = Origin } : null;
    }

    /// <summary>The circuit's session id (to keep this session when the user changes their own password).</summary>
    public async Task<string?> SessionIdAsync() =>
        (await authentication.GetAuthenticationStateAsync()).User.FindFirst(SessionStore.ClaimType)?.Value;
}
