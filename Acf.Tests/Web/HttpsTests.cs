using System.Security.Cryptography.X509Certificates;
using Acf.Web.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Acf.Tests.Web;

/// <summary>HTTPS asked for on the demo host: a real Kestrel serving Acf's self-signed certificate.</summary>
public class HttpsTests
{
    [Fact]
    public async Task HttpsOn_RealConnection_ServesSelfSignedCertificateWhoseFingerprintIsLoggedAndOnLoginPage()
    {
        using var factory = new AcfAppFactory();
        using var https = factory.WithWebHostBuilder(b => b.UseSetting("Acf:Https:Mode", "on").UseSetting("urls", "http://127.0.0.1:0"));
        https.UseKestrel();
        https.StartServer();
        var address = https.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        X509Certificate2? presented = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                presented = X509CertificateLoader.LoadCertificate(certificate!.RawData);
                return true;
            },
        };
        using var client = new HttpClient(handler);

        var response = await client.GetAsync(address + "/login");
        var page = await response.Content.ReadAsStringAsync();

        Assert.StartsWith("https://", address);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fingerprint = TlsCertificate.Fingerprint(presented!);
        Assert.Contains(fingerprint, page);
        Assert.Contains(factory.LogLines, l => l.Contains(fingerprint));
        Assert.True(File.Exists(Path.Combine(factory.DataPath, "tls", TlsCertificate.KeyFile)));
    }
}
