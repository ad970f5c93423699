using Acf.Bench;

// scripts/bench.sh runs this after publishing the app: bench <published app folder> <repository> <report.md> [--quick]
if (args is ["--circuits", var url, var pid, var count])
{
    // For looking at circuits alone: opens COUNT logged-in circuits on a running app and prints its RSS.
    static long Rss(string pid) => long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:"))
        .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    var cookie = await Login.CookieAsync(url, "root", Environment.GetEnvironmentVariable("ACF_BENCH_PASSWORD") ?? AppProcess.Password);
    var before = Rss(pid);
    await using var circuits = new Circuits();
    await circuits.OpenAsync(url, cookie, Environment.GetEnvironmentVariable("ACF_BENCH_PATH") ?? "/", int.Parse(count));
    await Task.Delay(5000);
    // ACF_BENCH_HOLD=S keeps them open S seconds more after printing, e.g. for a heap dump of the app.
    var hold = int.TryParse(Environment.GetEnvironmentVariable("ACF_BENCH_HOLD"), out var s) ? s : 0;
    Console.WriteLine($"{circuits.Opened} open, {circuits.RenderBatches} batches, RSS {before >> 10} -> {Rss(pid) >> 10} KiB; JS: "
        + string.Join(", ", circuits.JsCalls.Select(c => $"{c.Key} x{c.Value}")));
    await Task.Delay(TimeSpan.FromSeconds(hold));
    return 0;
}
if (args is ["--profile", var repository, var actionPath, ..])
    return ActionProfile.Run(Path.GetFullPath(repository), actionPath, args.Length > 3 ? int.Parse(args[3]) : 100);
if (args is ["--sandbox-start", var repositoryPath, ..])
{
    // The sandbox start rows alone: --sandbox-start <repository> [runs]
    var start = await SandboxTiming.StartOnlyAsync(Path.GetFullPath(repositoryPath), args.Length > 2 ? int.Parse(args[2]) : 4000);
    foreach (var (name, timing) in new[] { ("kept state", start.Pooled), ("new state", start.NewState) })
        Console.WriteLine($"sandbox start, {name}: median {timing.MedianUs:F1} µs, p99 {timing.P99Us:F1} µs, CPU {timing.CpuUs:F1} µs per start ({timing.Runs} runs)");
    Console.WriteLine($"the kept state holds {start.KeptBytes / 1024.0:F1} KiB between actions ({start.NewBytes / 1024.0:F1} KiB when new)");
    return 0;
}
if (args is ["--cookie-path", var cookieApp, var cookieRepository, ..])
{
    // The session cookie against a bearer token on hostname/read, alternated: --cookie-path <app> <repository> [rounds] [--port N] [--perf FOLDER] [--cold-first WARM_SECONDS]
    var cookiePort = args.SkipWhile(a => a != "--port").Skip(1).FirstOrDefault() is { } p ? int.Parse(p) : 5118;
    return await CookiePath.RunAsync(Path.GetFullPath(cookieApp), Path.GetFullPath(cookieRepository),
        args.Length > 3 && int.TryParse(args[3], out var rounds) ? rounds : 3, cookiePort,
        args.SkipWhile(a => a != "--perf").Skip(1).FirstOrDefault(),
        args.Contains("--cold-first") ? int.Parse(args.SkipWhile(a => a != "--cold-first").Skip(1).FirstOrDefault() ?? "0") : null);
}
if (args is ["--squid-ratio", var squidRepository, ..])
{
    // The Squid row's ratio alone: --squid-ratio <repository> [rounds]
    var root = Path.GetFullPath(squidRepository);
    using var squidData = BenchData.Prepare(root);
    var ratio = await SquidRatio.MeasureAsync(root, squidData, args.Length > 2 ? int.Parse(args[2]) : 7, 30);
    Console.WriteLine($"squid read in a kept state {ratio.AcfUs / 1000:F2} ms, plain lua5.4 {ratio.LuaUs / 1000:F2} ms: {ratio.Ratio:F2}x (median of {ratio.Rounds} rounds' ratios)");
    return 0;
}
if (args is ["--blazor-floor", var blazorDir, ..])
{
    // The empty Blazor Server app with MudBlazor alone (scripts/bench.sh publishes it): --blazor-floor <folder> [port]
    await Floor.MeasureBlazorAsync(Path.GetFullPath(blazorDir), args.Length > 2 ? int.Parse(args[2]) : 5108);
    return 0;
}
if (args is ["--circuit-cost", var circuitApp, var circuitRepository, ..])
{
    // Each circuit's cost alone, as the whole bench reads it: --circuit-cost <app> <repository> [port]
    await CircuitCost.MeasureAppAsync(Path.GetFullPath(circuitApp), Path.GetFullPath(circuitRepository), args.Length > 3 ? int.Parse(args[3]) : 5108);
    return 0;
}
if (args is ["--lua-floor"])
{
    var lua = LuaFloor.Measure(2000);
    Console.WriteLine($"bare state {lua.BareState.MedianUs:F1} µs (CPU {lua.BareState.CpuUs:F1}), counted allocator {lua.CountedState.MedianUs:F1} µs (CPU {lua.CountedState.CpuUs:F1})");
    return 0;
}
if (args is ["--memory-after-load", var appDir, var repositoryRoot, ..])
{
    // The mixed load alone, with each process's memory around it:
    // --memory-after-load <app> <repository> [--load-minutes M] [--port N] [--loads N]
    string? After(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
    return await MemoryAfterLoad.RunAsync(Path.GetFullPath(appDir), Path.GetFullPath(repositoryRoot),
        TimeSpan.FromMinutes(After("--load-minutes") is { } m ? double.Parse(m, System.Globalization.CultureInfo.InvariantCulture) : 1),
        After("--port") is { } p ? int.Parse(p) : 5108, After("--loads") is { } n ? int.Parse(n) : 1);
}
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: Acf.Bench <published app folder> <repository root> <report.md> [--quick] [--port N] [--in-process] "
        + "[--load-minutes M] [--floor <published empty app folder>] [--blazor-floor <published empty Blazor app folder>]");
    return 2;
}
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var quick = args.Contains("--quick");
var options = new BenchOptions(Path.GetFullPath(args[0]), Path.GetFullPath(args[1]), Path.GetFullPath(args[2]),
    quick, Option("--port") is { } port ? int.Parse(port) : 5108, args.Contains("--in-process"))
{
    // Issue 19 asks for 5 minutes; a quick run loads for 30 s.
    LoadDuration = TimeSpan.FromMinutes(Option("--load-minutes") is { } minutes
        ? double.Parse(minutes, System.Globalization.CultureInfo.InvariantCulture) : quick ? 0.5 : 5),
    FloorDir = Option("--floor") is { } floor ? Path.GetFullPath(floor) : null,
    BlazorFloorDir = Option("--blazor-floor") is { } blazorFloor ? Path.GetFullPath(blazorFloor) : null,
};
return await Bench.RunAsync(options);
