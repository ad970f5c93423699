using System.Globalization;

namespace Acf.Bench;

/// <summary>
/// Issue 19's after-load memory alone and per process (<c>--memory-after-load</c>): starts the published app on the
/// bench's data, waits for it to be at rest, runs only the mixed load (<see cref="MixedLoad"/>) and prints the PSS,
/// RSS and private memory of the app, its broker child and each worker at rest, when the load ended and 30, 60 and
/// 90 s later, so that what stays after a load can be named by process (then by type, with <c>dotnet-gcdump</c>).
/// </summary>
internal static class MemoryAfterLoad
{
    public static async Task<int> RunAsync(string appDir, string repository, TimeSpan load, int port)
    {
        using var data = BenchData.Prepare(repository);
        using var app = await AppProcess.StartAsync(appDir, null, data.FreshDataPath("data-memory"), port);
        Print("started", app);
        await Task.Delay(TimeSpan.FromSeconds(Bench.WorkerIdleSeconds + 35));
        Print("idle", app);
        var cookie = await Login.CookieAsync(app.BaseUrl, "root", AppProcess.Password);
        var api = await Login.ApiAsync(app.BaseUrl, cookie);
        var mixed = await MixedLoad.RunAsync(app, cookie, api, data.ApiToken, load, 50, settle: TimeSpan.Zero);
        Console.WriteLine($"load: {mixed.ApiRequests:N0} API requests ({mixed.ApiErrors} errors), {mixed.CircuitsOpened} circuits in {mixed.Rounds} rounds");
        Print("load end", app);
        for (var after = 30; after <= 90; after += 30)
        {
            await Task.Delay(TimeSpan.FromSeconds(30));
            Print($"+{after} s", app);
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
        var total = processes.Aggregate((Pss: 0L, Rss: 0L, Private: 0L),
            (sum, p) => (sum.Pss + p.Memory.Pss, sum.Rss + p.Memory.Rss, sum.Private + p.Memory.Private));
        Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {when,-9} total PSS/RSS/private {Mb(total.Pss)} / {Mb(total.Rss)} / {Mb(total.Private)} MB: "
            + string.Join("; ", processes.Select(p => $"{p.Role} {p.Pid} {Mb(p.Memory.Pss)} / {Mb(p.Memory.Rss)} / {Mb(p.Memory.Private)}")));
    }
}
