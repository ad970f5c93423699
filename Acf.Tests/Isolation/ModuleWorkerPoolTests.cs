namespace Acf.Tests.Isolation;

/// <summary>
/// Module code in worker processes, through <see cref="ModuleRunner"/> as the pages use it: runaways that no Lua
/// hook can stop are killed at the wall-time limit, dead workers are replaced, apk's live lines still reach the
/// page. Each test has its own pool of one worker, so the worker it kills is its own (and one its own pool of three).
/// </summary>
public sealed class ModuleWorkerPoolTests : IDisposable
{
    private const string Manifest = """
        { "title": "Worker probe",
          "roles": { "GUEST": [ "ctl/run", "ctl/ok" ], "ADMIN": [ "ctl/install" ] },
          "capabilities": { "read": [ "/etc/probe" ], "apk": [ "read", "add" ] } }
        """;

    private readonly ModuleWorkerPool _pool = new(WorkerLaunch.Default(), 1, NullLogger.Instance);

    public void Dispose() => _pool.Dispose();

    private ModuleTestHost HostWith(string body, int wallTimeSeconds)
    {
        var host = new ModuleTestHost(new ModulesOptions
        {
            InstructionLimit = 10_000_000_000, WallTimeSeconds = wallTimeSeconds, MemoryLimitBytes = 16 << 20,
        }, workers: _pool);
        host.AddModule("mod", Manifest, ("ctl", ModuleTestHost.ProbeController(body, """
            function M.ok(ctx) return { type = "text", value = acf.fs.read("/etc/probe") } end
            function M.install(ctx) local r = acf.apk.add({ "nginx" }) return { type = "text", value = tostring(r.status) } end
            """)));
        host.WriteRootFile("/etc/probe", "fine");
        return host;
    }

    [Fact]
    public async Task RunAsync_SameModuleAndUserAgain_GoesToTheWorkerThatKeepsItsState()
    {
        using var pool = new ModuleWorkerPool(WorkerLaunch.Default(), 3, NullLogger.Instance);
        using var host = new ModuleTestHost(new ModulesOptions(), workers: pool);
        host.AddModule("mod", Manifest, ("ctl", ModuleTestHost.ProbeController("return { type = 'text', value = tostring(print) }")));

        var states = new List<string?>();
        for (var i = 0; i < 5; i++) states.Add((await host.RunOkAsync(ModuleTestHost.Guest, "mod", "ctl", "run")).Text);

        Assert.Single(states.Distinct()); // one Lua state (the address of its shared print) served them all
        Assert.Single(pool.RunningProcessIds); // and one worker: the others were never started for them
    }

