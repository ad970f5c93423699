using Acf.Broker.OpenRc;

namespace Acf.Tests.Broker.OpenRc;

public sealed class RcUpdateOutputTests
{
    private static readonly IReadOnlyList<RcUpdateEntry> Entries = RcUpdateOutput.Parse(OpenRcTestRoot.Fixture("rc-update-show-v.txt"));

    [Fact]
    public void Parse_ShowVerbose_ListsEveryScriptOnceInOrder()
    {
        var names = Entries.Select(e => e.Service).ToList();

        Assert.Equal(37, names.Count);
        Assert.Equal("acf", names[0]);
        Assert.Equal("wireguard-tools-wg-quick", names[^1]);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }

    [Theory]
    [InlineData("sshd", "default")]
    [InlineData("networking", "boot")]
    [InlineData("devfs", "sysinit")]
    [InlineData("killprocs", "shutdown")]
    [InlineData("local", "default nonetwork")]
    public void Parse_ScriptInRunlevels_ReadsTheirNames(string service, string runlevels)
    {
        var entry = Entries.Single(e => e.Service == service);

        Assert.Equal(runlevels.Split(' '), entry.Runlevels);
    }

    [Theory]
    [InlineData("squid")]
    [InlineData("dnsmasq")]
    [InlineData("wireguard-tools-wg-quick")] // longer than the %20s column
    public void Parse_ScriptInNoRunlevel_HasNoRunlevels(string service)
    {
        var entry = Entries.Single(e => e.Service == service);

        Assert.Empty(entry.Runlevels);
    }

    [Fact]
    public void Parse_CommentsAndBlankLines_Ignored()
    {
        var entries = RcUpdateOutput.Parse("# a comment | with a bar\n\n                 sshd |      default\r\n");

        var entry = Assert.Single(entries);
        Assert.Equal("sshd", entry.Service);
        Assert.Equal(["default"], entry.Runlevels);
    }
}
