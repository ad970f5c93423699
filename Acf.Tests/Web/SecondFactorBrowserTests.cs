namespace Acf.Tests.Web;

/// <summary>Issue #7's check in Debian's Chromium: enrol TOTP on /account, log out, log in again with a code.</summary>
[Trait("Category", "Browser")]
public class SecondFactorBrowserTests : PageTest
{
    [Fact]
    public async Task Totp_EnrolOnAccountPage_LogOut_LogInWithCode()
    {
        var page = await OpenAsync("/account");

        await page.ClickAsync("#totp-begin");
        await Assertions.Expect(page.Locator("#totp-qr")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^data:image/png;base64,"));
        var secret = (await page.Locator("#totp-secret").InnerTextAsync()).Trim();
        var key = Totp.Decode(secret);
        Assert.NotNull(key);
        await page.FillAsync("#totp-code", Totp.Compute(key, DateTimeOffset.UtcNow));
        await page.FillAsync("#totp-password", AcfAppFactory.AdminPassword);
        await page.ClickAsync("#totp-confirm");
        await Assertions.Expect(page.Locator("#recovery-codes")).ToContainTextAsync("-");
        Assert.Contains($"root:totp:{secret}:", Factory.ReadRootFile(SecondFactorStore.OtpPath));
        await page.ClickAsync("#recovery-done");
        await Assertions.Expect(page.Locator("#totp-status")).ToContainTextAsync("On.");

        await page.Locator(".mud-appbar .mud-menu").Last.ClickAsync();
        await page.ClickAsync("#logout");
        await page.FillAsync("#login-user", "root");
        await page.FillAsync("#login-password", AcfAppFactory.AdminPassword);
        await page.ClickAsync("#login-submit");
        await page.Locator("#login-code").WaitForAsync();
        // The code of the next step: the one of now was used up by the enrolment (a replay would be refused).
        await page.FillAsync("#login-code", Totp.Compute(key, DateTimeOffset.UtcNow.AddSeconds(Totp.StepSeconds)));
        await page.ClickAsync("#login-code-submit");
        await BrowserTests.WaitInteractiveAsync(page);

        Assert.Equal(new Uri(Session.BaseUrl, "/").ToString(), page.Url);
        await page.Locator(".mud-appbar .mud-menu").Last.ClickAsync();
        await Assertions.Expect(page.Locator("#user-name")).ToHaveTextAsync("root");
    }
}
