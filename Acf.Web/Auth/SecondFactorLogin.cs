using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Acf.Web.Auth;

/// <summary>
/// The login's second step. A correct password of a user with a second factor does not sign in: it sets a short
/// "pending" cookie (its own scheme, five minutes, nothing but the name and the return address) and leads to
/// <c>/login/code</c>, whose form posts the code here. Failed codes count in the same lockout as failed passwords,
/// and the user's failures are cleared only once the code is right, so a known password gives no extra guesses.
/// </summary>
public static class SecondFactorLogin
{
    public const string PendingScheme = "AcfPending";
    public const string CodePath = "/login/code";
    public const string AccountPath = "/account";
    private const string ReturnClaim = "acf:return";
    private static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The pending-login cookie, the store, the policy and the user administration.</summary>
    public static IServiceCollection AddAcfSecondFactor(this IServiceCollection services)
    {
        services.AddAuthentication().AddCookie(PendingScheme, cookie =>
        {
            cookie.Cookie.Name = "acf-pending";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.Path = "/";
            cookie.ExpireTimeSpan = PendingLifetime;
            cookie.SlidingExpiration = false;
        });
        services.TryAddSingleton<SecondFactorStore>();
        services.TryAddSingleton<SecondFactorPolicy>();
        services.TryAddSingleton<UserAdmin>();
        services.TryAddSingleton<LoginAudit>();
        return services;
    }

    public static IEndpointRouteBuilder MapSecondFactorEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/login/code", CodeAsync).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// After a correct password: the code step when the user has a second factor (null otherwise, and the caller
    /// signs in as before).
    /// </summary>
    public static async Task<IResult?> AfterPasswordAsync(HttpContext http, string name, string back, SecondFactorStore store)
    {
        if (!store.IsEnrolled(name)) return null;
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ReturnClaim, back)], PendingScheme);
        await http.SignInAsync(PendingScheme, new ClaimsPrincipal(identity));
        return Results.LocalRedirect(CodePath);
    }

    /// <summary>Where a fresh login goes: enrolment first when the policy requires a second factor the user lacks.</summary>
    public static string Landing(string name, string back, UserStore users, SecondFactorPolicy policy) =>
        users.Principal(name) is { } user && policy.MustEnrol(user) ? AccountPath : back;

    private static async Task<IResult> CodeAsync(HttpContext http, [FromForm] string? code, UserStore users,
        SecondFactorStore store, SecondFactorPolicy policy, LoginThrottle throttle, LoginAudit audit, ILogger<SecondFactorStore> logger)
    {
        var pending = await http.AuthenticateAsync(PendingScheme);
        var name = pending.Principal?.Identity?.Name;
        if (!pending.Succeeded || name is null) return Results.LocalRedirect(AccountEndpoints.LoginPath + "?error=expired");
        var back = AccountEndpoints.SafeReturnUrl(pending.Principal!.FindFirstValue(ReturnClaim));
        var address = LoginAudit.ClientAddress(http);
        if (throttle.IsLocked(name, address, out _))
        {
            await http.SignOutAsync(PendingScheme);
            logger.LogWarning("Code for {User} from {Address} refused: locked", name, address);
            return Results.LocalRedirect(AccountEndpoints.LoginPath + "?error=locked");
        }
        var result = code is { Length: > 0 and <= 64 } ? store.Check(name, code, name) : CodeCheck.Invalid;
        if (result is CodeCheck.Invalid or CodeCheck.Replayed)
        {
            throttle.RecordFailure(name, address, userExists: true);
            logger.LogWarning("Wrong second-factor code ({Result}) for {User} from {Address}", result, name, address);
            var locked = throttle.IsLocked(name, address, out _);
            audit.Record(AuthEvent.LoginFailed, name, http,
                (result == CodeCheck.Replayed ? "replayed code" : "wrong code") + (locked ? "; now locked" : ""));
            if (locked)
            {
                await http.SignOutAsync(PendingScheme);
                return Results.LocalRedirect(AccountEndpoints.LoginPath + "?error=locked");
            }
            return Results.LocalRedirect(CodePath + (result == CodeCheck.Replayed ? "?error=replayed" : "?error=invalid"));
        }
        throttle.RecordSuccess(name, address);
        await http.SignOutAsync(PendingScheme);
        await AccountEndpoints.SignInAsync(http, name);
        logger.LogInformation("{User} logged in from {Address} with {Kind}", name, address,
            result == CodeCheck.RecoveryCodeUsed ? "a recovery code" : "a TOTP code");
        audit.Record(AuthEvent.Login, name, http, result == CodeCheck.RecoveryCodeUsed ? "password and recovery code" : "password and TOTP code");
        return Results.LocalRedirect(Landing(name, back, users, policy));
    }

    /// <summary>
    /// Confines a signed-in user who must enrol and has not to the account page (and what it needs to load): page
    /// requests are sent to /account, API calls get 403. Module actions over the circuit are refused by
    /// <see cref="CurrentUser"/>.
    /// </summary>
    public static IApplicationBuilder UseSecondFactorGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        if (context.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme, Name: { } name }
            && !IsAllowedWhileEnrolling(path)
            && context.RequestServices.GetRequiredService<UserStore>().Principal(name) is { } user
            && context.RequestServices.GetRequiredService<SecondFactorPolicy>().MustEnrol(user))
        {
            if (path.StartsWithSegments("/api"))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsJsonAsync(new { error = "Set up the second factor on /account first." });
                return;
            }
            context.Response.Redirect(AccountPath);
            return;
        }
        await next();
    });

    private static bool IsAllowedWhileEnrolling(PathString path) =>
        path == AccountPath || path.StartsWithSegments("/account/logout") || path.StartsWithSegments("/login")
        || path.StartsWithSegments("/_blazor") || path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content")
        || path.StartsWithSegments("/not-found") || path.StartsWithSegments("/Error") || path.StartsWithSegments("/healthz")
        || Path.HasExtension(path.Value); // the app's own css and images
}
