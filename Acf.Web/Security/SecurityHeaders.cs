namespace Acf.Web.Security;

/// <summary>
/// Headers on every response (set as the response starts, so error pages and re-executed status pages carry them too):
/// a strict Content-Security-Policy, nosniff, no referrer, no framing by other sites. The only inline script is
/// the import map, allowed by its hash; MudBlazor needs inline styles (its theme is a generated style element, and
/// components set style attributes), img <c>data:</c> serves QR codes.
/// </summary>
public static class SecurityHeaders
{
    public const string BasePolicy =
        "default-src 'self'; script-src 'self'{0}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'self'; form-action 'self'; object-src 'none'; " +
        "base-uri 'self'";

    private static (ImportMapDefinition Map, string Policy)? _cached;

    /// <summary>The policy for a response: with the hash of the page's import map when the endpoint renders one.</summary>
    public static string Policy(ImportMapDefinition? map)
    {
        if (map is null) return string.Format(BasePolicy, "");
        if (_cached is { } cached && ReferenceEquals(cached.Map, map)) return cached.Policy;
        var policy = string.Format(BasePolicy, " " + ScriptHash(ImportMapScript.Text(map)));
        _cached = (map, policy);
        return policy;
    }

    /// <summary>The CSP source that allows one inline script with exactly this text.</summary>
    public static string ScriptHash(string text) =>
        $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)))}'";

    public static IApplicationBuilder UseAcfSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = Policy(context.GetEndpoint()?.Metadata.GetMetadata<ImportMapDefinition>());
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "SAMEORIGIN"; // frame-ancestors for browsers that predate it
            return Task.CompletedTask;
        });
        return next(context);
    });
}
