namespace Acf.Tests.Lab;

/// <summary>
/// One node with its OpenRC booted and two real init scripts: <c>labecho</c> (a daemon OpenRC backgrounds itself,
/// with a pid file) and <c>labsup</c> (under supervise-daemon, as Alpine often runs them). Acf's services pages drive
/// them; the node's own <c>rc-service</c>, <c>rc-update</c> and ports say what happened.
/// </summary>
public sealed class OpenRcLab : NodeLab
{
    public OpenRcLab() => Start(() =>
    {
        Node = Network.Node("rc");
        Node.InstallInitScript("labecho", """
            #!/sbin/openrc-run
            description="Lab echo service on port 7007"
            command=/usr/bin/socat
            command_args="TCP-LISTEN:7007,fork,reuseaddr EXEC:/bin/cat"
            command_background=yes
            pidfile=/run/labecho.pid

            """);
        Node.InstallInitScript("labsup", """
            #!/sbin/openrc-run
            description="Lab supervised service on port 7008"
            supervisor=supervise-daemon
            command=/usr/bin/socat
            command_args="TCP-LISTEN:7008,fork,reuseaddr EXEC:/bin/cat"

            """);
        // Installed before OpenRC boots, as on a box: rc-status lists what the dependency cache holds, and a script
        // added in the same second as the cache was written is not seen as newer, so it would be left out.
        Node.BootOpenRc();
        return Node;
    });

    public LabNode Node { get; private set; } = null!;
}

[Trait("Category", "Lab")]
public sealed class OpenRcLabTests(OpenRcLab lab) : IClassFixture<OpenRcLab>
{
    [Theory]
    [InlineData("labecho", 7007)]
    [InlineData("labsup", 7008)]
    public async Task Service_StartAndStopThroughAcf_RealStateAndPageAgree(string service, int port)
    {
        var client = await lab.Acf.LoggedInClientAsync();
        Assert.Equal("stopped", await StateOnPage(client, service));

        await LabAcf.SubmitAsync(client, "alpine-baselayout/rc/control", new { service, submit = "Start" });

        Assert.Equal(0, lab.Node.Try(["rc-service", service, "status"]).Status);
        lab.Node.WaitListening(port);
        Assert.Equal("started", await StateOnPage(client, service));

        await LabAcf.SubmitAsync(client, "alpine-baselayout/rc/control", new { service, submit = "Stop" });

        // rc-service status answers 3 for a stopped service (LSB's "not running").
        Assert.Equal(3, lab.Node.Try(["rc-service", service, "status"]).Status);
        Assert.DoesNotContain($":{port} ", lab.Node.Run(["ss", "-Hltn"]));
        Assert.Equal("stopped", await StateOnPage(client, service));
    }

    [Fact]
    public async Task Runlevels_SavedThroughAcf_AreOpenRcsOwn()
    {
        var client = await lab.Acf.LoggedInClientAsync();

        await LabAcf.SubmitAsync(client, "alpine-baselayout/rc/edit",
            new { service = "labsup", runlevels = new[] { "default" }, submit = "Save" });

        Assert.Contains("labsup", lab.Node.Run(["rc-update", "show", "default"]));
        Assert.Equal("default", Row(await LabAcf.ReadAsync(client, "alpine-baselayout/rc/status"), "labsup")
            .GetProperty("runlevels").GetString());

        await LabAcf.SubmitAsync(client, "alpine-baselayout/rc/edit",
            new { service = "labsup", runlevels = Array.Empty<string>(), submit = "Save" });

        Assert.DoesNotContain("labsup", lab.Node.Run(["rc-update", "show", "default"]));
        Assert.Equal("", Row(await LabAcf.ReadAsync(client, "alpine-baselayout/rc/status"), "labsup")
            .GetProperty("runlevels").GetString());
    }

    private static async Task<string?> StateOnPage(HttpClient client, string service) =>
        Row(await LabAcf.ReadAsync(client, "alpine-baselayout/rc/status"), service).GetProperty("state").GetString();

    private static JsonElement Row(JsonElement page, string service) =>
        page.GetProperty("value").EnumerateArray().Single(row => row.GetProperty("name").GetString() == service);
}
