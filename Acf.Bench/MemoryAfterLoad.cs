namespace Acf.Bench;

/// <summary>
/// Issue 19's after-load memory alone and per process (<c>--memory-after-load</c>): starts the published app on the
/// bench's data, waits for it to be at rest, runs only the mixed load (<see cref="MixedLoad"/>) and prints the PSS,
/// RSS, private and dirty private memory (<see cref="MemoryUse.Dirty"/>) of the app, its broker child and each worker
/// at rest, when the load ended and 30, 60 and 90 s later, so that what stays after a load can be named by process
/// (then by type, with <c>dotnet-gcdump</c>).
/// </summary>
internal static class MemoryAfterLoad
{
    /// <param name="loads">How many times the load runs, each followed by the 90 s of readings: the second shows what a
    /// load costs once the first has run every code path (the JIT's code and the types stay loaded).</param>
    public static async Task<int> RunAsync(string appDir, string repository, TimeSpan load, int port, int loads = 1)
    {
        using var data = BenchData.Prepare(repository);
        using var app = await AppProcess.StartAsync(appDir, null, data.FreshDataPath("data-memory"), port);
        Print("started", app);
        await Task.Delay(Bench.IdleAfter);
        Print("idle", app);
        var cookie = await Login.CookieAsync(app.BaseUrl, "root", AppProcess.Password);
        var api = await Login.ApiAsync(app.BaseUrl, cookie);
        for (var run = 1; run <= loads; run++)
        {
            var mixed = await MixedLoad.RunAsync(app, cookie, api, data.ApiToken, load, 50, settle: TimeSpan.Zero);
            Console.WriteLine($"load {run}: {mixed.ApiRequests:N0} API requests ({mixed.ApiErrors} errors), {mixed.CircuitsOpened} circuits in {mixed.Rounds} rounds");
            Print("load end", app);
            for (var after = 30; after <= 90; after += 30)
            {
                await Task.Delay(TimeSpan.FromSeconds(30));
                Print($"+{after} s", app);
            }
        }
        // ACF_BENCH_HOLD=S keeps the app running S seconds more, e.g. for dotnet-gcdump of a process that stayed big.
        if (int.TryParse(Environment.GetEnvironmentVariable("ACF_BENCH_HOLD"), out var hold) && hold > 0)
        {
            Console.WriteLine($"holding {hold} s");
            await Task.Delay(TimeSpan.FromSeconds(hold));
            Print("held", app);
        }
        return 0;
    }

    private static void Print(string when, AppProcess app)
    {
        static string Mb(long bytes) => (bytes / 1e6).ToString("F1", CultureInfo.InvariantCulture);
        var processes = app.PerProcess();
        static string Of(long pss, long rss, long own, long dirty) => $"{Mb(pss)} / {Mb(rss)} / {Mb(own)} / {Mb(dirty)}";
        Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {when,-9} total PSS/RSS/private/dirty "
            + Of(processes.Sum(p => p.Memory.Pss), processes.Sum(p => p.Memory.Rss), processes.Sum(p => p.Memory.Private), processes.Sum(p => p.Memory.Dirty))
            + " MB: " + string.Join("; ", processes.Select(p => $"{p.Role} {p.Pid} {Of(p.Memory.Pss, p.Memory.Rss, p.Memory.Private, p.Memory.Dirty)}")));
    }
}
