using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Acf.Tests.Web;

/// <summary>Bearer tokens on /api and the antiforgery header on cookie API calls, against the whole app.</summary>
public class ApiTokenTests(ApiTokenTests.App app) : IClassFixture<ApiTokenTests.App>
{
    public sealed class App : SharedApp
    {
        public App()
        {
            Factory.AddUser("editor", "editor-password", "EDITOR");
            Factory.AddUser("guest", "guest-password", "GUEST");
            Factory.AddUser("demoted", "demoted-password", "EDITOR");
        }
    }

    private const string Read = "/api/alpine-baselayout/hostname/read";
    private const string Edit = "/api/alpine-baselayout/hostname/edit"; // EDITOR: GET runs the action as a read

    private ApiTokenStore Store => app.Factory.Services.GetRequiredService<ApiTokenStore>();

    private UserStore Users => app.Factory.Services.GetRequiredService<UserStore>();

    private CreatedApiToken NewToken(string user, params string[] roles)
    {
        var (created, error) = Store.Create(Users.Principal(user)!, "t" + Guid.NewGuid().ToString("N")[..8], 30, roles);
        Assert.Null(error);
        return created!;
    }

    /// <summary>Moves one token's expiry into the past in the file, as an admin editing it would.</summary>
    private void Expire(CreatedApiToken token)
    {
        var path = Path.Combine(app.Factory.DemoRoot, "etc/acf/api-tokens");
        var expires = $":{token.Token.Expires.ToUnixTimeSeconds()}:";
        var past = $":{DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds()}:";
        File.WriteAllLines(path, File.ReadAllLines(path).Select(l => l.StartsWith(token.Token.Id + ":") ? l.Replace(expires, past) : l));
    }

