using Acf.Modules;
using Acf.Broker.Catalog;
using Acf.Modules.Cfe;
using Acf.Modules.Isolation;
using Acf.Tests.Doubles;
using Acf.Broker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Acf.Bench;

/// <summary>
/// Median and 99th percentile wall time of many runs, and the process's CPU time per run (all its threads: the
/// sandbox's, the GC's), in microseconds. On a loaded machine wall time includes waiting for a core; CPU time does not.
/// </summary>
internal sealed record Timing(double MedianUs, double P99Us, double CpuUs, int Runs)
{
    public static Timing Of(List<double> microseconds, TimeSpan cpu)
    {
        microseconds.Sort();
        return new Timing(microseconds[microseconds.Count / 2], microseconds[(int)(microseconds.Count * 0.99)],
            cpu.TotalMicroseconds / microseconds.Count, microseconds.Count);
    }

    /// <summary>The middle value (the upper one of an even count), as the rows' medians are taken.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    public static TimeSpan ProcessCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}

/// <param name="SandboxStart">What an action pays for its fresh environment in a worker: a kept state of its module and
/// user (<see cref="LuaStatePool"/>), the action run in it; the process CPU includes the collection after it.</param>
/// <param name="NewState">The same action in a state built for it and closed after it (before states were kept).</param>
/// <param name="SquidKept">The Squid read as a worker runs it (a kept state), alternated with plain lua5.4: issue 19's row.</param>
internal sealed record SandboxTimings(Timing SandboxStart, Timing NewState, Timing RunnerNoop, Timing HostnameRead, Timing SquidRead,
    Timing PackagesInstalled, SquidRatioTimes SquidKept);

/// <summary>The two ways of starting a sandbox, measured alike (<c>--sandbox-start</c>).</summary>
/// <param name="KeptBytes">What the kept state holds between actions (after the collection), and when it was new.</param>
internal sealed record StartTimings(Timing Pooled, Timing NewState, long KeptBytes, long NewBytes);

/// <summary>
/// In-process costs, with the app's own runtime (catalog, demo broker, runner) over the bench root: an action that does
/// nothing in a kept state and in a new one, the same through <see cref="ModuleRunner"/> (its checks, on a thread
/// of <see cref="InProcessExecutor"/>), and the measured actions without HTTP.
/// </summary>
internal static class SandboxTiming
{
    private const string NoopManifest = """{ "title": "Bench", "roles": { "GUEST": [ "noop/run" ] } }""";
    private const string NoopController = """
        local M = {}
        function M.run(ctx, input) return { type = "text", value = "" } end
        return M
        """;

    public static async Task<SandboxTimings> MeasureAsync(string repository, BenchData data, bool quick)
    {
        using var host = BuildHost(repository, data);
        var services = host.Services;
        var runner = services.GetRequiredService<ModuleRunner>();
        var admin = new AcfPrincipal("root", [AcfRoles.Admin]);
        var (request, broker, catalog, limits) = NoopRequest(services);
        var scale = quick ? 4 : 1;
        var start = await StartAsync(request, broker, catalog, limits, 4000 / scale);
        return new SandboxTimings(
            start.Pooled,
            start.NewState,
            await RepeatAsync(2000 / scale, 200, () => Run(runner, admin, "bench", "noop", "run")),
            await RepeatAsync(1000 / scale, 100, () => Run(runner, admin, "alpine-baselayout", "hostname", "read")),
            // 40 reads first: the runtime compiles a method again, optimised, after its 30th call, on a thread of its
            // own; with 10 that one-time work landed in the measured reads' process CPU (16.8 ms of thread CPU a
            // read, 22.9 ms of the process's over 60 reads after 12; within 0.3 ms of each other over 600).
            await RepeatAsync(100 / scale, 40, () => Run(runner, admin, "squid", "config", "edit")),
            await RepeatAsync(200 / scale, 20, () => Run(runner, admin, "apk-tools", "packages", "installed")),
            await SquidRatio.MeasureAsync(repository, data, quick ? 3 : 7, quick ? 10 : 30));
    }

    /// <summary>The sandbox start alone (<c>--sandbox-start</c>), without the runner's rows.</summary>
    public static async Task<StartTimings> StartOnlyAsync(string repository, int runs)
    {
        using var data = BenchData.Prepare(repository);
        using var host = BuildHost(repository, data);
        var (request, broker, catalog, limits) = NoopRequest(host.Services);
        return await StartAsync(request, broker, catalog, limits, runs);
    }

