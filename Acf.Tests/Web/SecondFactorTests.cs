namespace Acf.Tests.Web;

/// <summary>The login with a second factor through the real forms (password, then the code step); one app per test.</summary>
public partial class SecondFactorTests
{
    private static string CodeAt(string secret, double offsetSeconds) =>
        Totp.Compute(Totp.Decode(secret)!, DateTimeOffset.UtcNow.AddSeconds(offsetSeconds));

    /// <summary>Switches root's second factor on as the account page does; the code of now is then used up.</summary>
    private static (string Secret, IReadOnlyList<string> Codes) Enrol(AcfAppFactory factory, string user = UserStore.FirstAdmin)
    {
        var store = factory.Services.GetRequiredService<SecondFactorStore>();
        var secret = Totp.NewSecret();
        Assert.Equal(CodeCheck.Accepted, store.CheckNew(user, secret, CodeAt(secret, 0)));
        var (codes, error) = store.Enrol(user, secret, user);
        Assert.Null(error);
        return (secret, codes!);
    }

    private static async Task<HttpResponseMessage> PostCodeAsync(HttpClient client, string code)
    {
        var page = await client.GetStringAsync(SecondFactorLogin.CodePath);
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        return await client.PostAsync("/account/login/code", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["code"] = code,
        }));
    }

    [Fact]
    public async Task Login_WithSecondFactor_PasswordLeadsToCodeStepThenSignsIn()
    {
        using var factory = new AcfAppFactory();
        var (secret, _) = Enrol(factory);
        var client = factory.CreateBrowserLikeClient();

        var password = await AcfAppFactory.LoginAsync(client, UserStore.FirstAdmin, AcfAppFactory.AdminPassword);
        var beforeCode = await client.GetAsync("/api/modules");
        var code = await PostCodeAsync(client, CodeAt(secret, 30)); // the next step's code: now's was used to enrol

        Assert.Equal(SecondFactorLogin.CodePath, password.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, beforeCode.StatusCode);
        Assert.Equal("/", code.Headers.Location?.OriginalString);
        await AcfAppFactory.AddAntiforgeryHeaderAsync(client); // cookie API calls carry it
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/modules")).StatusCode);
    }

    [Fact]
    public async Task LoginCode_SameCodeAgain_RefusedAsReplay()
    {
        using var factory = new AcfAppFactory();
        var (secret, _) = Enrol(factory);
        var code = CodeAt(secret, 30);
        var first = factory.CreateBrowserLikeClient();
        await AcfAppFactory.LoginAsync(first, UserStore.FirstAdmin, AcfAppFactory.AdminPassword);
        Assert.Equal("/", (await PostCodeAsync(first, code)).Headers.Location?.OriginalString);
        var second = factory.CreateBrowserLikeClient();
        await AcfAppFactory.LoginAsync(second, UserStore.FirstAdmin, AcfAppFactory.AdminPassword);

        var replay = await PostCodeAsync(second, code);

        Assert.Equal(SecondFactorLogin.CodePath + "?error=replayed", replay.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/modules")).StatusCode);
    }

    [Fact]
    public async Task LoginCode_RecoveryCode_WorksOnceOnly()
    {
        using var factory = new AcfAppFactory();
        var (_, codes) = Enrol(factory);
        var first = factory.CreateBrowserLikeClient();
        await AcfAppFactory.LoginAsync(first, UserStore.FirstAdmin, AcfAppFactory.AdminPassword);
        var used = await PostCodeAsync(first, codes[0]);
        var second = factory.CreateBrowserLikeClient();
        await AcfAppFactory.LoginAsync(second, UserStore.FirstAdmin, AcfAppFactory.AdminPassword);

        var again = await PostCodeAsync(second, codes[0]);

        Assert.Equal("/", used.Headers.Location?.OriginalString);
        Assert.Equal(SecondFactorLogin.CodePath + "?error=invalid", again.Headers.Location?.OriginalString);
        Assert.Equal(SecondFactorStore.RecoveryCodeCount - 1, factory.Services.GetRequiredService<SecondFactorStore>().RecoveryCodesLeft("root"));
    }

    [Fact]
    public async Task LoginCode_RepeatedWrongCodes_LockOutEvenTheRightCode()
    {
        using var factory = new AcfAppFactory();
        Enrol(factory);
        var client = factory.CreateBrowserLikeClient();
        await AcfAppFactory.LoginAsync(client, UserStore.FirstAdmin, AcfAppFactory.AdminPassword);
        HttpResponseMessage? last = null;
        for (var i = 0; i < 5; i++) last = await PostCodeAsync(client, i == 0 ? "12345678" : "not-a-code");

        var password = await AcfAppFactory.LoginAsync(client, UserStore.FirstAdmin, AcfAppFactory.AdminPassword);

        Assert.Equal("/login?error=locked", last!.Headers.Location?.OriginalString);
        Assert.Contains("error=locked", password.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/modules")).StatusCode);
    }

    [Fact]
    public async Task LoginCode_WithoutPasswordStep_SendsBackToLogin()
    {
        using var factory = new AcfAppFactory();
        Enrol(factory);
        var client = factory.CreateBrowserLikeClient();

        var response = await PostCodeAsync(client, "123456");

        Assert.Equal("/login?error=expired", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Policy_AdminMustHaveIt_NotEnrolled_ConfinedToAccountPage()
    {
        using var factory = new AcfAppFactory();
        factory.Settings["Acf:Auth:RequireSecondFactor"] = "admin";
        var client = factory.CreateBrowserLikeClient();

        var login = await AcfAppFactory.LoginAsync(client, UserStore.FirstAdmin, AcfAppFactory.AdminPassword);
        var api = await client.GetAsync("/api/modules");
        var page = await client.GetAsync("/alpine-baselayout/hostname/edit");
        var account = await client.GetAsync("/account");

        Assert.Equal("/account", login.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Equal("/account", page.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
    }

    [Fact]
    public async Task Policy_AdminMustHaveIt_AfterEnrolment_EverythingOpens()
    {
        using var factory = new AcfAppFactory();
        factory.Settings["Acf:Auth:RequireSecondFactor"] = "admin";
        var client = factory.CreateBrowserLikeClient();
        await AcfAppFactory.LoginAsync(client, UserStore.FirstAdmin, AcfAppFactory.AdminPassword);

        Enrol(factory);

        await AcfAppFactory.AddAntiforgeryHeaderAsync(client); // cookie API calls carry it
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/modules")).StatusCode);
    }

    [Fact]
    public async Task Policy_AdminOnly_EditorNeedsNone()
    {
        using var factory = new AcfAppFactory();
        factory.Settings["Acf:Auth:RequireSecondFactor"] = "admin";
        factory.AddUser("editor", "editor-password", "EDITOR");
        var client = factory.CreateBrowserLikeClient();

        var login = await AcfAppFactory.LoginAsync(client, "editor", "editor-password");

        Assert.Equal("/", login.Headers.Location?.OriginalString);
        await AcfAppFactory.AddAntiforgeryHeaderAsync(client); // cookie API calls carry it
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/modules")).StatusCode);
    }

    [Theory]
    [InlineData("none", "ADMIN", false)]
    [InlineData("all", "GUEST", true)]
    [InlineData("admin", "EXPERT", false)]
    [InlineData("admin", "ADMIN", true)]
    [InlineData("EDITOR, expert", "EXPERT", true)]
    [InlineData("EDITOR", "ADMIN", true)]
    [InlineData("EDITOR", "USER", false)]
    [InlineData("SQUIDVIEW", "SQUIDVIEW", true)]
    public void Requires_PolicyAndRole_AsDocumented(string policy, string role, bool expected)
    {
        var requires = SecondFactorPolicy.Requires(policy, Acf.Broker.Catalog.AcfRoles.Expand([role]));

        Assert.Equal(expected, requires);
    }

    [Fact]
    public void Start_InvalidPolicy_FailsAtBoot()
    {
        using var factory = new AcfAppFactory();
        factory.Settings["Acf:Auth:RequireSecondFactor"] = "admins; rm -rf";

        var error = Record.Exception(() => factory.Services);

        Assert.NotNull(error);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
