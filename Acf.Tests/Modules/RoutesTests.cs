namespace Acf.Tests.Modules;

/// <summary>Static routes in /etc/route.conf, through the runner over the demo tree, under confirm-or-rollback.</summary>
public sealed class RoutesTests : IDisposable
{
    /// <summary>Each test's own demo host (xUnit makes a new instance for every test).</summary>
    private readonly ModuleTestHost _host = ModuleTestHost.Demo();

    /// <summary>/etc/route.conf as the demo tree has it before the test.</summary>
    private readonly string _before;

    public RoutesTests() => _before = RouteFile();

    public void Dispose() => _host.Dispose();

    private string RouteFile() => _host.ReadRootFile("/etc/route.conf");

    private Task<RunResult> Save(string routes) =>
        _host.RunAsync(ModuleTestHost.Admin, "alpine-baselayout", "routes", "edit", ModuleTestHost.Submit("Save", ("routes", routes)));

    [Fact]
    public async Task Edit_Read_ListsTheRouteLinesOnly()
    {
        var form = (await _host.RunAsync(ModuleTestHost.Admin, "alpine-baselayout", "routes", "edit")).Entity!;

        Assert.Equal(["10.20.0.0/16 via 192.168.1.254 dev eth1"], form.Find("routes")!.Items);
    }

    [Fact]
    public async Task Edit_UnchangedSave_WritesSameBytesAndStartsNoCountdown()
    {
        var result = await Save("10.20.0.0/16 via 192.168.1.254 dev eth1");

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        Assert.Equal(_before, RouteFile());
        Assert.Null(_host.Guard.Pending);
    }

    [Fact]
    public async Task Edit_AddRoute_KeepsCommentsAppendsAfterLastRouteAndRestartsStaticroute()
    {
        var result = await Save("10.20.0.0/16 via 192.168.1.254 dev eth1\n172.16.5.0/24 dev eth1 metric 10");

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        Assert.Equal(_before + "172.16.5.0/24 dev eth1 metric 10\n", RouteFile());
        Assert.Contains(_host.Audit.ReadAll(), e => e.Action == "service-restart" && e.Target == "staticroute");
        Assert.Equal("routes/edit", _host.Guard.Pending!.Action);
    }

    [Theory]
    [InlineData("10.0.0.0/33 via 192.168.1.1")]
    [InlineData("10.0.0.0/8")]
    [InlineData("10.0.0.0/8 via 192.168.1.999")]
    [InlineData("10.0.0.0/8 via 192.168.1.1 table 5")]
    [InlineData("10.0.0.0/8 via 192.168.1.1; reboot")]
    public async Task Edit_BadRoute_RefusedOnTheFieldAndNothingWritten(string route)
    {
        var result = await Save(route);

        Assert.StartsWith("Line 1:", result.Entity!.Find("routes")!.Errtxt);
        Assert.Equal(_before, RouteFile());
    }

    [Fact]
    public async Task Edit_NotKept_RouteFileComesBack()
    {
        await Save("");

        _host.Guard.RollBack(_host.Guard.Pending!.Id, "test");

        Assert.Equal(_before, RouteFile());
    }
}
