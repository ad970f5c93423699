using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace Acf.Web.Localization;

/// <summary>
/// The language menu posts here: the choice is kept in a cookie for a year (the browser's language until then) and
/// the page reloads in it. A form post with the antiforgery token, as logout: no other site can switch it.
/// </summary>
public static class LanguageEndpoints
{
    public const string Path = "/account/language";

    public static IEndpointRouteBuilder MapLanguageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, SetAsync).AllowAnonymous();
        return app;
    }

    private static async Task<IResult> SetAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Refuse(http);
        var form = await http.Request.ReadFormAsync();
        string? language = form["language"];
        if (!Languages.IsSupported(language)) return Refuse(http);
        http.Response.Cookies.Append(Languages.CookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language!)),
            new CookieOptions
            {
                MaxAge = TimeSpan.FromDays(365),
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = http.Request.IsHttps,
                IsEssential = true,
            });
        return Results.LocalRedirect(Acf.Web.Auth.AccountEndpoints.SafeReturnUrl(form["returnUrl"]));
    }

    /// <summary>A plain 400, not the not-found page the status code pages would show.</summary>
    private static IResult Refuse(HttpContext http)
    {
        if (http.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
        return Results.BadRequest();
    }
}
