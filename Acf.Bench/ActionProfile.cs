using System.Runtime.InteropServices;
using Acf.Broker;
using Acf.Broker.Catalog;
using Acf.Modules;
using Acf.Modules.Cfe;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Acf.Bench;

/// <summary>
/// For looking at one action alone (<c>--profile module/controller/action [runs]</c>): the sandbox started, run and
/// closed on one thread, timed by that thread's own CPU clock, so that other work on the machine hardly moves it.
/// </summary>
internal static class ActionProfile
{
    public static int Run(string repository, string path, int runs)
    {
        var parts = path.Split('/');
        using var data = BenchData.Prepare(repository);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Acf:System:Mode"] = "demo",
            ["Acf:System:Root"] = data.FreshDataPath("data-profile") + "/demo-root",
            ["Acf:Data:Path"] = Path.Combine(data.Directory, "data-profile"),
            ["Acf:Modules:Path"] = Path.Combine(repository, "modules-lua"),
            ["Acf:Broker:Process"] = "in-process", // the runner and the broker themselves, in this process
        });
        builder.Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        builder.AddAcfModules();
        using var host = builder.Build();
        var (request, broker, catalog, limits) = SandboxTiming.ActionRequest(host.Services, parts[0], parts[1], parts[2]);
        var times = new List<double>();
        long allocated = 0;
        var processCpu = TimeSpan.Zero;
        var thread = new Thread(() =>
        {
            for (var i = 0; i < runs + runs / 5; i++)
            {
                if (i == runs / 5) { allocated = GC.GetAllocatedBytesForCurrentThread(); processCpu = Timing.ProcessCpu(); }
                var start = ThreadCpu();
                using (var sandbox = new LuaSandbox(limits))
                {
                    if (sandbox.Run(request, broker, catalog, limits, NullLogger.Instance).Error is { } error) throw new InvalidOperationException(error);
                }
                if (i >= runs / 5) times.Add((ThreadCpu() - start) / 1000.0);
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            processCpu = Timing.ProcessCpu() - processCpu;
        }, 16 << 20);
        thread.Start();
        thread.Join();
        times.Sort();
        Console.WriteLine($"{path}: thread CPU median {times[times.Count / 2]:F1} µs, p10 {times[times.Count / 10]:F1} µs ({times.Count} runs); managed bytes allocated per run {allocated / times.Count:N0}; process CPU per run {processCpu.TotalMicroseconds / times.Count:F1} µs; GCs {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
        return 0;
    }

    internal static long ThreadCpu()
    {
        clock_gettime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var now);
        return now.Seconds * 1_000_000_000 + now.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec { public long Seconds; public long Nanoseconds; }

    [DllImport("libc", SetLastError = false)]
    private static extern int clock_gettime(int clock, out TimeSpec time);
}
