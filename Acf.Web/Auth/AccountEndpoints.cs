using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace Acf.Web.Auth;

/// <summary>
/// Login, logout and first-admin setup as plain form posts (cookies cannot be set over a Blazor circuit). Minimal
/// API form binding validates the antiforgery token of every one of them.
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
        SecondFactorPolicy policy, ILogger<UserStore> logger)
    {
        var name = (user ?? "").Trim();
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var back = SafeReturnUrl(returnUrl);
        if (throttle.IsLocked(name, address, out var retryAfter))
        {
            logger.LogWarning("Login for {User} from {Address} refused: locked for {Seconds} s", name, address, (int)retryAfter.TotalSeconds);
            return Results.Redirect(LoginRedirect("locked", back));
        }
        var found = name.Length is > 0 and <= 64 && password is { Length: > 0 } ? users.Verify(name, password) : null;
        if (found is null)
        {
            throttle.RecordFailure(name, address);
            logger.LogWarning("Failed login for {User} from {Address}", name, address);
            return Results.Redirect(LoginRedirect("invalid", back));
        }
        if (await SecondFactorLogin.AfterPasswordAsync(http, found.Name, back, secondFactor) is { } codeStep) return codeStep;
        throttle.RecordSuccess(name, address);
        await SignInAsync(http, found.Name);
        logger.LogInformation("{User} logged in from {Address}", found.Name, address);
        return Results.LocalRedirect(SecondFactorLogin.Landing(found.Name, back, users, policy));
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, ILogger<UserStore> logger)
    {
        logger.LogInformation("{User} logged out", http.User.Identity?.Name);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.LocalRedirect(LoginPath);
    }

    private static async Task<IResult> SetupAsync(HttpContext http, [FromForm] string? token, [FromForm] string? password,
        [FromForm] string? confirm, AdminBootstrap bootstrap)
    {
        var query = $"/setup?token={Uri.EscapeDataString(token ?? "")}";
        if (password is null || password.Length < MinPasswordLength) return Results.LocalRedirect(query + "&error=short");
        if (password != confirm) return Results.LocalRedirect(query + "&error=mismatch");
        if (!bootstrap.CompleteSetup(token, password)) return Results.LocalRedirect(LoginPath);
        await SignInAsync(http, UserStore.FirstAdmin);
        return Results.LocalRedirect("/");
    }

    /// <summary>The cookie holds only the name; roles are read from /etc/acf/passwd on every request.</summary>
    internal static Task SignInAsync(HttpContext http, string name)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], CookieAuthenticationDefaults.AuthenticationScheme);
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
