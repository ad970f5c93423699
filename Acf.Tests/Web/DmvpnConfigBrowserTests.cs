using Acf.Tests.Crypto;

namespace Acf.Tests.Web;

/// <summary>The DMVPN configuration pages in Debian's Chromium: a spoke saved under confirm-or-rollback and kept; a PFX uploaded and imported.</summary>
[Trait("Category", "Browser")]
public class DmvpnConfigBrowserTests : PageTest
{
    [Fact]
    public async Task ConfigEdit_InBrowser_SpokeSavedCountdownThenKeep()
    {
        var page = await OpenAsync("/dmvpn/config/edit");

        await page.FillAsync("#cfe-address", "172.18.1.7");
        await page.FillAsync("#cfe-bgp-networks", "192.168.1.0/24\n10.7.0.0/16");
        await page.ClickAsync("#cfe-submit-Save");

        await Assertions.Expect(page.Locator("#apply-countdown")).ToBeVisibleAsync();
        Assert.Contains("\taddress 172.18.1.7\n", Factory.ReadRootFile("/etc/network/interfaces"));
        var frr = Factory.ReadRootFile("/etc/frr/frr.conf");
        Assert.Contains(" bgp router-id 172.18.1.7\n", frr);
        Assert.Contains("  network 10.7.0.0/16\n", frr);
        await BrowserTests.KeepAsync(Factory, page);
        Assert.Contains("\taddress 172.18.1.7\n", Factory.ReadRootFile("/etc/network/interfaces"));
    }

    [Fact]
    public async Task CertsEdit_InBrowser_PfxUploadedAndImportedWithAPrivateKey()
    {
        var page = await OpenAsync("/dmvpn/certs/edit");
        using var pki = new TestPki();
        var pfx = Path.Combine(Factory.DataPath, "spoke7.pfx");
        await File.WriteAllBytesAsync(pfx, pki.Pfx("pfx-password"));

        await page.FillAsync("#cfe-name", "spoke7");
        // Blazor's InputFile listens for the change only once its script has set the element up (it then carries
        // _blazorInputFileNextFileId); a file set before that is lost on a busy machine.
        await page.WaitForFunctionAsync("() => document.querySelector('#cfe-bundle input[type=file]')?._blazorInputFileNextFileId !== undefined");
        await page.SetInputFilesAsync("#cfe-bundle input[type=file]", pfx);
        await Assertions.Expect(page.Locator("#cfe-bundle .cfe-file-name")).ToContainTextAsync("spoke7.pfx");
        await page.FillAsync("#cfe-password", "pfx-password");
        await page.ClickAsync("#cfe-submit-Import");

        await Assertions.Expect(page.GetByText("Imported CN=spoke1.example.com")).ToBeVisibleAsync();
        var key = Path.Combine(Factory.DemoRoot, "etc/swanctl/private/spoke7.pem");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.Contains(pki.Leaf.ExportCertificatePem(), Factory.ReadRootFile("/etc/swanctl/x509/spoke7.pem"));
    }
}