    internal static IHost BuildHost(string repository, BenchData data)
    {
        var modules = Path.Combine(data.Directory, "modules-inprocess");
        BenchData.Run("cp", "-a", Path.Combine(repository, "modules-lua"), modules);
        Directory.CreateDirectory(Path.Combine(modules, "bench"));
        File.WriteAllText(Path.Combine(modules, "bench/manifest.json"), NoopManifest);
        File.WriteAllText(Path.Combine(modules, "bench/noop.lua"), NoopController);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Acf:System:Mode"] = "demo",
            ["Acf:System:Root"] = data.FreshDataPath("data-inprocess") + "/demo-root",
            ["Acf:Data:Path"] = Path.Combine(data.Directory, "data-inprocess"),
            ["Acf:Modules:Path"] = modules,
            ["Acf:Broker:Process"] = "in-process", // the runner and the broker themselves, in this process
        });
        // In this process: the sandbox and the runner themselves, on the tests' in-process executor (a double of the
        // worker pool, compiled in here too). The HTTP runs measure the app with its workers (this process is not an
        // Acf.Web that could serve as a worker).
        builder.Services.AddSingleton<IActionExecutor>(new InProcessExecutor());
        builder.Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        builder.AddAcfModules();
        return builder.Build();
    }

    /// <summary>The no-op action's request, as root, and what a sandbox is given besides.</summary>
    private static (SandboxRequest, ISystemBroker, ModuleCatalog, ModulesOptions) NoopRequest(IServiceProvider services) =>
        ActionRequest(services, "bench", "noop", "run");

    /// <summary>An action's request as root, without input, and what a sandbox is given besides.</summary>
    internal static (SandboxRequest Request, ISystemBroker Broker, ModuleCatalog Catalog, ModulesOptions Limits) ActionRequest(
        IServiceProvider services, string module, string controller, string action)
    {
        var catalog = services.GetRequiredService<ModuleCatalog>();
        var manifest = catalog.Find(module) ?? throw new InvalidOperationException($"the {module} module was not found");
        var request = new SandboxRequest(manifest, controller, action, new AcfPrincipal("root", [AcfRoles.Admin]),
            catalog.ReadController(module, controller)!, new ModuleInput(new Dictionary<string, IReadOnlyList<string>>()));
        return (request, services.GetRequiredService<ISystemBroker>(), catalog, services.GetRequiredService<IOptions<ModulesOptions>>().Value);
    }

    // A state is used by one thread at a time, as a worker does it. Pooled: what a worker's action waits for is taking
    // the kept state and running in it; giving it back (the full collection) follows the answer, so it is in the
    // process CPU and not in the wall time.
    private static Task<StartTimings> StartAsync(SandboxRequest request, ISystemBroker broker, ILuaLibraries libraries, ModulesOptions limits, int runs) =>
        OnThread(() =>
        {
            using var pool = new LuaStatePool();
            var domain = LuaStatePool.DomainOf(request.Module.Prefix, request.User, broker.Info);
            LuaSandbox? kept = null;
            var pooled = Repeat(runs, 400, () =>
            {
                var state = kept = pool.Take(domain, limits);
                Check(state.Run(request, broker, libraries, limits, NullLogger.Instance));
                return () => pool.Return(domain, state);
            });
            var fresh = Repeat(runs, 400, () =>
            {
                using (var sandbox = new LuaSandbox(limits)) Check(sandbox.Run(request, broker, libraries, limits, NullLogger.Instance));
                return () => { };
            });
            return new StartTimings(pooled, fresh, kept!.MemoryInUse, kept.BaseMemory);
        });

    private static void Check(SandboxOutcome outcome)
    {
        if (outcome.Error is { } error) throw new InvalidOperationException(error);
    }

    private static async Task Run(ModuleRunner runner, AcfPrincipal user, string module, string controller, string action)
    {
        var result = await runner.RunAsync(user, module, controller, action, new ModuleInput(new Dictionary<string, IReadOnlyList<string>>()));
        if (result.Status != RunStatus.Ok) throw new InvalidOperationException($"{module}/{controller}/{action}: {result.Status} {result.Error}");
    }

    /// <summary>Times <paramref name="action"/>; what it answers runs after the clock stopped (off the timed path) but
    /// within the process CPU.</summary>
    private static Timing Repeat(int runs, int warmup, Func<Action> action)
    {
        for (var i = 0; i < warmup; i++) action()();
        var times = new List<double>(runs);
        var cpu = Timing.ProcessCpu();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.GetTimestamp();
            var after = action();
            times.Add(Stopwatch.GetElapsedTime(clock).TotalMicroseconds);
            after();
        }
        return Timing.Of(times, Timing.ProcessCpu() - cpu);
    }

    private static async Task<Timing> RepeatAsync(int runs, int warmup, Func<Task> action)
    {
        for (var i = 0; i < warmup; i++) await action();
        var times = new List<double>(runs);
        var cpu = Timing.ProcessCpu();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.GetTimestamp();
            await action();
            times.Add(Stopwatch.GetElapsedTime(clock).TotalMicroseconds);
        }
        return Timing.Of(times, Timing.ProcessCpu() - cpu);
    }

    internal static Task<T> OnThread<T>(Func<T> body)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(body());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }, 16 << 20);
        thread.Start();
        return done.Task;
    }
}
