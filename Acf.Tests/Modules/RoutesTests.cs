using Acf.Modules;

namespace Acf.Tests.Modules;

/// <summary>Static routes in /etc/route.conf, through the runner over the demo tree, under confirm-or-rollback.</summary>
public class RoutesTests
{

    private static Task<RunResult> Save(ModuleTestHost host, string routes) =>
        host.RunAsync(ModuleTestHost.Admin, "alpine-baselayout", "routes", "edit", ModuleTestHost.Submit("Save", ("routes", routes)));

    [Fact]
    public async Task Edit_Read_ListsTheRouteLinesOnly()
    {
        using var host = ModuleTestHost.Demo();

        var form = (await host.RunAsync(ModuleTestHost.Admin, "alpine-baselayout", "routes", "edit")).Entity!;

        Assert.Equal(["10.20.0.0/16 via 192.168.1.254 dev eth1"], form.Find("routes")!.Items);
    }

    [Fact]
    public async Task Edit_UnchangedSave_WritesSameBytesAndStartsNoCountdown()
    {
        using var host = ModuleTestHost.Demo();
        var before = host.ReadRootFile("/etc/route.conf");

        var result = await Save(host, "10.20.0.0/16 via 192.168.1.254 dev eth1");

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        Assert.Equal(before, host.ReadRootFile("/etc/route.conf"));
        Assert.Null(host.Guard.Pending);
    }

    [Fact]
    public async Task Edit_AddRoute_KeepsCommentsAppendsAfterLastRouteAndRestartsStaticroute()
    {
        using var host = ModuleTestHost.Demo();
        var before = host.ReadRootFile("/etc/route.conf");

        var result = await Save(host, "10.20.0.0/16 via 192.168.1.254 dev eth1\n172.16.5.0/24 dev eth1 metric 10");

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        Assert.Equal(before + "172.16.5.0/24 dev eth1 metric 10\n", host.ReadRootFile("/etc/route.conf"));
        Assert.Contains(host.Audit.ReadAll(), e => e.Action == "service-restart" && e.Target == "staticroute");
        Assert.Equal("routes/edit", host.Guard.Pending!.Action);
    }

    [Theory]
    [InlineData("10.0.0.0/33 via 192.168.1.1")]
    [InlineData("10.0.0.0/8")]
    [InlineData("10.0.0.0/8 via 192.168.1.999")]
    [InlineData("10.0.0.0/8 via 192.168.1.1 table 5")]
    [InlineData("10.0.0.0/8 via 192.168.1.1; reboot")]
    public async Task Edit_BadRoute_RefusedOnTheFieldAndNothingWritten(string route)
    {
        using var host = ModuleTestHost.Demo();
        var before = host.ReadRootFile("/etc/route.conf");

        var result = await Save(host, route);

        Assert.StartsWith("Line 1:", result.Entity!.Find("routes")!.Errtxt);
        Assert.Equal(before, host.ReadRootFile("/etc/route.conf"));
    }

    [Fact]
    public async Task Edit_NotKept_RouteFileComesBack()
    {
        using var host = ModuleTestHost.Demo();
        var before = host.ReadRootFile("/etc/route.conf");
        await Save(host, "");

        host.Guard.RollBack(host.Guard.Pending!.Id, "test");

        Assert.Equal(before, host.ReadRootFile("/etc/route.conf"));
    }
}
