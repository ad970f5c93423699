namespace Acf.Tests.Modules;

/// <summary>health.lua of alpine-baselayout on the demo appliance: the dashboard's two actions (issue 20 item 1), live
/// and overview, and the system page.</summary>
public class HealthTests
{
    /// <summary>Runs health/<paramref name="action"/> as a user: it succeeds; returns its entity.</summary>
    private static async Task<CfeNode> HealthAsync(ModuleTestHost host, string action)
    {
        var result = await host.RunAsync(ModuleTestHost.User, "alpine-baselayout", "health", action);
        Assert.Equal(RunStatus.Ok, result.Status);
        return result.Entity!;
    }

    [Fact]
    public async Task Live_DemoProcFiles_RawCountersWithoutLoopback()
    {
        using var host = WithoutProgressions();

        var live = await HealthAsync(host, "live");

        Assert.Equal("412873 1204 198342 17563920 8841 0 6517 0 0 0", live.Find("cpu")!.Text);
        Assert.Equal("1015800", live.Find("memory_total")!.Text);
        Assert.Equal("820112", live.Find("memory_available")!.Text);
        Assert.Equal("184237", live.Find("uptime")!.Text);
        Assert.Equal(["eth0 2818572288 412316672", "eth1 396361728 2633170944"],
            live.Find("interfaces")!.Rows.Select(r => $"{r["name"]} {r["rx"]} {r["tx"]}"));
        Assert.Empty(host.Audit.ReadAll()); // a tick reads files only: nothing in the audit log every 2 s
    }

    [Fact]
    public async Task Live_NoProcStat_ErrorOnTheFieldNotAFailure()
    {
        using var host = WithoutProgressions();
        File.Delete(host.RootPath("/proc/stat"));

        var live = await HealthAsync(host, "live");

        Assert.Equal("/proc/stat does not exist.", live.Find("cpu")!.Errtxt);
        Assert.Equal(2, live.Find("interfaces")!.Rows.Count);
    }

    [Fact]
    public async Task Overview_Demo_EnabledServiceNotStartedNeedsAttention()
    {
        using var host = ModuleTestHost.Demo();
        File.Delete(host.RootPath("/run/openrc/started/dnsmasq"));

        var overview = await HealthAsync(host, "overview");

        var stopped = overview.Find("stopped")!.Rows.Select(r => $"{r["name"]} {r["state"]} {r["runlevels"]}").ToList();
        Assert.Contains("dnsmasq stopped default", stopped);
        Assert.DoesNotContain(stopped, s => s.StartsWith("sshd ", StringComparison.Ordinal));
        Assert.Equal("6.12.13-0-lts", overview.Find("kernel")!.Text);
    }

    /// <summary>Issue 20: "on the demo host it shows the real machine's df next to made-up memory". With the app's own
    /// settings the demo host must answer df from its recording, never run it on the machine Acf runs on.</summary>
    [Fact]
    public async Task Overview_DemoWithAppSettings_DiskIsTheRecordedDemoDisk()
    {
        using var host = ModuleTestHost.Demo(AppSystemOptions());

        var overview = await HealthAsync(host, "overview");
        var system = await HealthAsync(host, "system");

        Assert.Equal(["/ /dev/vda3 7155760 1483124", "/dev devtmpfs 10240 0", "/dev/shm shm 507900 0",
                "/boot /dev/vda1 262144 51228", "/run tmpfs 203160 204"],
            overview.Find("disk")!.Rows.Select(r => $"{r["mount"]} {r["filesystem"]} {r["size"]} {r["used"]}"));
        Assert.Equal("/dev/vda3", system.Find("disk")!.Rows[0]["filesystem"]);
        Assert.Equal("6.8 GiB", system.Find("disk")!.Rows[0]["size"]);
    }

