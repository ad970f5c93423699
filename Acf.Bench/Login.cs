namespace Acf.Bench;

/// <summary>Logs in the way a browser does: the login form's antiforgery token and cookie, then the form post.</summary>
internal static partial class Login
{
    /// <summary>The session cookie (<c>acf=...</c>) for <c>root</c>, ready for a Cookie header.</summary>
    public static async Task<string> CookieAsync(string baseUrl, string user, string password)
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false });
        var page = await http.GetStringAsync(baseUrl + "/login");
        var token = TokenPattern().Match(page) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException("the login page has no antiforgery token");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["user"] = user, ["password"] = password, ["returnUrl"] = "/",
        });
        using var response = await http.PostAsync(baseUrl + "/account/login", form);
        var session = cookies.GetCookies(new Uri(baseUrl))["acf"];
        if (response.StatusCode != HttpStatusCode.Redirect || session is null)
            throw new InvalidOperationException($"login failed: {(int)response.StatusCode} {response.Headers.Location}");
        return $"acf={session.Value}";
    }

    /// <summary>
    /// What an API call that rides on the login cookie needs since cookie API calls require the antiforgery header:
    /// the session and antiforgery cookies, and the header's name and token from <c>GET /api/antiforgery</c>.
    /// </summary>
    public static async Task<ApiCredentials> ApiAsync(string baseUrl, string sessionCookie)
    {
        var cookies = new CookieContainer();
        cookies.SetCookies(new Uri(baseUrl), sessionCookie);
        using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false });
        using var response = await http.GetAsync(baseUrl + "/api/antiforgery");
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"/api/antiforgery answered {(int)response.StatusCode}: {body}");
        using var json = System.Text.Json.JsonDocument.Parse(body);
        var header = json.RootElement.GetProperty("headerName").GetString()!;
        var token = json.RootElement.GetProperty("token").GetString()!;
        return new ApiCredentials(cookies.GetCookieHeader(new Uri(baseUrl)), header, token);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}

/// <summary>The Cookie header and the antiforgery header of an API call made with the login cookie.</summary>
internal sealed record ApiCredentials(string Cookie, string HeaderName, string Token);
