using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;

namespace Acf.Tests.Web;

/// <summary>
/// Sessions end when the server says so (issue 16): logout, a password or role change, a lock and a deleted user end
/// every copy of the cookie and every open circuit at once; a lock also ends the user's API tokens. One app per test.
/// </summary>
public class SessionTests
{
    private static readonly AcfPrincipal Root = new(UserStore.FirstAdmin, [AcfRoles.Admin]);

    [Fact]
    public async Task CopiedCookie_AfterLogout_NoLongerSignsIn()
    {
        using var factory = new AcfAppFactory();
        var cookie = await RootCookieAsync(factory);
        var copy = WithCookie(factory, cookie);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/")).StatusCode);

        var logout = await LogoutAsync(factory, cookie);

        Assert.Equal("/login", logout.Headers.Location?.OriginalString);
        var again = await copy.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.StartsWith("/login", again.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/antiforgery")).StatusCode);
    }

    [Fact]
    public async Task Logout_WithoutAntiforgeryToken_RefusedAndSessionLives()
    {
        using var factory = new AcfAppFactory();
        var cookie = await RootCookieAsync(factory);
        var client = WithCookie(factory, cookie);

        var response = await client.PostAsync("/account/logout", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task OpenCircuit_AfterLogoutInAnotherTab_HasNoUser()
    {
        using var factory = new AcfAppFactory();
        var cookie = await RootCookieAsync(factory);
        using var circuit = CircuitOf(factory, cookie, out var user);
        Assert.Equal(UserStore.FirstAdmin, (await user.GetAsync())?.Name);

        await LogoutAsync(factory, cookie);

        Assert.Null(await user.GetAsync());
        Assert.Null(await user.GetForAccountAsync());
    }

    [Fact]
    public async Task OwnPasswordChange_EndsOtherSessions_KeepsTheChangingOne()
    {
        using var factory = new AcfAppFactory();
        var here = await RootCookieAsync(factory);
        var elsewhere = await RootCookieAsync(factory);
        using var circuit = CircuitOf(factory, here, out var user);
        var keep = await user.SessionIdAsync();

        var error = AdminOf(factory).ChangeOwnPassword(Root, AcfAppFactory.AdminPassword, "a-new-password", "a-new-password", keep);

        Assert.Null(error);
        Assert.Equal(HttpStatusCode.OK, await HomeStatusAsync(factory, here));
        Assert.Equal(HttpStatusCode.Redirect, await HomeStatusAsync(factory, elsewhere));
    }

    [Fact]
    public async Task PasswordSetByAdmin_EndsEverySessionOfThatUser()
    {
        using var factory = new AcfAppFactory();
        var cookie = await AliceEditorCookieAsync(factory);

        var error = AdminOf(factory).UpdateUser(Root, new UserForm("alice", "alice", [AcfRoles.Editor], "another-password"));

        Assert.Null(error);
        Assert.Equal(HttpStatusCode.Redirect, await HomeStatusAsync(factory, cookie));
    }

    [Fact]
    public async Task RoleChange_EndsSessionAndOpenCircuit()
    {
        using var factory = new AcfAppFactory();
        var cookie = await AliceEditorCookieAsync(factory);
        using var circuit = CircuitOf(factory, cookie, out var user);
        Assert.NotNull(await user.GetAsync());

        var error = AdminOf(factory).UpdateUser(Root, new UserForm("alice", "alice", [AcfRoles.User], null));

        Assert.Null(error);
        Assert.Null(await user.GetAsync());
        Assert.Equal(HttpStatusCode.Redirect, await HomeStatusAsync(factory, cookie));
    }

    [Fact]
    public async Task Lock_EndsSessionsAndRevokesApiTokens_UnlockRevivesNeither()
    {
        using var factory = new AcfAppFactory();
        var cookie = await AliceEditorCookieAsync(factory);
        var users = factory.Services.GetRequiredService<UserStore>();
        var (token, tokenError) = factory.Services.GetRequiredService<ApiTokenStore>().Create(users.Principal("alice")!, "ci", 30, [AcfRoles.Editor]);
        Assert.Null(tokenError);
        var bearer = factory.CreateBrowserLikeClient();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.Secret);
        const string read = "/api/alpine-baselayout/hostname/read";
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync(read)).StatusCode);
        var admin = AdminOf(factory);

        Assert.Null(admin.Lock(Root, ThrottleKind.User, "alice"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync(read)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, await HomeStatusAsync(factory, cookie));
        Assert.Null(admin.Unlock(Root, ThrottleKind.User, "alice"));
        Assert.Equal(HttpStatusCode.Redirect, await HomeStatusAsync(factory, cookie));
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync(read)).StatusCode);
    }

    [Fact]
    public async Task DeletedUser_OpenCircuitHasNoUser()
    {
        using var factory = new AcfAppFactory();
        var cookie = await AliceEditorCookieAsync(factory);
        using var circuit = CircuitOf(factory, cookie, out var user);

        Assert.Null(AdminOf(factory).DeleteUser(Root, "alice"));

        Assert.Null(await user.GetAsync());
    }

    /// <summary>Logs in the first admin, root, and returns the login cookie's value.</summary>
    private static Task<string> RootCookieAsync(AcfAppFactory factory) =>
        LoginCookieAsync(factory, UserStore.FirstAdmin, AcfAppFactory.AdminPassword);

    /// <summary>Adds the editor alice and returns the cookie of her login.</summary>
    private static Task<string> AliceEditorCookieAsync(AcfAppFactory factory)
    {
        factory.AddUser("alice", "alice-password", AcfRoles.Editor);
        return LoginCookieAsync(factory, "alice", "alice-password");
    }

    /// <summary>The status of the home page for a client that sends exactly this cookie: OK, or a redirect to login.</summary>
    private static async Task<HttpStatusCode> HomeStatusAsync(AcfAppFactory factory, string cookie) =>
        (await WithCookie(factory, cookie).GetAsync("/")).StatusCode;

    private static UserAdmin AdminOf(AcfAppFactory factory) => factory.Services.GetRequiredService<UserAdmin>();

    /// <summary>Logs in through the form and returns the login cookie's value, as a thief would copy it.</summary>
    internal static async Task<string> LoginCookieAsync(AcfAppFactory factory, string user, string password)
    {
        var response = await AcfAppFactory.LoginAsync(factory.CreateBrowserLikeClient(), user, password);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("acf=", StringComparison.Ordinal));
        return setCookie["acf=".Length..setCookie.IndexOf(';')];
    }

    /// <summary>A client that sends exactly this cookie and keeps no cookie jar.</summary>
    internal static HttpClient WithCookie(AcfAppFactory factory, string cookie)
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", "acf=" + cookie);
        return client;
    }

    /// <summary>Logs out the session of <paramref name="cookie"/> through the form, with its antiforgery header.</summary>
    private static async Task<HttpResponseMessage> LogoutAsync(AcfAppFactory factory, string cookie)
    {
        var client = factory.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.Add("Cookie", "acf=" + cookie);
        await AcfAppFactory.AddAntiforgeryHeaderAsync(client);
        return await client.PostAsync("/account/logout", new FormUrlEncodedContent([]));
    }

    /// <summary>
    /// A scope like a Blazor circuit's: its authentication state is the cookie's principal, captured once when the
    /// circuit started (as the server does), whatever happens to the session afterwards. <paramref name="user"/> is
    /// the circuit's <see cref="CurrentUser"/>.
    /// </summary>
    private static IServiceScope CircuitOf(AcfAppFactory factory, string cookie, out CurrentUser user)
    {
        var options = factory.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(CookieAuthenticationDefaults.AuthenticationScheme);
        var ticket = options.TicketDataFormat.Unprotect(Uri.UnescapeDataString(cookie)) ?? throw new InvalidOperationException("No ticket in the cookie.");
        var scope = factory.Services.CreateScope();
        var state = (IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        state.SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(ticket.Principal))));
        user = scope.ServiceProvider.GetRequiredService<CurrentUser>();
        return scope;
    }
}
