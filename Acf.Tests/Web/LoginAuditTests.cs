namespace Acf.Tests.Web;

/// <summary>Logins, failed logins and logouts reach the broker's hash-chained audit log (issue 16); one app per test.</summary>
public class LoginAuditTests
{
    [Fact]
    public async Task FailedLoginLoginAndLogout_AreAuditedWithUserAndClient()
    {
        using var factory = new AcfAppFactory();
        var client = factory.CreateBrowserLikeClient();
        await AcfAppFactory.LoginAsync(client, "root", "wrong-password");
        await AcfAppFactory.LoginAsync(client, "no\u0001body", "wrong-password");
        Assert.Equal("/", (await AcfAppFactory.LoginAsync(client, "root", AcfAppFactory.AdminPassword)).Headers.Location?.OriginalString);
        await AcfAppFactory.AddAntiforgeryHeaderAsync(client);

        var logout = await client.PostAsync("/account/logout", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        var audit = factory.Services.GetRequiredService<AuditLog>();
        var events = audit.ReadAll().Where(e => e.Action is "login" or "login-failed" or "logout").ToList();
        Assert.Equal(["login-failed:root", "login-failed:no?body", "login:root", "logout:root"], events.Select(e => $"{e.Action}:{e.User}"));
        Assert.All(events, e => Assert.Equal("acf", e.Module));
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e.Client)));
        Assert.Equal("wrong password", events[0].Detail);
        Assert.True(audit.Verify().Intact);
    }

    [Fact]
    public async Task FailureThatLocks_SaysSo()
    {
        using var factory = new AcfAppFactory();
        var client = factory.CreateBrowserLikeClient();

        for (var i = 0; i < 5; i++) await AcfAppFactory.LoginAsync(client, "root", "wrong-" + i);

        var last = factory.Services.GetRequiredService<AuditLog>().ReadAll().Last(e => e.Action == "login-failed");
        Assert.Equal("wrong password; now locked", last.Detail);
    }

    [Fact]
    public void AuditEvent_FromAModule_Denied()
    {
        using var factory = new AcfAppFactory();
        var broker = factory.Services.GetRequiredService<ISystemBroker>();

        var result = broker.Send(new BrokerCaller("root", "alpine-baselayout"), new AuditEventRequest(AuthEvent.Login, "forged"));

        Assert.Equal(BrokerErrorKind.Denied, result.Error?.Kind);
        Assert.DoesNotContain(factory.Services.GetRequiredService<AuditLog>().ReadAll(), e => e.Detail == "forged");
    }
}
