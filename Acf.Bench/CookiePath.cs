namespace Acf.Bench;

/// <summary>
/// The session cookie (with the antiforgery header) against a bearer token on the same read, alternated on one app
/// (issue 19, docs/benchmarks.md "The cookie path"): <c>--cookie-path &lt;app&gt; &lt;repository&gt; [runs] [--port N]</c>.
/// Each round measures p50 at one keep-alive client, then CPU per request at 16 clients and at one, split by process
/// (app, broker, workers), cookie first in odd rounds and bearer first in even ones; the medians end the output.
/// </summary>
internal static class CookiePath
{
    private const string Read = "/api/alpine-baselayout/hostname/read";

    public static async Task<int> RunAsync(string appDir, string repository, int rounds, int port, string? perfFolder = null,
        int? coldFirst = null)
    {
        using var data = BenchData.Prepare(repository);
        var dataPath = data.FreshDataPath("data-cookie-path");
        // The first start creates root's password hash and the cookie keys, as in Bench.
        (await AppProcess.StartAsync(appDir, null, dataPath, port)).Dispose();
        using var app = await AppProcess.StartAsync(appDir, null, dataPath, port);
        var cookie = await Login.CookieAsync(app.BaseUrl, "root", AppProcess.Password);
        var api = await Login.ApiAsync(app.BaseUrl, cookie);
        var url = app.BaseUrl + Read;
        var kinds = new (string Name, Func<int, int, LoadResult> Load)[]
        {
            ("cookie", (c, s) => Wrk.Run(url, api, c, s)),
            ("bearer", (c, s) => Wrk.RunWithToken(url, data.ApiToken, c, s)),
        };
        if (coldFirst is { } warm)
        {
            // What scripts/bench.sh's first row meets: the app idle past the workers' idle stop, WARM seconds of each
            // way of signing in at 16 clients (Bench's warm-up; 0 before it had one), the row's own 2 s warm-up at 16
            // clients, then one client for 4 s; the same row again right after.
            await Task.Delay(Bench.IdleAfter);
            if (warm > 0)
                foreach (var (_, load) in kinds) load(16, warm);
            kinds[0].Load(16, 2);
            for (var i = 0; i < 3; i++)
            {
                var first = Measure(app, () => kinds[0].Load(1, 4));
                Console.WriteLine($"cold cookie row, run {i + 1}: p50 {first.Load.P50Ms:F2} ms, CPU/request at 1 {Split(first.PerRequest)}");
            }
        }
        foreach (var (_, load) in kinds) load(16, 3); // warm-up: JIT, workers, caches
        var broker = app.CpuByProcess().Single(p => p.Value.Role == "broker").Key;
        foreach (var (name, _) in kinds)
            Console.WriteLine($"{name}: {await BrokerCallsAsync(broker, url, name == "cookie" ? api : null, data.ApiToken, 200):F2} broker answers per request");
        if (perfFolder is not null)
            foreach (var (name, load) in kinds)
                Profile(app.Id, Path.Combine(perfFolder, $"perf-{name}.data"), () => load(16, 10));
        var results = kinds.ToDictionary(k => k.Name, _ => new List<Round>());
        for (var round = 0; round < rounds; round++)
            foreach (var (name, load) in round % 2 == 0 ? kinds : kinds.Reverse())
            {
                var one = load(1, 4);
                var at16 = Measure(app, () => load(16, 5));
                var at1 = Measure(app, () => load(1, 5));
                var result = new Round(one.P50Ms, at16.PerRequest, at16.Load.RequestsPerSecond, at1.PerRequest, Machine.Describe().LoadAverage);
                if (one.Errors + at16.Load.Errors + at1.Load.Errors > 0) throw new InvalidOperationException($"{name}: requests failed");
                results[name].Add(result);
                Console.WriteLine($"{name} round {round + 1}: p50 {result.P50Ms:F2} ms; {result.Rate:F0}/s at 16; CPU/request at 16 "
                    + $"{Split(result.At16)}; at 1 {Split(result.At1)}; load {result.Load}");
            }
        if (rounds == 0) return 0;
        Console.WriteLine($"medians of {rounds} rounds:");
        foreach (var (name, list) in results)
        {
            var roles = list.SelectMany(r => r.At16.Keys).Distinct().ToList();
            Console.WriteLine($"  {name}: p50 {Timing.Median(list.Select(r => r.P50Ms)):F2} ms, {Timing.Median(list.Select(r => r.Rate)):F0}/s at 16; "
                + $"CPU/request at 16 {Split(roles.ToDictionary(k => k, k => Timing.Median(list.Select(r => r.At16.GetValueOrDefault(k)))))}; "
                + $"at 1 {Split(roles.ToDictionary(k => k, k => Timing.Median(list.Select(r => r.At1.GetValueOrDefault(k)))))}");
        }
        return 0;
    }

