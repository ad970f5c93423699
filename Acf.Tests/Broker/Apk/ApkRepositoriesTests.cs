namespace Acf.Tests.Broker.Apk;

public sealed class ApkRepositoriesTests
{
    [Fact]
    public void Parse_Fixture_DropsCommentsAndBlankLines()
    {
        var repositories = ApkRepositories.Parse(ApkTestRoot.FixtureText("repositories"));

        Assert.Equal([ApkTestRoot.MainUrl, "@testing https://dl-cdn.alpinelinux.org/alpine/edge/testing"], repositories);
    }

    [Theory]
    [InlineData("https://dl-cdn.alpinelinux.org/alpine/v3.22/main", "https://dl-cdn.alpinelinux.org/alpine/v3.22/main", null)]
    [InlineData("@testing https://dl-cdn.alpinelinux.org/alpine/edge/testing", "https://dl-cdn.alpinelinux.org/alpine/edge/testing", "testing")]
    [InlineData("v3 @local /srv/packages", "/srv/packages", "local")]
    [InlineData("set -default mirror=https://example.org", null, null)]
    public void UrlOf_Line_FindsUrlAndTag(string line, string? url, string? tag)
    {
        var foundUrl = ApkRepositories.UrlOf(line);
        var foundTag = ApkRepositories.TagOf(line);

        Assert.Equal(url, foundUrl);
        Assert.Equal(tag, foundTag);
    }

    [Fact]
    public void CacheFileName_Url_IsApkindexWithEightHexDigits()
    {
        var main = ApkRepositories.CacheFileName(ApkTestRoot.MainUrl);
        var community = ApkRepositories.CacheFileName("https://dl-cdn.alpinelinux.org/alpine/v3.22/community");

        Assert.Matches("^APKINDEX\\.[0-9a-f]{8}\\.tar\\.gz$", main);
        Assert.NotEqual(main, community);
        Assert.Equal(main, ApkRepositories.CacheFileName(ApkTestRoot.MainUrl));
    }
}
