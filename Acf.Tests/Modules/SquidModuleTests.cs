using static Acf.Tests.Modules.FormPost;

namespace Acf.Tests.Modules;

/// <summary>The squid module's status, expert and log pages over the demo tree; the expert save uses the real squid.</summary>
public class SquidModuleTests
{
    private static readonly SystemOptions SquidParses = new() { Mode = "demo", DemoReadOnlyCommands = [["squid", "-k", "parse", "-f"]] };

    /// <summary>Opens the expert page of squid.conf and saves this content with the tag it was read with.</summary>
    private static async Task<RunResult> SaveExpertAsync(ModuleTestHost host, string content)
    {
        var form = (await host.RunAsync(ModuleTestHost.Admin, "squid", "expert", "edit")).Entity!;
        return await host.RunAsync(ModuleTestHost.Admin, "squid", "expert", "edit", ModuleTestHost.Submit("Save",
            ("path", "/etc/squid/squid.conf"), ("tag", form.Find("tag")!.Text!), ("content", content)));
    }

    [Fact]
    public async Task Stats_DemoLog_CountsRequestsHitsAndTopDomains()
    {
        using var host = ModuleTestHost.Demo(SquidParses);
        var lines = host.ReadRootFile("/var/log/squid/access.log").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var hits = lines.Count(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3].Contains("HIT"));

        var result = await host.RunAsync(ModuleTestHost.Admin, "squid", "logs", "stats", Query(("period", "all")));