    /// <summary>
    /// The broker's answers per request: its writes to its sockets (one per answer) counted by strace over
    /// <paramref name="requests"/> sequential requests on one connection.
    /// </summary>
    private static async Task<double> BrokerCallsAsync(int broker, string url, ApiCredentials? cookie, string token, int requests)
    {
        var output = Path.GetTempFileName();
        using var strace = Process.Start(new ProcessStartInfo("strace", ["-f", "-c", "-e", "trace=write,sendto,sendmsg", "-o", output,
            "-p", broker.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardError = true })!;
        await Task.Delay(1000);
        using var http = new HttpClient();
        if (cookie is not null)
        {
            http.DefaultRequestHeaders.Add("Cookie", cookie.Cookie);
            http.DefaultRequestHeaders.Add(cookie.HeaderName, cookie.Token);
        }
        else
            http.DefaultRequestHeaders.Add("Authorization", "Bearer " + token);
        for (var i = 0; i < requests; i++)
            (await http.GetAsync(url)).EnsureSuccessStatusCode();
        await Task.Delay(500);
        using (var stop = Process.Start("kill", ["-INT", strace.Id.ToString(CultureInfo.InvariantCulture)])) stop.WaitForExit();
        strace.WaitForExit();
        var calls = File.ReadLines(output).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 5 && f[^1] is "write" or "sendto" or "sendmsg")
            .Sum(f => long.Parse(f[3], CultureInfo.InvariantCulture));
        File.Delete(output);
        return calls / (double)requests;
    }

    /// <summary>perf record of the app's process (call graphs, DOTNET_PerfMapEnabled=1 in the environment) during one run.</summary>
    private static void Profile(int pid, string output, Func<LoadResult> run)
    {
        using var perf = Process.Start(new ProcessStartInfo("perf", ["record", "-F", "999", "-g", "-o", output,
            "-p", pid.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        Thread.Sleep(500);
        var load = run();
        Console.WriteLine($"{output}: {load.Requests} requests, {load.RequestsPerSecond:F0}/s");
        using (var stop = Process.Start("kill", ["-INT", perf.Id.ToString(CultureInfo.InvariantCulture)])) stop.WaitForExit();
        perf.WaitForExit();
    }

    private static string Split(IReadOnlyDictionary<string, double> perRole) =>
        $"{perRole.Values.Sum():F0} µs (" + string.Join(", ", perRole.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value:F0}")) + ")";

    /// <summary>The run's CPU per request of each process role (app, broker, worker), in µs.</summary>
    private static (LoadResult Load, Dictionary<string, double> PerRequest) Measure(AppProcess app, Func<LoadResult> run)
    {
        var before = app.CpuByProcess();
        var load = run();
        var after = app.CpuByProcess();
        // Per process, so that a worker that started during the run counts from zero; one that ended is lost (none
        // stops under load: they stop only after 10 s idle).
        var perRequest = after.GroupBy(p => p.Value.Role).ToDictionary(g => g.Key,
            g => g.Sum(p => (p.Value.Cpu - (before.TryGetValue(p.Key, out var b) ? b.Cpu : TimeSpan.Zero)).TotalMicroseconds)
                / Math.Max(1, load.Requests));
        return (load, perRequest);
    }

    private sealed record Round(double P50Ms, Dictionary<string, double> At16, double Rate, Dictionary<string, double> At1, string Load);
}
