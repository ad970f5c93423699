namespace Acf.Tests.Web;

/// <summary>The audit and history pages need a login (their ADMIN check runs in the circuit: see AuditBrowserTests).</summary>
public sealed class AuditPagesTests : IDisposable
{
    private readonly AcfAppFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Theory]
    [InlineData("/audit")]
    [InlineData("/history?path=/etc/hostname")]
    public async Task Page_Anonymous_RedirectedToLogin(string path)
    {
        var client = _factory.CreateBrowserLikeClient();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/login", response.Headers.Location?.OriginalString);
    }
}
