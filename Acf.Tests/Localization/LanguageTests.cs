namespace Acf.Tests.Localization;

/// <summary>The language of a page: the user's choice (a cookie set by the language menu), else the browser's.</summary>
public partial class LanguageTests(SharedApp app) : IClassFixture<SharedApp>
{
    [Theory]
    [InlineData("de-DE,de;q=0.9,en;q=0.5", "de", "Anmelden")]
    [InlineData("fr-CH, fr;q=0.9", "fr", "Se connecter")]
    [InlineData("ja, en;q=0.5", "en", "Log in")]
    public async Task Login_AcceptLanguage_PageInThatLanguage(string acceptLanguage, string lang, string button)
    {
        var client = app.Factory.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.Add("Accept-Language", acceptLanguage);

        var page = await client.GetStringAsync("/login");

        Assert.Contains($"<html lang=\"{lang}\"", page);
        Assert.Matches(new Regex($@"<button id=""login-submit""[^>]*>\s*{Regex.Escape(button)}\s*</button>"), page);
    }

    [Fact]
    public async Task SetLanguage_WithToken_CookieWinsOverTheBrowserAndBringsBack()
    {
        var client = app.Factory.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.Add("Accept-Language", "de");

        var response = await PostLanguageAsync(client, "fr", "/login?returnUrl=%2Faudit");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login?returnUrl=%2Faudit", response.Headers.Location!.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("acf-language="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        var page = await client.GetStringAsync("/login");
        Assert.Contains("<html lang=\"fr\"", page);
        Assert.Contains("Mot de passe", page);
    }

    [Fact]
    public async Task SetLanguage_WithoutToken_RefusedAndNoCookie()
    {
        var client = app.Factory.CreateBrowserLikeClient();

        var response = await client.PostAsync("/account/language",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["language"] = "de", ["returnUrl"] = "/" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("acf-language=")));
    }

    [Theory]
    [InlineData("xx", "/")]
    [InlineData("de\r\nSet-Cookie: x=1", "/")]
    public async Task SetLanguage_UnknownLanguage_Refused(string language, string returnUrl)
    {
        var client = app.Factory.CreateBrowserLikeClient();

        var response = await PostLanguageAsync(client, language, returnUrl);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SetLanguage_ReturnUrlOfAnotherSite_GoesHome()
    {
        var client = app.Factory.CreateBrowserLikeClient();

        var response = await PostLanguageAsync(client, "de", "//evil.example/");

        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    private static async Task<HttpResponseMessage> PostLanguageAsync(HttpClient client, string language, string returnUrl)
    {
        var page = await client.GetStringAsync("/login");
        var token = WebUtility.HtmlDecode(Token().Match(page).Groups[1].Value);
        return await client.PostAsync("/account/language", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["language"] = language,
            ["returnUrl"] = returnUrl,
        }));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
