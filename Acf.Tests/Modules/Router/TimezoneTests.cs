using static Acf.Tests.Modules.FormPost;
using static Acf.Tests.Modules.Router.RouterHost;

namespace Acf.Tests.Modules.Router;

/// <summary>The time zone page of the chrony module: /etc/localtime stays a link (as setup-timezone makes it), now to
/// the chosen zone's file; the zones offered are the demo box's zoneinfo tree, without tzdata's own files.</summary>
public class TimezoneTests
{
    [Fact]
    public async Task Zones_AreTheFilesOfTheBoxsTree()
    {
        using var host = Create();
        host.WriteRootFile("/usr/share/zoneinfo/zone1970.tab", "# tzdata's table\n");
        host.WriteRootFile("/usr/share/zoneinfo/posix/Europe/Berlin", "TZif");

        var form = await RunAsync(host, "chrony", "timezone", "edit");

        var zones = form.Find("zone")!.Options.Select(o => o.Value).ToList();
        Assert.Contains("Europe/Berlin", zones);
        Assert.Contains("UTC", zones);
        Assert.DoesNotContain(zones, z => z.Contains("tab") || z.StartsWith("posix"));
    }

    [Fact]
    public async Task Save_MakesLocaltimeALinkToTheZonesFile()
    {
        using var host = Create();
        var result = await SaveAsync(host, "chrony", "timezone", ("zone", "America/New_York"));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal("/usr/share/zoneinfo/America/New_York", new FileInfo(host.RootPath("/etc/localtime")).LinkTarget);
        Assert.Equal("America/New_York", (await RunAsync(host, "chrony", "timezone", "edit")).Find("zone")!.Text);
    }

    [Fact]
    public async Task Save_WhenLocaltimeIsACopy_RefusedAndTheCopyStays()
    {
        using var host = Create();
        File.Delete(host.RootPath("/etc/localtime"));
        host.WriteRootFile("/etc/localtime", "TZif copy");

        var result = await SaveAsync(host, "chrony", "timezone", ("zone", "Europe/Berlin"));

        Assert.False(result.Succeeded);
        Assert.Contains("copy", result.Errtxt);
        Assert.Equal("TZif copy", host.ReadRootFile("/etc/localtime"));
    }
}
