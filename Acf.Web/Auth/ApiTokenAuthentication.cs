using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Acf.Web.Auth;

/// <summary>
/// <c>Authorization: Bearer acf_...</c> on <c>/api/*</c>. The principal carries the token's id and roles; what the
/// token may do is worked out at each request from the user's roles as they are then (<see cref="ApiCaller"/>).
/// </summary>
public sealed class ApiTokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, ApiTokenStore tokens, UserStore users, LoginThrottle throttle)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    public const string TokenIdClaim = "acf:token";
    public const string TokenRoleClaim = "acf:token-role";

    /// <summary>The default scheme: a bearer token on the API, the login cookie everywhere else (pages, the Blazor hub).</summary>
    public const string SelectorScheme = "acf";

    public static string SelectScheme(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api")
        && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? SchemeName
            : CookieAuthenticationDefaults.AuthenticationScheme;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Task.FromResult(AuthenticateResult.NoResult());
        var address = Context.Connection.RemoteIpAddress?.ToString();
        var (token, failure) = tokens.Authenticate(header["Bearer ".Length..].Trim(), address);
        if (token is not null && users.Find(token.User) is null) (token, failure) = (null, "its user no longer exists");
        if (token is not null && throttle.IsLockedByHand(token.User)) (token, failure) = (null, "its user is locked");
        if (token is null)
        {
            Logger.LogWarning("API token refused from {Address}: {Reason}", address, failure);
            return Task.FromResult(AuthenticateResult.Fail(failure!));
        }
        var claims = new List<Claim> { new(ClaimTypes.Name, token.User), new(TokenIdClaim, token.Id) };
        claims.AddRange(token.Roles.Select(r => new Claim(TokenRoleClaim, r)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        return Task.CompletedTask;
    }
}

/// <summary>Who calls the API, with the rights they have now.</summary>
public static class ApiCaller
{
    /// <summary>
    /// The signed-in user as /etc/acf/passwd has them now; for a token, only the roles both the token and the user
    /// have (a demoted user's tokens lose the rights at once). Null when the user no longer exists.
    /// </summary>
    public static AcfPrincipal? Principal(HttpContext http, UserStore users)
    {
        if (users.Principal(http.User.Identity?.Name) is not { } user) return null;
        if (!http.User.HasClaim(c => c.Type == ApiTokenAuthenticationHandler.TokenIdClaim)) return user;
        return Restrict(user, http.User.FindAll(ApiTokenAuthenticationHandler.TokenRoleClaim).Select(c => c.Value));
    }

    public static AcfPrincipal Restrict(AcfPrincipal user, IEnumerable<string> tokenRoles)
    {
        var granted = AcfRoles.Expand(tokenRoles);
        // A new record, not `with`: EffectiveRoles is computed once from Roles at construction.
        return new AcfPrincipal(user.Name, user.EffectiveRoles.Where(granted.Contains).Order(StringComparer.Ordinal).ToList())
        {
            Origin = user.Origin,
        };
    }
}
