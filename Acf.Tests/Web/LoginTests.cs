namespace Acf.Tests.Web;

/// <summary>Each test gets its own app: lockout and first-admin state must not leak between tests.</summary>
public class LoginTests
{
    [Fact]
    public async Task Login_RepeatedFailures_LocksOutEvenTheRightPassword()
    {
        using var factory = new AcfAppFactory();
        var client = factory.CreateBrowserLikeClient();
        for (var i = 0; i < 5; i++) await AcfAppFactory.LoginAsync(client, "root", "wrong-" + i);

        var response = await AcfAppFactory.LoginAsync(client, "root", AcfAppFactory.AdminPassword);

        Assert.Contains("error=locked", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/modules")).StatusCode);
    }

    [Fact]
    public async Task Bootstrap_WithPassword_CreatesRootAdminInPasswd()
    {
        using var factory = new AcfAppFactory();
        _ = factory.Services;

        var passwd = factory.ReadRootFile("/etc/acf/passwd");

        Assert.Matches(@"^root:\$6\$rounds=\d+\$[^:]+:[^:]*:ADMIN(:|\n)", passwd);
        Assert.DoesNotContain(AcfAppFactory.AdminPassword, passwd);
    }

    [Fact]
    public async Task Setup_WithoutPassword_LogsOneTimeLinkThatCreatesRoot()
    {
        using var factory = new AcfAppFactory(adminPassword: null);
        _ = factory.Services;
        var link = factory.LogLines.Select(l => Regex.Match(l, @"/setup\?token=([0-9a-f]+)")).Single(m => m.Success);
        var token = link.Groups[1].Value;
        var client = factory.CreateBrowserLikeClient();
        var page = await client.GetStringAsync($"/setup?token={token}");
        var antiforgery = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(antiforgery),
            ["token"] = token,
            ["password"] = "a-new-root-password",
            ["confirm"] = "a-new-root-password",
        };

        var response = await client.PostAsync("/account/setup", new FormUrlEncodedContent(form));
        var other = factory.CreateBrowserLikeClient();
        var otherPage = await other.GetStringAsync("/login");
        form["__RequestVerificationToken"] = WebUtility.HtmlDecode(
            Regex.Match(otherPage, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);
        var again = await other.PostAsync("/account/setup", new FormUrlEncodedContent(form));

        Assert.Equal("/", response.Headers.Location?.OriginalString);
        await AcfAppFactory.AddAntiforgeryHeaderAsync(client); // answers only a signed-in user
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/modules")).StatusCode);
        Assert.Equal("/login", again.Headers.Location?.OriginalString);
        var fresh = factory.CreateBrowserLikeClient();
        Assert.Equal("/", (await AcfAppFactory.LoginAsync(fresh, UserStore.FirstAdmin, "a-new-root-password")).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Setup_WrongToken_CreatesNoUser()
    {
        using var factory = new AcfAppFactory(adminPassword: null);
        var client = factory.CreateBrowserLikeClient();
        var page = await client.GetStringAsync("/login"); // a wrong link shows no form: take a valid antiforgery token from the login page
        var antiforgery = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;

        var response = await client.PostAsync("/account/setup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(antiforgery),
            ["token"] = "0000",
            ["password"] = "a-new-root-password",
            ["confirm"] = "a-new-root-password",
        }));

        Assert.Equal("/login", response.Headers.Location?.OriginalString);
        Assert.False(File.Exists(Path.Combine(factory.DemoRoot, "etc", "acf", "passwd")));
    }
}