        Assert.Equal(RunStatus.Ok, result.Status);
        var summary = result.Entity!.Find("summary")!.Rows.ToDictionary(r => r["measure"], r => r["value"]);
        Assert.Equal(lines.Length.ToString(), summary["Requests"]);
        Assert.Equal($"{100.0 * hits / lines.Length:F1} %", summary["Hit ratio"]);
        var chart = result.Entity.Find("domains")!;
        Assert.Equal("chart", chart.Type);
        Assert.InRange(chart.Rows.Count, 1, 10);
        var counts = chart.Rows.Select(r => int.Parse(r["requests"])).ToList();
        Assert.Equal(counts.OrderByDescending(c => c), counts);
    }

    /// <summary>Issue 20: the access log showed squid's epoch seconds; an admin reads the machine's local time.</summary>
    [Fact]
    public async Task View_DemoLog_ShowsLocalTimeInsteadOfEpochSeconds()
    {
        using var host = ModuleTestHost.Demo(SquidParses);
        var first = host.ReadRootFile("/var/log/squid/access.log").Split('\n')[0];
        var epoch = first.Split('.')[0];
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(long.Parse(epoch)), TimeZoneInfo.Local);

        var result = await host.RunAsync(ModuleTestHost.Admin, "squid", "logs", "view", Query(("lines", "5000")));

        var shown = result.Entity!.Find("content")!.Text!.Split('\n')[0];
        Assert.DoesNotContain(epoch, shown);
        Assert.Equal(local.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + first[epoch.Length..], shown);
    }

    [Fact]
    public async Task Stats_LastHourOfAnOldLog_CountsNothing()
    {
        using var host = ModuleTestHost.Demo(SquidParses);

        var result = await host.RunAsync(ModuleTestHost.Admin, "squid", "logs", "stats", Query(("period", "hour")));

        var summary = result.Entity!.Find("summary")!.Rows.ToDictionary(r => r["measure"], r => r["value"]);
        Assert.Equal("0", summary["Requests"]);
    }

    [Fact]
    public async Task LogView_Filter_ShowsOnlyDeniedRequests()
    {
        using var host = ModuleTestHost.Demo(SquidParses);

        var result = await host.RunAsync(ModuleTestHost.Admin, "squid", "logs", "view", Query(("filter", "TCP_DENIED")));

        var content = result.Entity!.Find("content")!.Text!;
        Assert.NotEmpty(content);
        Assert.All(content.Split('\n'), line => Assert.Contains("TCP_DENIED", line));
    }

    [Fact]
    [Trait("Category", "RealTools")]
    public async Task Expert_InvalidConfig_RefusedBySquidAndFileUnchanged()
    {
        using var host = ModuleTestHost.Demo(SquidParses);
        var before = host.ReadRootFile("/etc/squid/squid.conf");

        var result = await SaveExpertAsync(host, before + "http_access allow no_such_acl\n");

        Assert.False(result.Entity!.Succeeded);
        Assert.Contains("squid refused the new content", result.Entity.Find("content")!.Errtxt);
        Assert.Contains("no_such_acl", result.Entity.Find("content")!.Errtxt);
        Assert.Equal(before, host.ReadRootFile("/etc/squid/squid.conf"));
    }

    // Issue 14: a 10 MiB squid.conf answered HTTP 500 (the Lua memory limit) instead of a clear refusal.
    [Fact]
    public async Task Config_TenMiBFile_RefusedAsTooLargeNeverFailedAndNothingWritten()
    {
        using var host = ModuleTestHost.Demo(SquidParses);
        var line = "acl blocked dstdomain .example.org\n";
        var huge = host.ReadRootFile("/etc/squid/squid.conf") + string.Concat(Enumerable.Repeat(line, (10 << 20) / line.Length));
        host.WriteRootFile("/etc/squid/squid.conf", huge);

        var result = await host.RunAsync(ModuleTestHost.Admin, "squid", "config", "edit");

        Assert.Equal(RunStatus.TooLarge, result.Status);
        Assert.Contains("/etc/squid/squid.conf is too large to edit here (10 MiB); use the expert page", result.Error);
        Assert.Empty(host.Audit.ReadAll());
    }

    // Issue 14: the refusal showed the last twelve lines squid printed, "Processing: <line>" of the file after the
    // error, and never the error itself.
    [Fact]
    [Trait("Category", "RealTools")]
    public async Task Expert_TypoBeforeManyLines_RefusalShowsSquidsComplaintNotTheFile()
    {
        using var host = ModuleTestHost.Demo(SquidParses);
        var before = host.ReadRootFile("/etc/squid/squid.conf");
        var after = string.Concat(Enumerable.Range(1, 15).Select(i => $"acl net{i} src 10.{i}.0.0/16\n"));

        var result = await SaveExpertAsync(host, "acl_typo foo\n" + before + after);

        var error = result.Entity!.Find("content")!.Errtxt!;
        Assert.Contains("unrecognized: 'acl_typo'", error);
        Assert.DoesNotContain("Processing:", error);
        Assert.DoesNotContain("10.15.0.0", error);
        Assert.Equal(before, host.ReadRootFile("/etc/squid/squid.conf"));
    }

    [Fact]
    [Trait("Category", "RealTools")]
    public async Task Expert_ValidConfig_SavedAfterSquidAccepts()
    {
        using var host = ModuleTestHost.Demo(SquidParses);
        var before = host.ReadRootFile("/etc/squid/squid.conf");
        var edited = before.Replace("http_port 3128", "http_port 3128\nvisible_hostname proxy.example.org");

        var result = await SaveExpertAsync(host, edited);

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt + result.Entity.Find("content")!.Errtxt);
        Assert.Equal(edited, host.ReadRootFile("/etc/squid/squid.conf"));
        Assert.Contains(host.Audit.ReadAll(), e => e.Action == "validate" && e.Module == "squid");
    }

    [Fact]
    public async Task Status_ApplyConfiguration_RunsReconfigureAsItsOwnStep()
    {
        using var host = ModuleTestHost.Demo(SquidParses);

        var start = await host.RunAsync(ModuleTestHost.Admin, "squid", "status", "view", ModuleTestHost.Submit("Start"));
        var result = await host.RunAsync(ModuleTestHost.Admin, "squid", "status", "view", ModuleTestHost.Submit("Apply configuration"));

        Assert.True(start.Entity!.Succeeded, start.Entity.Errtxt);
        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        Assert.Contains(host.Audit.ReadAll(), e => e.Action == "exec-simulated" && e.Target == "squid -k reconfigure");
    }

    /// <summary>Issue #20: "squid reloaded its configuration" was shown while squid was stopped.</summary>
    [Fact]
    public async Task Status_ApplyConfigurationWhileStopped_RefusedAndNothingRun()
    {
        using var host = ModuleTestHost.Demo(SquidParses);

        var result = await host.RunAsync(ModuleTestHost.Admin, "squid", "status", "view", ModuleTestHost.Submit("Apply configuration"));

        Assert.False(result.Entity!.Succeeded);
        Assert.Contains("squid is stopped", result.Entity.Errtxt);
        Assert.DoesNotContain(host.Audit.ReadAll(), e => e.Target == "squid -k reconfigure");
    }

    /// <summary>Issue #20: Stop and Restart ran on one click; the buttons now carry the question the renderer asks.</summary>
    [Fact]
    public async Task Status_StopAndRestart_AskFirstNamingTheService()
    {
        using var host = ModuleTestHost.Demo(SquidParses);

        var result = await host.RunAsync(ModuleTestHost.Admin, "squid", "status", "view");

        var options = result.Entity!.Options.ToDictionary(o => o.Value);
        Assert.Null(options["Start"].Confirm);
        Assert.StartsWith("Stop squid?", options["Stop"].Confirm);
        Assert.StartsWith("Restart squid?", options["Restart"].Confirm);
        Assert.Null(options["Apply configuration"].Confirm);
    }
}
