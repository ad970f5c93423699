using Acf.Broker.OpenRc;

namespace Acf.Tests.Broker.OpenRc;

public sealed class RcStatusOutputTests
{
    [Theory]
    [InlineData("sshd", ServiceState.Started, "started")]
    [InlineData("acf", ServiceState.Started, "started 2 day(s) 04:17:09 (0)")]
    [InlineData("squid", ServiceState.Stopped, "stopped")]
    [InlineData("chronyd", ServiceState.Crashed, "crashed")]
    [InlineData("dnsmasq", ServiceState.Failed, "failed")]
    [InlineData("qemu-guest-agent", ServiceState.Starting, "starting")]
    [InlineData("wireguard-tools-wg-quick", ServiceState.Inactive, "inactive")]
    public void Parse_ServiceList_ReadsStateOfEachService(string service, ServiceState state, string status)
    {
        var entries = RcStatusOutput.Parse(OpenRcTestRoot.Fixture("rc-status-servicelist.txt"));

        var entry = entries.Single(e => e.Service == service);
        Assert.Equal(state, entry.State);
        Assert.Equal(status, entry.Status);
        Assert.Null(entry.Runlevel);
    }

    [Fact]
    public void Parse_ServiceList_ListsEveryServiceInPrintedOrder()
    {
        var entries = RcStatusOutput.Parse(OpenRcTestRoot.Fixture("rc-status-servicelist.txt"));

        Assert.Equal(37, entries.Count);
        Assert.Equal(["devfs", "dmesg", "mdev"], entries.Take(3).Select(e => e.Service));
        Assert.Equal("local", entries[^1].Service);
    }

    [Fact]
    public void Parse_All_KeepsTheRunlevelHeadingOfEachService()
    {
        var entries = RcStatusOutput.Parse(OpenRcTestRoot.Fixture("rc-status-all.txt"));

        Assert.Equal("boot", entries.First(e => e.Service == "networking").Runlevel);
        Assert.Equal(["default", "nonetwork"], entries.Where(e => e.Service == "local").Select(e => e.Runlevel));
        Assert.Equal("needed/wanted", entries.Single(e => e.Service == "localmount").Runlevel);
        Assert.Equal("manual", entries.Single(e => e.Service == "dnsmasq").Runlevel);
        Assert.DoesNotContain(entries, e => e.Runlevel == "hotplugged");
    }

    [Fact]
    public void Parse_Unsupervised_CountsAsCrashed()
    {
        var entries = RcStatusOutput.Parse(OpenRcTestRoot.Fixture("rc-status-all.txt"));

        var squid = entries.Single(e => e.Service == "squid");
        Assert.Equal(ServiceState.Crashed, squid.State);
        Assert.Equal("unsupervised", squid.Status);
    }

    [Fact]
    public void Parse_ColouredTerminalOutput_StripsEscapes()
    {
        // libeinfo's colour form of " [ started ]" (bracket colour, state colour, normal), as with EINFO_COLOR set.
        const string coloured = " sshd\u001b[66C \u001b[34;01m[\u001b[32;01m  started  \u001b[34;01m]\u001b[0m\n";

        var entry = Assert.Single(RcStatusOutput.Parse(coloured));

        Assert.Equal("sshd", entry.Service);
        Assert.Equal(ServiceState.Started, entry.State);
    }

    [Theory]
    [InlineData("scheduled", ServiceState.Stopped)]
    [InlineData("stopping", ServiceState.Stopping)]
    [InlineData("hotplugged", ServiceState.Unknown)]
    public void StateOf_OtherStatuses_MapsLikeRcStatus(string status, ServiceState expected)
    {
        var state = RcStatusOutput.StateOf(status);

        Assert.Equal(expected, state);
    }
}