    /// <summary>A fixed snapshot showed an idle box without traffic: the demo plays its recorded progression of
    /// /proc/stat and /proc/net/dev, one frame per 2 s step, so two readings differ like on a real box.</summary>
    [Fact]
    public async Task Live_DemoTwoStepsApart_CountersMoveAndGiveRates()
    {
        using var host = ModuleTestHost.Demo();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        host.Time = clock;
        var history = new Acf.Web.Hosting.LiveHistory();

        var first = await HealthAsync(host, "live");
        history.Add(Acf.Web.Hosting.LiveSample.From(first, clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromSeconds(2));
        var second = await HealthAsync(host, "live");
        history.Add(Acf.Web.Hosting.LiveSample.From(second, clock.GetUtcNow()));

        Assert.NotEqual(first.Find("cpu")!.Text, second.Find("cpu")!.Text);
        Assert.InRange(history.CpuPercent!.Value, 1, 60);
        Assert.InRange(history.Traffic("eth0").Received.Single(), 1e6, 1e7); // between 1 and 10 Mbit/s
        Assert.Equal("1015800", second.Find("memory_total")!.Text); // files without a progression stay as they are
    }

    [Fact]
    public async Task System_DemoProcFiles_ReportsUptimeLoadAndMemory() // was HostnameModuleTests.HealthSystem_DemoProcFiles_ReportsUptimeLoadAndMemory
    {
        using var host = ModuleTestHost.Demo();

        var health = await HealthAsync(host, "system");

        Assert.Equal("3.22.2", health.Find("release")!.Text);
        Assert.Equal("Linux version 6.12.13-0-lts", health.Find("kernel")!.Text);
        Assert.Equal("2 days, 3:10", health.Find("uptime")!.Text);
        Assert.Equal("0.08, 0.03, 0.01 (1, 5, 15 minutes)", health.Find("load")!.Text);
        var memory = health.Find("memory")!;
        Assert.Equal(["item", "size"], memory.Columns);
        Assert.Equal(
            ["Total=992.0 MiB", "Used=191.1 MiB", "Available=800.9 MiB", "Buffers and cache=211.6 MiB", "Swap free=512.0 MiB of 512.0 MiB"],
            memory.Rows.Select(r => $"{r["item"]}={r["size"]}"));
        Assert.Null(health.Find("uptime")!.Errtxt);
    }

    [Fact]
    public async Task System_MissingProcFiles_ErrtxtPerFieldNotFailure() // was HostnameModuleTests.HealthSystem_MissingProcFiles_ErrtxtPerFieldNotFailure
    {
        using var host = new ModuleTestHost(copyRealModules: true);

        var health = await HealthAsync(host, "system");

        Assert.Equal("/proc/uptime does not exist.", health.Find("uptime")!.Errtxt);
        Assert.Equal("/proc/meminfo does not exist.", health.Find("memory")!.Errtxt);
    }

    [Theory]
    [InlineData("live")] // was Live_Guest_Forbidden
    [InlineData("system")] // was HostnameModuleTests.HealthSystem_Guest_Forbidden
    public async Task Guest_Forbidden(string action)
    {
        using var host = ModuleTestHost.Demo();

        var result = await host.RunAsync(ModuleTestHost.Guest, "alpine-baselayout", "health", action);

        Assert.Equal(RunStatus.Forbidden, result.Status);
    }

    /// <summary>The demo with its /proc snapshots only: no recorded frames played over them.</summary>
    private static ModuleTestHost WithoutProgressions()
    {
        var host = ModuleTestHost.Demo();
        Directory.Delete(host.RootPath(Acf.Broker.DemoSystemBroker.ProgressionFolder), recursive: true);
        return host;
    }

    /// <summary>Acf:System as the shipped appsettings.json sets it.</summary>
    private static SystemOptions AppSystemOptions()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(ModuleTestHost.RepositoryRoot, "appsettings.json")));
        var commands = json.RootElement.GetProperty("Acf").GetProperty("System").GetProperty("DemoReadOnlyCommands");
        return new SystemOptions
        {
            Mode = "demo",
            DemoReadOnlyCommands = commands.EnumerateArray().Select(a => a.EnumerateArray().Select(w => w.GetString()!).ToList()).ToList(),
        };
    }
}