    private async Task<int> BusyWorker(Task running)
    {
        while (!running.IsCompleted)
        {
            if (_pool.BusyProcessIds.FirstOrDefault() is var pid and > 0) return pid;
            await Task.Delay(20);
        }
        throw new InvalidOperationException("The action ended before a worker was seen running it.");
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [Fact]
    public async Task RunAsync_PatternRunawayInsideC_StopsAtWallTimeAndNextUserIsServed()
    {
        // 16 lazy items pass the pattern guard, yet matching them against 300 characters that never end in 'x'
        // backtracks inside C for longer than anyone will wait: only killing the process stops it.
        using var host = HostWith("""
            return { type = "text", value = tostring(string.find(("a"):rep(300), (".-"):rep(16) .. "x")) }
            """, wallTimeSeconds: 1);

        var running = host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run");
        var pid = await BusyWorker(running);
        var result = await running;
        var next = await host.RunAsync(ModuleTestHost.User, "mod", "ctl", "ok");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("time limit of 1 s was exceeded inside a library call", result.Error);
        Assert.False(IsRunning(pid), $"worker {pid} still runs");
        Assert.Equal(RunStatus.Ok, next.Status);
        Assert.Equal("fine", next.Entity!.Text);
    }

    [Fact]
    public async Task RunAsync_WorkerKilledDuringAction_FailsClearlyAndIsReplaced()
    {
        using var host = HostWith("while true do end", wallTimeSeconds: 60);

        var running = host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run");
        var pid = await BusyWorker(running);
        using (var worker = Process.GetProcessById(pid)) worker.Kill();
        var result = await running;
        var next = host.RunAsync(ModuleTestHost.User, "mod", "ctl", "ok");
        var nextResult = await next;

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("the module worker ended unexpectedly", result.Error);
        Assert.Equal(RunStatus.Ok, nextResult.Status);
        Assert.Equal("fine", nextResult.Entity!.Text);
    }

    [Fact]
    public async Task RunAsync_WorkerIdleLongerThanItsTime_StopsAndTheNextActionStartsANewOne()
    {
        // Issue 19: an idle box pays for no worker (about 20 MB each).
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var pool = new ModuleWorkerPool(WorkerLaunch.Default(), 1, NullLogger.Instance, TimeSpan.FromSeconds(120), time);
        using var host = new ModuleTestHost(new ModulesOptions(), workers: pool);
        host.AddModule("mod", Manifest, ("ctl", """local M = {} function M.ok(ctx) return { type = "text", value = acf.fs.read("/etc/probe") } end return M"""));
        host.WriteRootFile("/etc/probe", "fine");
        Assert.Empty(pool.RunningProcessIds); // nothing starts before it is needed

        Assert.Equal("fine", (await host.RunAsync(ModuleTestHost.User, "mod", "ctl", "ok")).Entity!.Text);
        var first = Assert.Single(pool.RunningProcessIds);
        time.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal([first], pool.RunningProcessIds); // used 100 s ago: kept
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Empty(pool.RunningProcessIds);
        Assert.False(IsRunning(first) && !IsZombie(first), $"idle worker {first} still runs");

        var again = await host.RunAsync(ModuleTestHost.User, "mod", "ctl", "ok");

        Assert.Equal("fine", again.Entity!.Text);
        Assert.NotEqual(first, Assert.Single(pool.RunningProcessIds));
    }

    [Fact]
    public async Task Warm_NoIdleWorker_StartsOneAhead_AndOnlyOne()
    {
        using var pool = new ModuleWorkerPool(WorkerLaunch.Default(), 2, NullLogger.Instance, TimeSpan.FromSeconds(120));

        pool.Warm();
        pool.Warm(); // one already waits (starting): no second process

        using var host = new ModuleTestHost(new ModulesOptions(), workers: pool);
        host.AddModule("mod", Manifest, ("ctl", """local M = {} function M.ok(ctx) return { type = "text", value = "warm" } end return M"""));
        var warmed = await host.RunAsync(ModuleTestHost.User, "mod", "ctl", "ok"); // served by the warmed slot
        Assert.Equal("warm", warmed.Entity!.Text);
        Assert.Single(pool.RunningProcessIds);
    }

    private static bool IsZombie(int pid) =>
        File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].TrimStart().StartsWith('Z');

