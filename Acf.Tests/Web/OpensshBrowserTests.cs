namespace Acf.Tests.Web;

/// <summary>The SSH server and time zone pages in Debian's Chromium (ACF_SCREENSHOTS: PNGs to look at).</summary>
[Trait("Category", "Browser")]
public class OpensshBrowserTests : PageTest
{
    private const string RsaKey = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDl6aRqOORhKKs6A8KFVn8rtPX54WNacgoEUmK2VHPVyQ0ePXQVB+dRdLMuHrfN9wnurZhL48sIIjbLquXsss0y2OI2NDUVUX+dhKR3QYJ40nVRAk9vwRURvmpfBQ89GQzxrrOu3dmVD71qwE1jlKgEfjDaeac7/gtQGvI/7VBPoCyjtR7yDI8hMNzXS5DEDdOpqdzSWJ7wx1v3SW65dz6W+XfM2qmVSrN0TcEbvPOPNTgBCy5pfToLEgEv149Kdw/4iDZTLgnH9IKn7Cj4IrHr0TkMLzdkAg9FDg8DLGzUfT3+qtNobJrpqVC/6m6+p/mtWR3Mtpu5ht4BHw56YC71 backup@nas";

    /// <summary>Root's keys: the demo key's fingerprint is shown as ssh-keygen prints it; a pasted key is saved under
    /// the countdown, its fingerprint appears, and Keep keeps the file.</summary>
    [Fact]
    public async Task Keys_AddAKey_FingerprintShownAndKeptAfterTheCountdown()
    {
        var page = await OpenAsync("/openssh/keys/edit");
        await Assertions.Expect(page.GetByText("SHA256:TWER9Ht86gPesNcylKTNGZDQaJy59uIJ7lSzsLPCyt0")).ToBeVisibleAsync();

        var keys = await page.InputValueAsync("#cfe-keys");
        await page.FillAsync("#cfe-keys", keys.TrimEnd('\n') + "\n" + RsaKey);
        await page.ClickAsync("#cfe-submit-Save");

        await Assertions.Expect(page.Locator("#apply-countdown")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("SHA256:nLplgmr0HRBYnJdjSV+nLzO4Cdez2wn6HfG+LzG4PHk")).ToBeVisibleAsync();
        await RouterBrowserTests.ScreenshotAsync(page, "openssh-keys");
        await BrowserTests.KeepAsync(Factory, page);
        Assert.EndsWith("\n" + RsaKey + "\n", Factory.ReadRootFile("/root/.ssh/authorized_keys"));
    }

    /// <summary>The time zone page: Europe/Berlin chosen from the box's zones and saved makes /etc/localtime its link.</summary>
    [Fact]
    public async Task Timezone_ChooseBerlin_LocaltimeLinksThere()
    {
        var page = await OpenAsync("/chrony/timezone/edit");
        await page.ClickAsync("#cfe-zone div.mud-select");
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "Europe/Berlin" }).First.ClickAsync();
        await page.ClickAsync("#cfe-submit-Save");

        await Assertions.Expect(page.Locator("#cfe-form-result")).ToContainTextAsync("The time zone is now Europe/Berlin.");
        await RouterBrowserTests.ScreenshotAsync(page, "chrony-timezone");
        Assert.Equal("/usr/share/zoneinfo/Europe/Berlin",
            new FileInfo(Path.Combine(Factory.DemoRoot, "etc/localtime")).LinkTarget);
    }
}
