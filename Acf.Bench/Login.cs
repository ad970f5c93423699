using System.Net;
using System.Text.RegularExpressions;

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

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
