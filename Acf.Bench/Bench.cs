using System.Text.Json.Nodes;

namespace Acf.Bench;

internal sealed record BenchOptions(string AppDir, string Repository, string ReportPath, bool Quick, int Port, bool InProcessOnly = false)
{
    /// <summary>How long the mixed load runs before the after-load memory is read (issue 19: 5 minutes).</summary>
    public TimeSpan LoadDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The published empty ASP.NET app (the runtime's floor), when bench.sh built one.</summary>
    public string? FloorDir { get; init; }

    /// <summary>The published empty Blazor Server app with MudBlazor (the stack's floor), when bench.sh built one.</summary>
    public string? BlazorFloorDir { get; init; }
}

/// <summary>One measured action: its name, API path, how it was authenticated and the load runs at 1, 16 (and 64) clients.</summary>
internal sealed record ActionResult(string Name, string Path, IReadOnlyList<LoadResult> Loads, bool Bearer = false)
{
    public LoadResult At(int clients) => Loads.First(l => l.Clients == clients);
}

/// <summary>Everything measured against one run of the app with one set of runtime settings.</summary>
internal sealed record ProfileResult(RuntimeProfile Profile, IReadOnlyList<TimeSpan> ColdStarts, MemoryUse Idle,
    (long Anon, long File, long Shmem) IdleParts,
    CircuitCost Circuits, MemoryUse AfterRuns, IReadOnlyList<ActionResult> Actions, MixedLoadResult? Mixed)
{
    public TimeSpan ColdStart => ColdStarts.Order().ElementAt(ColdStarts.Count / 2);

    public ActionResult Action(string name, bool bearer = false) => Actions.First(a => a.Name == name && a.Bearer == bearer);
}

/// <summary>
/// The app's runtime settings under test: the appliance settings the project publishes with (the published
/// runtimeconfig.json) and the SDK's defaults for a web app, written as a second runtimeconfig.json.
/// </summary>
internal sealed record RuntimeProfile(string Name, string Description, string? RuntimeConfig)
{
    public static RuntimeProfile Defaults(string appDir)
    {
        var published = Path.Combine(appDir, "Acf.Web.runtimeconfig.json");
        var json = JsonNode.Parse(File.ReadAllText(published))!;
        var properties = json["runtimeOptions"]!["configProperties"]!.AsObject();
        foreach (var name in properties.Select(p => p.Key).Where(k => k.StartsWith("System.GC.", StringComparison.Ordinal)
                     || k.StartsWith("System.Runtime.Tiered", StringComparison.Ordinal) || k == "System.Globalization.Invariant").ToList())
            properties.Remove(name);
        properties["System.GC.Server"] = true; // Microsoft.NET.Sdk.Web's default
        properties["System.GC.Concurrent"] = true;
        properties["System.Globalization.Invariant"] = false;
        var path = Path.Combine(appDir, "bench-sdk-defaults.runtimeconfig.json");
        File.WriteAllText(path, json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return new RuntimeProfile("SDK defaults", "server GC, concurrent GC, ICU globalization, tiered PGO", path);
    }

    public static RuntimeProfile Appliance(string appDir)
    {
        var properties = JsonNode.Parse(File.ReadAllText(Path.Combine(appDir, "Acf.Web.runtimeconfig.json")))!
            ["runtimeOptions"]!["configProperties"]!.AsObject();
        var set = properties.Where(p => p.Key.StartsWith("System.GC.", StringComparison.Ordinal)
                || p.Key.StartsWith("System.Runtime.Tiered", StringComparison.Ordinal) || p.Key == "System.Globalization.Invariant")
            .Select(p => $"`{p.Key}={p.Value}`");
        return new RuntimeProfile("appliance", string.Join(", ", set), null);
    }
}

internal static class Bench
{
    public const string Hostname = "hostname/read";
    public const string Squid = "squid/config/edit (GET, Debian's stock squid.conf)";
    public const string Packages = "apk-tools/packages/available (the 20,000-package index, its first page)";
    public const string PackagesInstalled = "apk-tools/packages/installed (beside the 20,000-package index)";

