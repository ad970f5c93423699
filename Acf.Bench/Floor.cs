namespace Acf.Bench;

/// <summary>The empty ASP.NET app measured as Acf is: what the runtime costs before Acf adds anything.</summary>
internal sealed record FloorResult(IReadOnlyList<TimeSpan> ColdStarts, MemoryUse Idle, LoadResult One, LoadResult Sixteen)
{
    public TimeSpan ColdStart => ColdStarts.Order().ElementAt(ColdStarts.Count / 2);
}

/// <summary>
/// The floor: a minimal-API app that scripts/bench.sh writes and publishes in a temporary folder (outside the
/// solution) with the appliance's runtime settings. It answers <c>/login</c> with a line of HTML and
/// <c>/api/read</c> with a small JSON object, so a target Acf misses can be set against what the runtime alone does.
/// </summary>
internal static class Floor
{
    public static async Task<FloorResult> MeasureAsync(string appDir, int port, bool quick)
    {
        var dll = Directory.GetFiles(appDir, "*.dll").Select(Path.GetFileName).First(n => n!.StartsWith("EmptyApp", StringComparison.Ordinal))!;
        var environment = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" };
        (await AppProcess.StartDllAsync(appDir, dll, null, port, environment)).Dispose(); // the first start warms the disk cache
        var starts = new List<TimeSpan>();
        AppProcess? app = null;
        for (var i = 0; i < 3; i++)
        {
            app?.Dispose();
            app = await AppProcess.StartDllAsync(appDir, dll, null, port, environment);
            starts.Add(app.StartToLogin);
        }
        using (app)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            var idle = app!.Memory();
            var url = app.BaseUrl + "/api/read";
            var seconds = quick ? 2 : 4;
            Wrk.Run(url, [], 16, 2);
            LoadResult Measure(int clients)
            {
                var cpu = app.Cpu();
                var load = Wrk.Run(url, [], clients, seconds);
                return load with { ServerCpuUs = (app.Cpu() - cpu).TotalMicroseconds / Math.Max(1, load.Requests) };
            }
            var result = new FloorResult(starts, idle, Measure(1), Measure(16));
            Console.WriteLine($"bench: [empty app] start {result.ColdStart.TotalMilliseconds:F0} ms, idle PSS {idle.Pss >> 20} MiB "
                + $"(RSS {idle.Rss >> 20}), p50 {result.One.P50Ms:F2} ms, {result.Sixteen.RequestsPerSecond:F0}/s, "
                + $"CPU {result.Sixteen.ServerCpuUs:F0} µs/request");
            return result;
        }
    }
}
