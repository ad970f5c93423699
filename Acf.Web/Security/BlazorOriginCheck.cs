namespace Acf.Web.Security;

/// <summary>
/// The Blazor hub (<c>/_blazor</c>: negotiate, WebSocket, long polling) answers only the app's own pages: a request
/// whose Origin is another site, or that the browser marks as cross-site, is refused with 403 before it reaches
/// SignalR. Cookies are SameSite=Strict already; this also stops other sites under the same registrable domain.
/// </summary>
public static class BlazorOriginCheck
{
    public static bool IsAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
            return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
                && string.Equals(uri.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)
                && uri.Port == (request.Host.Port ?? (request.IsHttps ? 443 : 80));
        // A same-origin GET carries no Origin in Chromium; Fetch Metadata still says where it came from.
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        return site.Length == 0 || site is "same-origin";
    }

    public static IApplicationBuilder UseBlazorOriginCheck(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (!context.Request.Path.StartsWithSegments("/_blazor") || IsAllowed(context.Request)) return next(context);
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BlazorOriginCheck))
            .LogWarning("Refused a Blazor connection from origin {Origin} ({Address})", context.Request.Headers.Origin.ToString(),
                context.Connection.RemoteIpAddress);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    });
}