    private static readonly (string Name, string Path, string Expect, bool Bearer, int[] Clients)[] ActionsUnderTest =
    [
        (Hostname, "/api/alpine-baselayout/hostname/read", "\"value\"", false, [1, 16, 64]),
        (Hostname, "/api/alpine-baselayout/hostname/read", "\"value\"", true, [1, 16]),
        (Squid, "/api/squid/config/edit", "http_port", false, [1, 16]),
        (Packages, "/api/apk-tools/packages/available", "Packages in the cached indexes: 20", false, [1, 16]),
        (PackagesInstalled, "/api/apk-tools/packages/installed", "busybox", false, [1]),
        (FloorModule.Name, FloorModule.Path, "\"ok\"", true, [1, 16]),
    ];

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var total = Stopwatch.StartNew();
        var machine = Machine.Describe();
        Console.WriteLine($"bench: {machine.Cpu}, {machine.Cores} cores, load {machine.LoadAverage}");
        using var data = BenchData.Prepare(options.Repository);
        Console.WriteLine($"bench: data in {data.Directory} (APKINDEX of {BenchData.IndexPackages:N0} packages, {data.IndexBytes / 1024} KiB)");

        var lua = LuaBaseline.Measure(options.Repository, data.SquidConf, options.Quick ? 10 : 40);
        Console.WriteLine($"bench: lua5.4 squid read {lua.CachedUs / 1000:F2} ms (compiling each time {lua.CompileUs / 1000:F2} ms)");
        var sandbox = await SandboxTiming.MeasureAsync(options.Repository, data, options.Quick);
        Console.WriteLine($"bench: sandbox start {sandbox.SandboxStart.MedianUs:F0} µs, runner no-op {sandbox.RunnerNoop.MedianUs:F0} µs, "
            + $"squid read in-process {sandbox.SquidRead.MedianUs / 1000:F2} ms (CPU {sandbox.SquidRead.CpuUs / 1000:F2} ms); "
            + $"sandbox start CPU {sandbox.SandboxStart.CpuUs:F0} µs (new state {sandbox.NewState.MedianUs:F0} µs, CPU {sandbox.NewState.CpuUs:F0} µs), "
            + $"hostname CPU {sandbox.HostnameRead.CpuUs:F0} µs; squid read in a kept state {sandbox.SquidKept.AcfUs / 1000:F2} ms, "
            + $"{sandbox.SquidKept.Ratio:F2}x lua5.4 (alternated)");

        var luaFloor = LuaFloor.Measure(options.Quick ? 1000 : 4000);
        Console.WriteLine($"bench: bare Lua state with five libraries {luaFloor.BareState.MedianUs:F0} µs, with the counting allocator {luaFloor.CountedState.MedianUs:F0} µs");

        if (options.InProcessOnly) return 0;
        var floor = options.FloorDir is { } floorDir ? await Floor.MeasureAsync(floorDir, options.Port, options.Quick) : null;
        var blazorFloor = options.BlazorFloorDir is { } blazorDir ? await Floor.MeasureBlazorAsync(blazorDir, options.Port) : null;
        FloorModule.Install(options.AppDir);
        var profiles = new List<ProfileResult>();
        foreach (var profile in new[] { RuntimeProfile.Appliance(options.AppDir), RuntimeProfile.Defaults(options.AppDir) })
            profiles.Add(await MeasureProfileAsync(options, data, profile, mixedLoad: profiles.Count == 0));

        var report = Report.Write(options, machine, Machine.Describe().LoadAverage, lua, sandbox, profiles, floor, blazorFloor, total.Elapsed, luaFloor);
        Directory.CreateDirectory(Path.GetDirectoryName(options.ReportPath)!);
        File.WriteAllText(options.ReportPath, report);
        Console.WriteLine($"bench: wrote {options.ReportPath} in {total.Elapsed.TotalSeconds:F0} s");
        return 0;
    }

    /// <summary><c>Acf:Modules:WorkerIdleSeconds</c> of the measured app; the idle reading waits past it.</summary>
    public const int WorkerIdleSeconds = 10;

    /// <summary>When memory at rest is read after a start: the worker the login page warmed has stopped, and the idle
    /// trim has run.</summary>
    public static readonly TimeSpan IdleAfter = TimeSpan.FromSeconds(WorkerIdleSeconds + 35);

