namespace Acf.Bench;

/// <summary>The empty ASP.NET app measured as Acf is: what the runtime costs before Acf adds anything.</summary>
internal sealed record FloorResult(IReadOnlyList<TimeSpan> ColdStarts, MemoryUse Idle, LoadResult One, LoadResult Sixteen)
{
    public TimeSpan ColdStart => ColdStarts.Order().ElementAt(ColdStarts.Count / 2);
}

/// <summary>The empty Blazor Server app with MudBlazor measured as Acf is: what the stack Acf is built on costs at rest
/// and per open tab before Acf adds anything.</summary>
internal sealed record BlazorFloorResult(MemoryUse Idle, CircuitCost Circuits);

/// <summary>
/// The floors: apps in scripts/bench-floors that scripts/bench.sh copies out of the repository and publishes with the
/// appliance's runtime settings (README there), so that a target Acf misses can be set against what the runtime alone
/// (a minimal-API app answering <c>/login</c> and <c>/api/read</c>) and the stack alone (Blazor Server with MudBlazor)
/// cost, measured as Acf is.
/// </summary>
internal static class Floor
{
    private static readonly Dictionary<string, string> Production = new() { ["ASPNETCORE_ENVIRONMENT"] = "Production" };

    public static async Task<FloorResult> MeasureAsync(string appDir, int port, bool quick)
    {
        var (app, starts) = await StartAsync(appDir, "EmptyApp", port);
        using (app)
        {
            await Task.Delay(Bench.IdleAfter); // as Acf's: the floors trim once 20 s after the start (scripts/bench-floors/QuietTrim.cs)
            var idle = app.Memory();
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

    /// <summary>
    /// The stack's floor: a Blazor Server app that scripts/bench.sh writes and publishes as it does the empty app, with
    /// MudBlazor and the providers Acf's layout has (theme, popover, dialog), an app bar and one page with a button,
    /// interactive on the server without prerendering as Acf's pages are. Its memory at rest (read as Acf's is, once the
    /// start is over) and what each circuit on its page costs, opened as <see cref="Circuits"/> opens Acf's.
    /// </summary>
    public static async Task<BlazorFloorResult> MeasureBlazorAsync(string appDir, int port)
    {
        var (app, _) = await StartAsync(appDir, "EmptyBlazor", port);
        using (app)
        {
            await Task.Delay(Bench.IdleAfter); // as Acf's: the floors trim once 20 s after the start (scripts/bench-floors/QuietTrim.cs)
            var idle = app.Memory();
            // The floor has no login; a cookie the app does not know is what a first visit sends.
            var result = new BlazorFloorResult(idle, await CircuitCost.MeasureAsync(app, "acf-bench=1"));
            Console.WriteLine($"bench: [empty Blazor app] idle PSS {idle.Pss >> 20} MiB (RSS {idle.Rss >> 20}), "
                + $"per circuit PSS {result.Circuits.PerCircuitPss / 1e6:F2} MB (RSS {result.Circuits.PerCircuitRss / 1e6:F2} MB; steps {result.Circuits.StepsText})");
            return result;
        }
    }

    /// <summary>Starts the floor app whose assembly name begins with <paramref name="name"/>: once to warm the disk
    /// cache, then three times for the cold start; the last run is left running.</summary>
    private static async Task<(AppProcess App, List<TimeSpan> Starts)> StartAsync(string appDir, string name, int port)
    {
        var dll = Directory.GetFiles(appDir, "*.dll").Select(Path.GetFileName).First(n => n!.StartsWith(name, StringComparison.Ordinal))!;
        (await AppProcess.StartDllAsync(appDir, dll, null, port, Production)).Dispose();
        var starts = new List<TimeSpan>();
        AppProcess? app = null;
        for (var i = 0; i < 3; i++)
        {
            app?.Dispose();
            app = await AppProcess.StartDllAsync(appDir, dll, null, port, Production);
            starts.Add(app.StartToLogin);
        }
        return (app!, starts);
    }
}