    private HttpClient Bearer(string secret)
    {
        var client = app.Factory.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    [Fact]
    public async Task Bearer_ValidToken_ReadsAndRecordsLastUse()
    {
        var token = NewToken("root", "ADMIN");

        var response = await Bearer(token.Secret).GetAsync(Read);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cfe = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(app.Factory.ReadRootFile("/etc/hostname").Trim(), cfe.GetProperty("value").GetString());
        Assert.NotNull(Store.LastUse(token.Token.Id));
    }

    [Fact]
    public async Task Bearer_Post_NeedsNoAntiforgeryHeader()
    {
        var token = NewToken("root", "ADMIN");

        var response = await Bearer(token.Secret).PostAsync(Edit, new StringContent("{\"hostname\":\"bad-\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode); // the module's own refusal: the request got through
        Assert.Contains("cannot start or end with", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("acf_0123456789abcdef_notthesecret")]
    [InlineData("acf_short_x")]
    [InlineData("not-a-token")]
    [InlineData("")]
    public async Task Bearer_UnknownToken_Returns401(string secret)
    {
        var client = app.Factory.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + secret);

        var response = await client.GetAsync(Read);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Bearer_RightIdWrongSecret_Returns401()
    {
        var token = NewToken("root", "ADMIN");
        var forged = $"acf_{token.Token.Id}_{new string('A', 43)}";

        var response = await Bearer(forged).GetAsync(Read);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(Store.LastUse(token.Token.Id));
    }

    [Fact]
    public async Task Bearer_RevokedToken_Returns401()
    {
        var token = NewToken("root", "ADMIN");
        Assert.Equal(HttpStatusCode.OK, (await Bearer(token.Secret).GetAsync(Read)).StatusCode);

        Assert.True(Store.Revoke("root", token.Token.Id));
        var response = await Bearer(token.Secret).GetAsync(Read);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(token.Token.Id, app.Factory.ReadRootFile(ApiTokenStore.TokensPath));
    }

    [Fact]
    public async Task Bearer_ExpiredToken_Returns401()
    {
        var token = NewToken("root", "ADMIN");
        Expire(token); // as if its time ran out

        var response = await Bearer(token.Secret).GetAsync(Read);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Bearer_RoleSubset_CannotCallBeyondIt()
    {
        var token = NewToken("root", "GUEST");

        var read = await Bearer(token.Secret).GetAsync(Read);
        var edit = await Bearer(token.Secret).GetAsync(Edit);
        var listing = await Bearer(token.Secret).GetFromJsonAsync<JsonElement>("/api/modules");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        var urls = listing.EnumerateArray().SelectMany(m => m.GetProperty("actions").EnumerateArray())
            .Select(a => a.GetProperty("url").GetString()).ToList();
        Assert.Equal([Read], urls);
    }

    [Fact]
    public async Task Bearer_DemotedUser_TokenLosesTheRights()
    {
        var token = NewToken("demoted", "EDITOR");
        Assert.Equal(HttpStatusCode.OK, (await Bearer(token.Secret).GetAsync(Edit)).StatusCode);
        var passwd = Path.Combine(app.Factory.DemoRoot, "etc/acf/passwd");
        var lines = File.ReadAllLines(passwd).Select(l => l.StartsWith("demoted:") ? l.Replace(":EDITOR:", ":GUEST:") : l);
        File.WriteAllText(passwd, string.Join('\n', lines) + "\n");

        var edit = await Bearer(token.Secret).GetAsync(Edit);
        var read = await Bearer(token.Secret).GetAsync(Read);

        Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task Bearer_DeletedUser_Returns401()
    {
        app.Factory.AddUser("leaver", "leaver-password", "EDITOR");
        var token = NewToken("leaver", "EDITOR");
        var passwd = Path.Combine(app.Factory.DemoRoot, "etc/acf/passwd");
        File.WriteAllLines(passwd, File.ReadAllLines(passwd).Where(l => !l.StartsWith("leaver:")));

        var response = await Bearer(token.Secret).GetAsync(Read);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Bearer_OnAPage_IsNotALogin()
    {
        var token = NewToken("root", "ADMIN");

        var response = await Bearer(token.Secret).GetAsync("/alpine-baselayout/hostname/edit");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [InlineData("EXPERT")]
    [InlineData("ADMIN")]
    public void Create_RoleTheUserLacks_IsRefused(string role)
    {
        var (created, error) = Store.Create(Users.Principal("editor")!, "too-much", 30, [role]);

        Assert.Null(created);
        Assert.Contains(role, error);
    }

    [Theory]
    [InlineData("bad:name", 30)]
    [InlineData("line\nbreak", 30)]
    [InlineData("", 30)]
    [InlineData("ok", 0)]
    [InlineData("ok", 731)]
    public void Create_BadNameOrExpiry_IsRefusedAndNothingWritten(string name, int days)
    {
        var before = File.Exists(Path.Combine(app.Factory.DemoRoot, "etc/acf/api-tokens")) ? app.Factory.ReadRootFile(ApiTokenStore.TokensPath) : "";

        var (created, error) = Store.Create(Users.Principal("guest")!, name, days, ["GUEST"]);

        Assert.Null(created);
        Assert.NotNull(error);
        var after = File.Exists(Path.Combine(app.Factory.DemoRoot, "etc/acf/api-tokens")) ? app.Factory.ReadRootFile(ApiTokenStore.TokensPath) : "";
        Assert.Equal(before, after);
    }

    [Fact]
    public void Create_Always_StoresOnlyTheHashInA0600File()
    {
        var token = NewToken("editor", "USER");

        var text = app.Factory.ReadRootFile(ApiTokenStore.TokensPath);

        var secret = token.Secret.Split('_', 3)[2];
        Assert.DoesNotContain(secret, text);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(secret))), text);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite,
            File.GetUnixFileMode(Path.Combine(app.Factory.DemoRoot, "etc/acf/api-tokens")));
        Assert.Equal(["USER"], Store.List("editor").Single(t => t.Id == token.Token.Id).Roles);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task Cookie_WithoutAntiforgeryHeader_IsRefused(string method)
    {
        var client = app.Factory.CreateBrowserLikeClient();
        await AcfAppFactory.LoginAsync(client, "root", AcfAppFactory.AdminPassword);
        using var request = new HttpRequestMessage(new HttpMethod(method), Edit)
        {
            Content = method == "POST" ? new StringContent("{\"hostname\":\"cross-site\"}", Encoding.UTF8, "application/json") : null,
        };
        var hostname = app.Factory.ReadRootFile("/etc/hostname");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("RequestVerificationToken", await response.Content.ReadAsStringAsync());
        Assert.Equal(hostname, app.Factory.ReadRootFile("/etc/hostname"));
    }

    [Fact]
    public async Task Cookie_WithAntiforgeryHeader_IsAccepted()
    {
        var client = app.Factory.CreateBrowserLikeClient();
        await AcfAppFactory.LoginAsync(client, "root", AcfAppFactory.AdminPassword);
        await AcfAppFactory.AddAntiforgeryHeaderAsync(client);

        var get = await client.GetAsync(Read);
        var post = await client.PostAsync(Edit, new StringContent("{\"hostname\":\"bad-\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode); // the module's refusal of the value, past antiforgery
        Assert.Contains("errtxt", await post.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Cookie_AntiforgeryTokenOfAnotherUser_IsRefused()
    {
        var guest = app.Factory.CreateBrowserLikeClient();
        await AcfAppFactory.LoginAsync(guest, "guest", "guest-password");
        var foreign = await guest.GetFromJsonAsync<JsonElement>("/api/antiforgery");
        var client = app.Factory.CreateBrowserLikeClient();
        await AcfAppFactory.LoginAsync(client, "root", AcfAppFactory.AdminPassword);
        client.DefaultRequestHeaders.Add("RequestVerificationToken", foreign.GetProperty("token").GetString());

        var response = await client.GetAsync(Read);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("revoked")]
    [InlineData("expired")]
    public async Task Bearer_RevokedOrExpiredTokenSubmit_RefusedNothingWrittenOthersStillServed(string how)
    {
        var dead = NewToken("root", "ADMIN");
        var alive = NewToken("editor", "EDITOR");
        if (how == "revoked") Store.Revoke("root", dead.Token.Id);
        else Expire(dead);
        var hostname = app.Factory.ReadRootFile("/etc/hostname");

        var refused = await Bearer(dead.Secret).PostAsync(Edit, new StringContent("{\"hostname\":\"taken-over\"}", Encoding.UTF8, "application/json"));
        var served = await Bearer(alive.Secret).GetAsync(Read);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString());
        Assert.Equal(hostname, app.Factory.ReadRootFile("/etc/hostname"));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task Cookie_CrossSiteFormPost_IsRefusedAndNothingWritten()
    {
        var client = app.Factory.CreateBrowserLikeClient();
        await AcfAppFactory.LoginAsync(client, "root", AcfAppFactory.AdminPassword);
        var hostname = app.Factory.ReadRootFile("/etc/hostname");
        using var request = new HttpRequestMessage(HttpMethod.Post, Edit)
        {
            // What a hostile page's <form method=post> would send with the admin's cookie.
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["hostname"] = "taken-over", ["submit"] = "Save" }),
        };
        request.Headers.Add("Origin", "https://evil.example");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(hostname, app.Factory.ReadRootFile("/etc/hostname"));
    }
}
