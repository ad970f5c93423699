using Acf.Tests.Doubles;
using Xunit.Abstractions;

namespace Acf.Tests.Benchmarks;

/// <summary>
/// What running module code in a worker process costs per action: the real <c>alpine-baselayout</c> hostname/read
/// and the demo tree's apk available list, through <see cref="ModuleRunner"/>, on a thread of this process (the test
/// double <see cref="InProcessExecutor"/>: what the workers add is the difference) and in a warm worker (<c>process</c>,
/// the app's one way). Not a timed test: it does nothing unless ACF_BENCHMARK=1, and then prints the
/// medians and 90th percentiles (run with <c>--logger "console;verbosity=detailed"</c> to see them).
/// </summary>
public sealed class IsolationBenchmark(ITestOutputHelper output)
{
    private const int Runs = 400;

    [Fact]
    public async Task RunAsync_ThreadAndProcess_PrintsPercentiles()
    {
        if (!Benchmark.Enabled) return;
        using var pool = new ModuleWorkerPool(WorkerLaunch.Default(), 1, NullLogger.Instance);
        var report = new List<string>();
        foreach (var (isolation, executor) in new (string, IActionExecutor)[] { ("thread", new InProcessExecutor()), ("process", pool) })
        {
            using var host = new ModuleTestHost(new ModulesOptions(), copyRealModules: true, workers: pool, executor: executor);
            host.CopyDemoTree();
            var hostname = await Percentiles(() => host.RunAsync(ModuleTestHost.Admin, "alpine-baselayout", "hostname", "read"));
            var available = await Percentiles(() => host.RunAsync(ModuleTestHost.Admin, "apk-tools", "packages", "available"), Runs / 10);
            host.AddModule("calls", """
                { "title": "Calls", "roles": { "GUEST": [ "ctl/one", "ctl/many" ] }, "capabilities": { "read": [ "/etc/hostname" ] } }
                """, ("ctl", """
                local M = {}
                function M.one(ctx) acf.fs.stat("/etc/hostname") return { type = "text", value = "1" } end
                function M.many(ctx) for i = 1, 101 do acf.fs.stat("/etc/hostname") end return { type = "text", value = "101" } end
                return M
                """));
            var one = await Percentiles(() => host.RunAsync(ModuleTestHost.Guest, "calls", "ctl", "one"));
            var many = await Percentiles(() => host.RunAsync(ModuleTestHost.Guest, "calls", "ctl", "many"));
            report.Add($"{isolation}: hostname/read p50 {hostname.P50:F3} ms p90 {hostname.P90:F3} ms; "
                + $"apk available p50 {available.P50:F2} ms p90 {available.P90:F2} ms; "
                + $"action with one broker call p50 {one.P50:F3} ms, each further call {(many.P50 - one.P50) * 10:F1} µs");
        }
        var text = "IsolationBenchmark (" + Runs + " runs after warm-up): " + string.Join(" | ", report);
        output.WriteLine(text);
        Console.WriteLine(text);
    }

    private static async Task<(double P50, double P90)> Percentiles(Func<Task<RunResult>> action, int runs = Runs)
    {
        for (var i = 0; i < 20; i++) Assert.Equal(RunStatus.Ok, (await action()).Status); // warm up (JIT on both sides)
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            var result = await action();
            times.Add(watch.Elapsed.TotalMilliseconds);
            Assert.Equal(RunStatus.Ok, result.Status);
        }
        times.Sort();
        return (times[runs / 2], times[runs * 9 / 10]);
    }
}