    private static async Task<ProfileResult> MeasureProfileAsync(BenchOptions options, BenchData data, RuntimeProfile profile, bool mixedLoad)
    {
        Console.WriteLine($"bench: [{profile.Name}] starting the app");
        var dataPath = data.FreshDataPath("data-" + profile.Name.Replace(' ', '-'));
        // The first start creates root's password hash and the cookie keys; it is not counted.
        (await AppProcess.StartAsync(options.AppDir, profile.RuntimeConfig, dataPath, options.Port)).Dispose();
        var starts = new List<TimeSpan>();
        AppProcess? app = null;
        for (var i = 0; i < 3; i++)
        {
            app?.Dispose();
            app = await AppProcess.StartAsync(options.AppDir, profile.RuntimeConfig, dataPath, options.Port);
            starts.Add(app.StartToLogin);
        }
        using (app)
        {
            // At rest: the worker the login page warmed has stopped, and the idle trim has run.
            await Task.Delay(IdleAfter);
            var idle = app!.Memory();
            var idleParts = (Anon: app.Status("RssAnon"), File: app.Status("RssFile"), Shmem: app.Status("RssShmem"));
            var cookie = await Login.CookieAsync(app.BaseUrl, "root", AppProcess.Password);

            var api = await Login.ApiAsync(app.BaseUrl, cookie);
            var actions = new List<ActionResult>();
            var seconds = options.Quick ? 2 : 4;
            // The app starts its workers again and the runtime compiles the request path at tier 1 in the background
            // for some 10 s of load: measured at once, the first row (the cookie read at one client) paid for it,
            // 2,066 µs of CPU per request against 1,122 µs 8 s later (docs/benchmarks.md, "The cookie path"). Both
            // ways of signing in are warmed before any row is measured.
            var read = app.BaseUrl + ActionsUnderTest[0].Path;
            Wrk.Run(read, api, 16, 5);
            Wrk.RunWithToken(read, data.ApiToken, 16, 5);
            foreach (var (name, path, expect, bearer, clients) in ActionsUnderTest)
            {
                await CheckAsync(app.BaseUrl + path, api, expect);
                LoadResult Load(int c, int s) =>
                    bearer ? Wrk.RunWithToken(app.BaseUrl + path, data.ApiToken, c, s) : Wrk.Run(app.BaseUrl + path, api, c, s);
                Load(16, 2); // warm up: JIT, caches
                var loads = clients.Select(c =>
                {
                    var cpu = app.Cpu();
                    var load = Load(c, seconds);
                    return load with { ServerCpuUs = (app.Cpu() - cpu).TotalMicroseconds / Math.Max(1, load.Requests) };
                }).ToList();
                foreach (var load in loads)
                    Console.WriteLine($"bench: [{profile.Name}] {name}{(bearer ? " (bearer)" : "")} c={load.Clients}: p50 {load.P50Ms:F2} ms "
                        + $"p99 {load.P99Ms:F2} ms {load.RequestsPerSecond:F0}/s errors {load.Errors}, server CPU {load.ServerCpuUs:F0} µs/request");
                if (loads.Sum(l => l.Errors) > 0 || loads.Any(l => l.Requests == 0)) throw new InvalidOperationException($"{name}: requests failed or none was served under load");
                actions.Add(new ActionResult(name, path, loads, bearer));
            }
            // The circuits after the API runs: an open dashboard runs a Lua action every 2 s until its circuit is
            // gone, which would take the workers from the runs above.
            var circuits = await CircuitCost.MeasureAsync(app, cookie);
            Console.WriteLine($"bench: [{profile.Name}] start {starts.Last().TotalMilliseconds:F0} ms, idle PSS {idle.Pss >> 20} MiB "
                + $"(RSS {idle.Rss >> 20}), {CircuitCost.CircuitCount} circuits PSS {circuits.WithCircuits.Pss >> 20} MiB (RSS {circuits.WithCircuits.Rss >> 20}), "
                + $"per circuit PSS {circuits.PerCircuitPss / 1e6:F2} MB (steps {circuits.StepsText})");
            var afterRuns = app.Memory();
            var mixed = mixedLoad && options.LoadDuration > TimeSpan.Zero
                ? await MixedLoad.RunAsync(app, cookie, api, data.ApiToken, options.LoadDuration, CircuitCost.CircuitCount)
                : null;
            return new ProfileResult(profile, starts, idle, idleParts, circuits, afterRuns, actions, mixed);
        }
    }

    /// <summary>One request before the load: it must answer 200 with the action's real content.</summary>
    private static async Task CheckAsync(string url, ApiCredentials api, string expect)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("Cookie", api.Cookie);
        http.DefaultRequestHeaders.Add(api.HeaderName, api.Token);
        using var response = await http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK || !body.Contains(expect, StringComparison.Ordinal))
            throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}: {body[..Math.Min(300, body.Length)]}");
    }
}
