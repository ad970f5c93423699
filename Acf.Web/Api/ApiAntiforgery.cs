using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Acf.Web.Api;

/// <summary>
/// An API request that rides on the login cookie must carry the antiforgery header, whatever its method: so no other
/// site, not even one under the same domain, can drive the API through an admin's browser. Token requests need none
/// (a browser never adds an Authorization header by itself). <c>GET /api/antiforgery</c> hands a script its header
/// (no other site can read the answer), and the OpenAPI document is public to every signed-in caller.
/// </summary>
public static class ApiAntiforgery
{
    public const string TokenPath = "/api/antiforgery";
    public const string HeaderName = "RequestVerificationToken";

    private static readonly string[] Exempt = [TokenPath, ApiDocument.Path];

    public static IApplicationBuilder UseApiAntiforgery(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!context.Request.Path.StartsWithSegments("/api")
            || context.User.Identity is not { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme }
            || Exempt.Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase)))
        {
            await next(context);
            return;
        }
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        try
        {
            await antiforgery.ValidateRequestAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsJsonAsync(new
            {
                status = StatusCodes.Status403Forbidden,
                error = $"An API request with the login cookie needs the {HeaderName} header (GET {TokenPath} gives one), or use an API token.",
            });
            return;
        }
        await next(context);
    });

    public static IEndpointRouteBuilder MapAntiforgeryToken(this IEndpointRouteBuilder api)
    {
        api.MapGet("/antiforgery", (HttpContext http, IAntiforgery antiforgery) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(http);
            return Results.Json(new { headerName = tokens.HeaderName, token = tokens.RequestToken });
        });
        return api;
    }
}
