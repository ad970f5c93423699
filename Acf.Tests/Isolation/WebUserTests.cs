using Acf.Modules.Privsep;
using Microsoft.Extensions.Configuration;

namespace Acf.Tests.Isolation;

/// <summary>
/// When the app refuses to drop to <c>Acf:Web:User</c> (docs/isolation.md, "The split"): the checks alone, with the
/// app's uid and the user's ids given, so they run as any user. The drop itself is
/// <c>BrokerPrivilegeTests.AppStartedAsRoot_WithWebUser_DropsToIt_OnlyItsBrokerChildIsRoot</c>.
/// </summary>
public sealed class WebUserTests
{
    [Fact]
    public void Refusal_UserMissing_NamesTheUser() =>
        Assert.Equal("Acf:Web:User 'acf' is not in /etc/passwd.", WebUser.Refusal("acf", separate: true, self: 0, ids: null));

    [Theory]
    [InlineData(0u, 0u)]
    [InlineData(0u, 100u)]
    [InlineData(100u, 0u)]
    public void Refusal_RootOrRootsGroup_Refused(uint uid, uint gid) =>
        Assert.StartsWith("Acf:Web:User 'toor' is root", WebUser.Refusal("toor", separate: true, self: 0, ids: (uid, gid)));

    [Fact]
    public void Refusal_AppNotRoot_SaysItMustStartAsRoot() =>
        Assert.StartsWith("Acf:Web:User 'acf' needs the app to start as root (it runs as uid 1000)",
            WebUser.Refusal("acf", separate: true, self: 1000, ids: (100, 101)));

    [Fact]
    public void Refusal_BrokerInProcess_AsksForSeparate() =>
        Assert.StartsWith("Acf:Web:User 'acf' needs Acf:Broker:Process=separate",
            WebUser.Refusal("acf", separate: false, self: 0, ids: (100, 101)));

    [Fact]
    public void Refusal_RootAppSeparateUnprivilegedUser_None() =>
        Assert.Null(WebUser.Refusal("acf", separate: true, self: 0, ids: (100, 101)));

    [Theory]
    [InlineData("http://127.0.0.1:80")]
    [InlineData("http://127.0.0.1:5080;https://*:443")]
    [InlineData("http://+:1023")]
    public void LowPort_BelowTheUnprivilegedRange_Refused(string urls) =>
        Assert.Contains("a port below 1024", WebUser.LowPort("acf", urls));

    [Theory]
    [InlineData(null, null, null, null)]
    [InlineData("http://127.0.0.1:5080", "on", null, "http://127.0.0.1:5080")]
    [InlineData(null, "on", null, "https://*:443")]
    [InlineData(null, "on", "8443", "https://*:8443")]
    [InlineData(null, "off", null, null)]
    public void Addresses_UrlsElseTheHttpsPortWhenHttpsIsOn(string? urls, string? https, string? port, string? expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = urls, ["Acf:Https:Mode"] = https, ["Acf:Https:Port"] = port,
        }).Build();

        Assert.Equal(expected, WebUser.Addresses(configuration));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://*:1024;http://[::1]:8080")]
    public void LowPort_FromPort1024Up_None(string? urls) =>
        Assert.Null(WebUser.LowPort("acf", urls));
}
