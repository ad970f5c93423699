using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Acf.Web.Auth;

/// <summary>
/// Login, logout and first-admin setup as plain form posts (cookies cannot be set over a Blazor circuit). Minimal
/// API form binding validates the antiforgery token of login and setup; logout, which binds no form, checks it itself.
/// </summary>
public static class AccountEndpoints
{
    public const string LoginPath = "/login";
    public const int MinPasswordLength = 8;

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account");
        account.MapPost("/login", LoginAsync).AllowAnonymous();
        account.MapPost("/logout", LogoutAsync);
        account.MapPost("/setup", SetupAsync).AllowAnonymous();
        app.MapSecondFactorEndpoints();
        return app;
    }

    private static async Task<IResult> LoginAsync(HttpContext http, [FromForm] string? user, [FromForm] string? password,
        [FromForm] string? returnUrl, UserStore users, LoginThrottle throttle, SecondFactorStore secondFactor,
        SecondFactorPolicy policy, LoginAudit audit, ILogger<UserStore> logger)
    {
        var name = (user ?? "").Trim();
        var address = LoginAudit.ClientAddress(http);
        var back = SafeReturnUrl(returnUrl);
        if (throttle.IsLocked(name, address, out var retryAfter))
        {
            logger.LogWarning("Login for {User} from {Address} refused: locked for {Seconds} s", name, address, (int)retryAfter.TotalSeconds);
            return Results.Redirect(LoginRedirect("locked", back));
        }
        // Every attempt costs a full check, also an empty password or a made-up name: nothing is cheaper to flood.
        var found = users.Verify(name.Length <= 64 ? name : "", password ?? "");
        if (found is null)
        {
            throttle.RecordFailure(name, address, userExists: users.Find(name) is not null);
            logger.LogWarning("Failed login for {User} from {Address}", name, address);
            audit.Record(AuthEvent.LoginFailed, name, http,
                throttle.IsLocked(name, address, out _) ? "wrong password; now locked" : "wrong password");
            return Results.Redirect(LoginRedirect("invalid", back));
        }
        if (await SecondFactorLogin.AfterPasswordAsync(http, found.Name, back, secondFactor) is { } codeStep) return codeStep;
        throttle.RecordSuccess(name, address);
        await SignInAsync(http, found.Name);
        logger.LogInformation("{User} logged in from {Address}", found.Name, address);
        audit.Record(AuthEvent.Login, found.Name, http, "password");
        return Results.LocalRedirect(SecondFactorLogin.Landing(found.Name, back, users, policy));
    }

    /// <summary>Ends the session on the server (a copied cookie and open tabs stop working too), then drops the cookie.
    /// Needs the antiforgery token: no other site can log a user out.</summary>
    private static async Task<IResult> LogoutAsync(HttpContext http, IAntiforgery antiforgery, SessionStore sessions,
        LoginAudit audit, ILogger<UserStore> logger)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            if (http.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false; // a plain 400, not the not-found page
            return Results.BadRequest();
        }
        sessions.End(http.User.FindFirstValue(SessionStore.ClaimType));
        logger.LogInformation("{User} logged out", http.User.Identity?.Name);
        if (http.User.Identity?.Name is { } name) audit.Record(AuthEvent.Logout, name, http);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.LocalRedirect(LoginPath);
    }

    private static async Task<IResult> SetupAsync(HttpContext http, [FromForm] string? token, [FromForm] string? password,
        [FromForm] string? confirm, AdminBootstrap bootstrap, LoginAudit audit)
    {
        var query = $"/setup?token={Uri.EscapeDataString(token ?? "")}";
        if (password is null || password.Length < MinPasswordLength) return Results.LocalRedirect(query + "&error=short");
        if (password != confirm) return Results.LocalRedirect(query + "&error=mismatch");
        if (!bootstrap.CompleteSetup(token, password)) return Results.LocalRedirect(LoginPath);
        await SignInAsync(http, UserStore.FirstAdmin);
        audit.Record(AuthEvent.Login, UserStore.FirstAdmin, http, "first-admin setup");
        return Results.LocalRedirect("/");
    }

    /// <summary>The cookie holds only the name and the session id; roles are read from /etc/acf/passwd on every
    /// request, and the session must still be live on the server (<see cref="SessionStore"/>).</summary>
    internal static Task SignInAsync(HttpContext http, string name)
    {
        var session = http.RequestServices.GetRequiredService<SessionStore>().Start(name);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(SessionStore.ClaimType, session)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        return http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }

    /// <summary>Only a local path may be a return address (no <c>//host</c>, no <c>/\host</c>): no open redirect.</summary>
    public static string SafeReturnUrl(string? url) =>
        url is { Length: > 0 and < 2048 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
            && !url.Any(char.IsControl)
            ? url
            : "/";

    private static string LoginRedirect(string error, string back) =>
        $"{LoginPath}?error={error}&returnUrl={Uri.EscapeDataString(back)}";
}
