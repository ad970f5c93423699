using Acf.Web.Security;
using Microsoft.AspNetCore.DataProtection;

namespace Acf.Tests.Web;

/// <summary>
/// API calls with the login cookie and the antiforgery header sent the same on every request, as a script sends them:
/// the app decrypts the cookie and the tokens once (<see cref="UnprotectMemo"/>), and every request still asks whether
/// the session lives and whether the header belongs to that session. One app per test.
/// </summary>
public class CookieApiTests
{
    private const string Read = "/api/alpine-baselayout/hostname/read";

    [Fact]
    public async Task SameCookieAndHeader_AfterLogout_Refused()
    {
        using var factory = new AcfAppFactory();
        var client = await CookieApiClientAsync(factory, UserStore.FirstAdmin, AcfAppFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Read)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Read)).StatusCode);

        var logout = await client.PostAsync("/account/logout", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(Read)).StatusCode);
    }

    [Fact]
    public async Task SameCookieAndHeader_AfterLock_Refused()
    {
        using var factory = new AcfAppFactory();
        factory.AddUser("alice", "alice-password", AcfRoles.Editor);
        var client = await CookieApiClientAsync(factory, "alice", "alice-password");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Read)).StatusCode);

        Assert.Null(factory.Services.GetRequiredService<UserAdmin>().Lock(Admin, ThrottleKind.User, "alice"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(Read)).StatusCode);
    }

    [Fact]
    public async Task SameCookieAndHeader_AfterPasswordOrRoleChange_Refused()
    {
        using var factory = new AcfAppFactory();
        factory.AddUser("alice", "alice-password", AcfRoles.Editor);
        factory.AddUser("bob", "bob-password", AcfRoles.Editor);
        var alice = await CookieApiClientAsync(factory, "alice", "alice-password");
        var bob = await CookieApiClientAsync(factory, "bob", "bob-password");
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync(Read)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync(Read)).StatusCode);
        var admin = factory.Services.GetRequiredService<UserAdmin>();

        Assert.Null(admin.UpdateUser(Admin, new UserForm("alice", "alice", [AcfRoles.Editor], "another-password")));
        Assert.Null(admin.UpdateUser(Admin, new UserForm("bob", "bob", [AcfRoles.User], null)));

        Assert.Equal(HttpStatusCode.Unauthorized, (await alice.GetAsync(Read)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bob.GetAsync(Read)).StatusCode);
    }

    [Fact]
    public async Task DecryptedCookie_StillNeedsTheHeaderOfItsOwnSession()
    {
        using var factory = new AcfAppFactory();
        var one = await CookieApiCredentialsAsync(factory, UserStore.FirstAdmin, AcfAppFactory.AdminPassword);
        var other = await CookieApiCredentialsAsync(factory, UserStore.FirstAdmin, AcfAppFactory.AdminPassword);
        // Both sessions' cookies and tokens decrypted once already.
        Assert.Equal(HttpStatusCode.OK, (await ClientOf(factory, one).GetAsync(Read)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ClientOf(factory, other).GetAsync(Read)).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await ClientOf(factory, one with { Header = null }).GetAsync(Read)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ClientOf(factory, one with { Header = other.Header }).GetAsync(Read)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await ClientOf(factory, one with { Antiforgery = other.Antiforgery, Header = other.Header }).GetAsync(Read)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ClientOf(factory, one).GetAsync(Read)).StatusCode);
    }

    [Fact]
    public void Memo_DecryptsEachCiphertextOnce_RefusesForgeriesEveryTime_StaysBounded()
    {
        var counting = new CountingProvider(new EphemeralDataProtectionProvider());
        var provider = new UnprotectMemo.Provider(counting);
        var protector = (UnprotectMemo.Protector)provider.CreateProtector(UnprotectMemo.Purposes.First());
        var ciphertext = protector.Protect([1, 2, 3]);

        Assert.Equal(new byte[] { 1, 2, 3 }, protector.Unprotect(ciphertext));
        var again = protector.Unprotect((byte[])ciphertext.Clone());
        again[0] = 9; // a caller that changes its answer changes nobody else's
        Assert.Equal(new byte[] { 1, 2, 3 }, protector.Unprotect(ciphertext));
        Assert.Equal(1, counting.Unprotects);

        var forged = (byte[])ciphertext.Clone();
        forged[^1] ^= 1;
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => protector.Unprotect(forged));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => protector.Unprotect(forged));
        Assert.Equal(3, counting.Unprotects);

        for (var i = 0; i < UnprotectMemo.Capacity + 10; i++) protector.Unprotect(protector.Protect([(byte)i]));
        Assert.InRange(protector.Count, 1, UnprotectMemo.Capacity);
        Assert.IsNotType<UnprotectMemo.Protector>(provider.CreateProtector("some other purpose"));
        Assert.IsType<UnprotectMemo.Protector>(protector.CreateProtector("a sub-purpose"));
    }

    [Fact]
    public void App_MemoizesTheCookieAndAntiforgeryPurposesOnly()
    {
        using var factory = new AcfAppFactory();
        var provider = factory.Services.GetRequiredService<IDataProtectionProvider>();

        Assert.IsType<UnprotectMemo.Provider>(provider);
        foreach (var purpose in UnprotectMemo.Purposes) Assert.IsType<UnprotectMemo.Protector>(provider.CreateProtector(purpose));
        Assert.IsNotType<UnprotectMemo.Protector>(provider.CreateProtector("Microsoft.AspNetCore.Components"));
    }

    private static readonly AcfPrincipal Admin = new(UserStore.FirstAdmin, [AcfRoles.Admin]);

    /// <summary>What a script keeps after logging in: the session cookie, the antiforgery cookie and the header's token.</summary>
    private sealed record Credentials(string Session, string Antiforgery, string? Header);

    private static async Task<Credentials> CookieApiCredentialsAsync(AcfAppFactory factory, string user, string password)
    {
        var session = await SessionTests.LoginCookieAsync(factory, user, password);
        using var client = SessionTests.WithCookie(factory, session);
        using var response = await client.GetAsync("/api/antiforgery");
        var antiforgery = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        var token = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
        return new Credentials(session, antiforgery[..antiforgery.IndexOf(';')], token);
    }

    /// <summary>A client that sends exactly these cookies and this header on every request, and keeps no cookie jar.</summary>
    private static HttpClient ClientOf(AcfAppFactory factory, Credentials credentials)
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", $"acf={credentials.Session}; {credentials.Antiforgery}");
        if (credentials.Header is not null) client.DefaultRequestHeaders.Add(Acf.Web.Api.ApiAntiforgery.HeaderName, credentials.Header);
        return client;
    }

    private static async Task<HttpClient> CookieApiClientAsync(AcfAppFactory factory, string user, string password) =>
        ClientOf(factory, await CookieApiCredentialsAsync(factory, user, password));

    private sealed class CountingProvider(IDataProtectionProvider inner) : IDataProtectionProvider
    {
        public int Unprotects;

        public IDataProtector CreateProtector(string purpose) => new Counting(this, inner.CreateProtector(purpose));

        private sealed class Counting(CountingProvider owner, IDataProtector inner) : IDataProtector
        {
            public IDataProtector CreateProtector(string purpose) => new Counting(owner, inner.CreateProtector(purpose));

            public byte[] Protect(byte[] plaintext) => inner.Protect(plaintext);

            public byte[] Unprotect(byte[] protectedData)
            {
                Interlocked.Increment(ref owner.Unprotects);
                return inner.Unprotect(protectedData);
            }
        }
    }
}
