using System.Net.Http.Json;

namespace Acf.Tests.Web;

public class ApiTests(SharedApp app) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Healthz_Anonymous_ReturnsOk()
    {
        var client = app.Factory.CreateBrowserLikeClient();

        var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/modules")]
    [InlineData("/api/alpine-baselayout/hostname/read")]
    public async Task Api_WithoutLogin_Returns401(string url)
    {
        var client = app.Factory.CreateBrowserLikeClient();

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Page_WithoutLogin_RedirectsToLogin()
    {
        var client = app.Factory.CreateBrowserLikeClient();

        var response = await client.GetAsync("/alpine-baselayout/hostname/edit");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Login_WithoutAntiforgeryToken_IsRefused()
    {
        var client = app.Factory.CreateBrowserLikeClient();

        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["user"] = "root",
            ["password"] = AcfAppFactory.AdminPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("acf=")));
    }

    [Fact]
    public async Task Login_WrongPassword_RedirectsBackWithError()
    {
        var client = app.Factory.CreateBrowserLikeClient();

        var response = await AcfAppFactory.LoginAsync(client, "root", "not-the-password");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("error=invalid", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/modules")).StatusCode);
    }

    [Fact]
    public async Task ApiModules_Admin_ListsBaseLayoutActions()
    {
        var client = await app.Factory.LoggedInClientAsync();

        var modules = await client.GetFromJsonAsync<JsonElement>("/api/modules");

        var module = modules.EnumerateArray().Single(m => m.GetProperty("prefix").GetString() == "alpine-baselayout");
        var actions = module.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("url").GetString()).ToList();
        Assert.Contains("/api/alpine-baselayout/hostname/edit", actions);
        Assert.Contains("/api/alpine-baselayout/health/system", actions);
    }

    [Fact]
    public async Task ApiRead_HostnameEdit_ReturnsFormWithCurrentName()
    {
        var client = await app.Factory.LoggedInClientAsync();
        var current = app.Factory.ReadRootFile("/etc/hostname").Trim();

        var form = await client.GetFromJsonAsync<JsonElement>("/api/alpine-baselayout/hostname/edit");

        Assert.Equal("form", form.GetProperty("type").GetString());
        Assert.Equal(current, form.GetProperty("value").GetProperty("hostname").GetProperty("value").GetString());
    }

    [Fact]
    public async Task ApiSubmit_BadHostname_Returns400WithFieldErrorAndKeepsFile()
    {
        var client = await app.Factory.LoggedInClientAsync();
        var before = app.Factory.ReadRootFile("/etc/hostname");

        var response = await client.PostAsync("/api/alpine-baselayout/hostname/edit", AcfAppFactory.Json("""{"hostname":"-bad"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var form = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("start or end", form.GetProperty("value").GetProperty("hostname").GetProperty("errtxt").GetString());
        Assert.Equal(before, app.Factory.ReadRootFile("/etc/hostname"));
    }

    /// <summary>Issue 15, defect 5: a conflict is no validation error; a client tells them apart by the status.</summary>
    [Fact]
    public async Task ApiSubmit_StaleTag_Returns409ConflictWithReasonAndKeepsFile()
    {
        var client = await app.Factory.LoggedInClientAsync();
        var before = app.Factory.ReadRootFile("/etc/hostname");

        var response = await client.PostAsync("/api/alpine-baselayout/hostname/edit",
            AcfAppFactory.Json("""{"hostname":"conflictbox","tag":"0123456789abcdef0123456789abcdef"}"""));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("conflict", body.GetProperty("error").GetString());
        Assert.Equal("file-changed", body.GetProperty("reason").GetString());
        Assert.Equal("/etc/hostname", body.GetProperty("path").GetString());
        Assert.Equal(before, app.Factory.ReadRootFile("/etc/hostname"));
    }

    /// <summary>Issue 16 item 6: the password hashes are not world-readable.</summary>
    [Fact]
    public async Task Passwd_WrittenThroughTheBroker_IsMode0600()
    {
        await app.Factory.LoggedInClientAsync(); // the first admin is written at start

        var mode = File.GetUnixFileMode(Path.Combine(app.Factory.DemoRoot, "etc", "acf", "passwd"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Fact]
    public async Task ApiSubmit_InjectedNewline_IsRefused()
    {
        var client = await app.Factory.LoggedInClientAsync();
        var before = app.Factory.ReadRootFile("/etc/hostname");

        var response = await client.PostAsync("/api/alpine-baselayout/hostname/edit", AcfAppFactory.Json("""{"hostname":"box\nevil"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, app.Factory.ReadRootFile("/etc/hostname"));
    }

    [Fact]
    public async Task ApiSubmit_GoodHostname_WritesFileAndAuditLine()
    {
        var client = await app.Factory.LoggedInClientAsync();

        var response = await client.PostAsync("/api/alpine-baselayout/hostname/edit", AcfAppFactory.Json("""{"hostname":"api-box"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var form = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Hostname set to api-box", form.GetProperty("descr").GetString());
        Assert.Equal("api-box\n", app.Factory.ReadRootFile("/etc/hostname"));
        var audit = File.ReadAllLines(Path.Combine(app.Factory.DataPath, "audit.log"));
        Assert.Contains(audit, line => line.Contains("\"target\":\"/etc/hostname\"") && line.Contains("\"user\":\"root\""));
    }

    [Fact]
    public async Task ApiSubmit_FormEncodedBody_Returns415()
    {
        var client = await app.Factory.LoggedInClientAsync();

        var response = await client.PostAsync("/api/alpine-baselayout/hostname/edit",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["hostname"] = "cross-site" }));

        Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ApiSubmit_GuestEdit_Returns403ButReadWorks()
    {
        app.Factory.AddUser("guest1", "guest-password", "GUEST");
        var client = await app.Factory.LoggedInClientAsync("guest1", "guest-password");

        var edit = await client.PostAsync("/api/alpine-baselayout/hostname/edit", AcfAppFactory.Json("""{"hostname":"guest-box"}"""));
        var read = await client.GetAsync("/api/alpine-baselayout/hostname/read");

        Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.NotEqual("guest-box\n", app.Factory.ReadRootFile("/etc/hostname"));
    }

    [Fact]
    public async Task ApiModules_Guest_ListsOnlyGrantedActions()
    {
        app.Factory.AddUser("guest2", "guest-password", "GUEST");
        var client = await app.Factory.LoggedInClientAsync("guest2", "guest-password");

        var modules = await client.GetFromJsonAsync<JsonElement>("/api/modules");

        var urls = modules.EnumerateArray().SelectMany(m => m.GetProperty("actions").EnumerateArray())
            .Select(a => a.GetProperty("url").GetString()).ToList();
        Assert.Equal(["/api/alpine-baselayout/hostname/read"], urls);
    }

    [Fact]
    public async Task Api_UnknownAction_Returns404()
    {
        var client = await app.Factory.LoggedInClientAsync();

        var response = await client.GetAsync("/api/alpine-baselayout/hostname/delete");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Logout_Post_EndsTheSession()
    {
        var client = await app.Factory.LoggedInClientAsync();
        var page = await client.GetStringAsync("/login");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;

        var response = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/modules")).StatusCode);
    }
}
