using Acf.Web.Security;

namespace Acf.Tests.Web;

public partial class SecurityHeadersTests(SharedApp app) : IClassFixture<SharedApp>
{
    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content) : "";

    [Theory]
    [InlineData("/login")]
    [InlineData("/healthz")]
    [InlineData("/api/modules")]
    [InlineData("/favicon.png")]
    [InlineData("/no-such-page")]
    [InlineData("/alpine-baselayout/hostname/edit")]
    public async Task AnyResponse_Always_CarriesStrictHeaders(string path)
    {
        var client = app.Factory.CreateBrowserLikeClient();

        var response = await client.GetAsync(path);

        var csp = Header(response, "Content-Security-Policy");
        foreach (var directive in new[] { "default-src 'self'", "frame-ancestors 'self'", "form-action 'self'", "object-src 'none'",
                     "base-uri 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "connect-src 'self'" })
            Assert.Contains(directive, csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.DoesNotMatch("script-src[^;]*'unsafe-inline'", csp);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("SAMEORIGIN", Header(response, "X-Frame-Options"));
    }

    [Fact]
    public async Task Page_ImportMap_IsTheOnlyInlineScriptAndItsHashIsAllowed()
    {
        var client = app.Factory.CreateBrowserLikeClient();

        var response = await client.GetAsync("/login");
        var html = await response.Content.ReadAsStringAsync();

        var inline = InlineScript().Matches(html).Select(m => m.Groups[1].Value).ToList();
        var map = Assert.Single(inline);
        Assert.Contains("\"imports\"", map);
        var scriptSrc = Header(response, "Content-Security-Policy").Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src "));
        Assert.Equal($"script-src 'self' {SecurityHeaders.ScriptHash(map)}", scriptSrc);
    }

    [Fact]
    public async Task Hsts_OverHttps_IsSentWithoutSubdomains()
    {
        var client = app.Factory.CreateClient(new() { BaseAddress = new Uri("https://acf.test/"), AllowAutoRedirect = false });

        var response = await client.GetAsync("/login");

        Assert.Equal("max-age=31536000", Header(response, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task Hsts_OverHttp_IsNotSent()
    {
        var client = app.Factory.CreateClient(new() { BaseAddress = new Uri("http://acf.test/"), AllowAutoRedirect = false });

        var response = await client.GetAsync("/login");

        Assert.Equal("", Header(response, "Strict-Transport-Security"));
    }

    [Theory]
    [InlineData("http://evil.example", null, HttpStatusCode.Forbidden)]
    [InlineData("http://localhost:8080", null, HttpStatusCode.Forbidden)]
    [InlineData("https://localhost", null, HttpStatusCode.Forbidden)]
    [InlineData("null", null, HttpStatusCode.Forbidden)]
    [InlineData(null, "cross-site", HttpStatusCode.Forbidden)]
    [InlineData(null, "same-site", HttpStatusCode.Forbidden)]
    [InlineData("http://localhost", null, HttpStatusCode.OK)]
    [InlineData(null, "same-origin", HttpStatusCode.OK)]
    public async Task BlazorHub_Origin_OnlyOwnOriginAccepted(string? origin, string? fetchSite, HttpStatusCode expected)
    {
        var client = app.Factory.CreateBrowserLikeClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (fetchSite is not null) request.Headers.Add("Sec-Fetch-Site", fetchSite);

        var response = await client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [GeneratedRegex("<script(?![^>]*\\ssrc=)[^>]*>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();
}
