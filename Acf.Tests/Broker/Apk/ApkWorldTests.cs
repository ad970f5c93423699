namespace Acf.Tests.Broker.Apk;

public sealed class ApkWorldTests
{
    [Fact]
    public void Parse_Fixture_OneEntryPerLine()
    {
        var world = ApkWorld.Parse(ApkTestRoot.FixtureText("world"));

        Assert.Equal(["alpine-baselayout-data", "busybox"], world);
    }

    [Fact]
    public void Parse_AnyWhitespace_SeparatesEntries()
    {
        var world = ApkWorld.Parse("busybox nginx>=1.26\tfoo@testing\r\n\n  squid\n");

        Assert.Equal(["busybox", "nginx>=1.26", "foo@testing", "squid"], world);
    }

    [Fact]
    public void Format_Entries_SortedByNameOnePerLine()
    {
        var text = ApkWorld.Format(["zsh", "nginx>=1.26", "acf-core", "foo@testing", "busybox", "Zeta"]);

        Assert.Equal("Zeta\nacf-core\nbusybox\nfoo@testing\nnginx>=1.26\nzsh\n", text);
    }

    [Fact]
    public void Format_ParsedFixture_IsTheFixture()
    {
        var fixture = ApkTestRoot.FixtureText("world");

        var text = ApkWorld.Format(ApkWorld.Parse(fixture));

        Assert.Equal(fixture, text);
    }
}