    [Fact]
    public async Task StartAsync_AppHasGcSettings_WorkerIsStartedWithThem()
    {
        // Issue 19: DOTNET_GCConserveMemory on the app could not reach the workers (a fixed environment).
        using var pool = new ModuleWorkerPool(WorkerLaunch.Default(), 1, NullLogger.Instance);
        using var host = new ModuleTestHost(new ModulesOptions { InstructionLimit = 10_000_000_000, WallTimeSeconds = 2 }, workers: pool);
        host.AddModule("mod", Manifest, ("ctl", "local M = {} function M.run(ctx) while true do end end return M"));
        Environment.SetEnvironmentVariable("DOTNET_GCConserveMemory", "7");
        string environ;
        try
        {
            var running = host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run");
            int pid;
            while ((pid = pool.BusyProcessIds.FirstOrDefault()) == 0 && !running.IsCompleted) await Task.Delay(20);
            environ = File.ReadAllText($"/proc/{pid}/environ");
            await running;
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOTNET_GCConserveMemory", null);
        }

        var variables = environ.Split('\0');
        Assert.Contains("DOTNET_GCConserveMemory=7", variables);
        Assert.Contains("DOTNET_gcServer=0", variables);
        // 256 MiB in the one form both runtimes read (hex, no "0x"): acf-helper's GC ignores "0x10000000" (no limit).
        Assert.Contains("DOTNET_GCHeapHardLimit=10000000", variables);
        Assert.DoesNotContain(variables, v => v.StartsWith("Acf__", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ApkAddInWorker_ProgressLinesReachTheCaller()
    {
        using var host = HostWith("return nil", wallTimeSeconds: 10);
        host.CopyDemoTree();
        var lines = new List<string>();

        var result = await host.Runner.RunAsync(ModuleTestHost.Admin, "mod", "ctl", "install", Acf.Modules.Cfe.ModuleInput.Empty,
            output: line => { lock (lines) lines.Add(line); });

        Assert.Equal(RunStatus.Ok, result.Status);
        Assert.Equal("0", result.Entity!.Text);
        Assert.Contains(lines, l => l.Contains("nginx", StringComparison.Ordinal));
        Assert.Contains("nginx", host.ReadRootFile("/etc/apk/world"));
    }

    /// <summary>Issue 20: a long save names its step (acf.progress) and the page shows it; from a worker too.</summary>
    [Fact]
    public async Task RunAsync_ProgressInWorker_StepsReachTheCallerInOrderAsOneLine()
    {
        using var host = HostWith("""
            acf.progress("Checking\nsquid.conf")
            acf.progress("Restarting frr")
            return { type = "text", value = "done" }
            """, wallTimeSeconds: 10);
        var steps = new List<string>();

        var result = await host.Runner.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run", Acf.Modules.Cfe.ModuleInput.Empty,
            progress: step => { lock (steps) steps.Add(step); });

        Assert.Equal(RunStatus.Ok, result.Status);
        Assert.Equal(["Checking squid.conf", "Restarting frr"], steps);
    }

    [Fact]
    public async Task LaunchFor_WorkerUser_WorkerRunsAsThatUserWithNoNewPrivileges()
    {
        if (Environment.UserName != "root")
        {
            // Switching users needs root: the pool refuses at start rather than run workers as the app's user.
            Assert.Throws<InvalidOperationException>(() => ModuleWorkerPool.LaunchFor("nobody"));
            return;
        }
        using var pool = new ModuleWorkerPool(ModuleWorkerPool.LaunchFor("nobody"), 1, NullLogger.Instance);
        using var host = new ModuleTestHost(new ModulesOptions { InstructionLimit = 10_000_000_000, WallTimeSeconds = 60 }, workers: pool);
        host.AddModule("mod", Manifest, ("ctl", """
            local M = {}
            function M.run(ctx) local n = 0 while n < 5e7 do n = n + 1 end return { type = "text", value = "counted" } end
            function M.ok(ctx) return { type = "text", value = acf.fs.read("/etc/probe") } end
            return M
            """));
        host.WriteRootFile("/etc/probe", "fine");
        // acf-helper (scripts/test.sh puts it beside the tests) holds all its code once started: it runs as that user
        // even from a folder only root may enter. The app's own executable, a .NET runtime that loads its assemblies
        // after the switch, cannot.
        if (!ReachableByOthers(AppContext.BaseDirectory) && !File.Exists(Path.Combine(AppContext.BaseDirectory, WorkerLaunch.Helper)))
        {
            // A checkout in a folder only root may enter (mktemp -d): the worker cannot even start as that user, and
            // the action must say so plainly instead of running with the app's rights.
            var refused = await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "ok");
            Assert.Equal(RunStatus.Failed, refused.Status);
            Assert.Contains("worker", refused.Error);
            return;
        }

        var running = host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run");
        var status = await WorkerStatusWhileBusy(pool, running);
        await running;
        var read = await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "ok");

        Assert.Contains("Uid:\t65534\t65534\t65534\t65534", status);
        Assert.Matches(@"Groups:\t *\n", status);
        Assert.Contains("NoNewPrivs:\t1", status);
        Assert.Equal("fine", read.Entity!.Text); // the broker, in the app, still reads a root-owned file for it
    }

    /// <summary>True when every folder above <paramref name="path"/> lets other users through (the x bit for others).</summary>
    private static bool ReachableByOthers(string path)
    {
        for (var dir = new DirectoryInfo(path); dir is not null; dir = dir.Parent)
            if (!File.GetUnixFileMode(dir.FullName).HasFlag(UnixFileMode.OtherExecute)) return false;
        return true;
    }

    private static async Task<string> WorkerStatusWhileBusy(ModuleWorkerPool pool, Task running)
    {
        while (!running.IsCompleted)
        {
            if (pool.BusyProcessIds.FirstOrDefault() is var pid and > 0) return await File.ReadAllTextAsync($"/proc/{pid}/status");
            await Task.Delay(20);
        }
        throw new InvalidOperationException("The action ended before a worker was seen running it.");
    }
}
