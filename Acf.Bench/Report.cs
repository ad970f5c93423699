namespace Acf.Bench;

/// <summary>docs/PERFORMANCE.md: the targets with what was measured, then the tables they come from.</summary>
internal static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Write(BenchOptions options, Machine machine, string loadAtEnd, LuaTimes lua, SandboxTimings sandbox,
        IReadOnlyList<ProfileResult> profiles, FloorResult? floor, BlazorFloorResult? blazorFloor, TimeSpan took, LuaFloorTimings luaFloor)
    {
        var main = profiles[0];
        var squid = main.Action(Bench.Squid);
        var squidHttp = squid.At(1).P50Ms;
        var squidInProcess = sandbox.SquidRead.MedianUs / 1000;
        var luaMs = lua.CachedUs / 1000;

        var text = new StringBuilder();
        text.AppendLine("# Performance");
        text.AppendLine();
        text.AppendLine(Invariant, $"Written by `scripts/bench.sh` on {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC{(options.Quick ? " (quick run)" : "")}, in {took.TotalSeconds:F0} s.");
        text.AppendLine();
        text.AppendLine(string.Create(Invariant, $"Machine: {machine.Cpu}, {machine.Cores} cores, {machine.MemoryBytes / (1L << 30)} GiB RAM, {machine.Os}, Linux {machine.Kernel}, {machine.Runtime}; ")
            + string.Create(Invariant, $"the app published in Release with ReadyToRun (`scripts/bench.sh`). Load average at the start {machine.LoadAverage}, at the end {loadAtEnd}: ")
            + "with other work on the machine the numbers are noisy (latency and rates suffer most, memory hardly); rerun "
            + "`scripts/bench.sh` on a quiet machine for a baseline.");
        text.AppendLine();
        text.AppendLine("The app runs module code in worker processes, its one way to run it (`Acf:Modules:Workers`: three slots whose workers "
            + "start when an action needs one and stop after `Acf:Modules:WorkerIdleSeconds` idle: "
            + string.Create(Invariant, $"{Bench.WorkerIdleSeconds} s in these runs, 120 s by default): every RSS ")
            + "and server CPU figure below is of the app and its workers together. The load runs send up to 64 requests "
            + "at once as one user, so `Acf:Modules:ActionsQueuedPerUser` is raised from 32 to 256 for them (beyond it the "
            + "app answers one user's flood \"busy\").");
        text.AppendLine();
        TargetsReport.Write(text, machine, lua, sandbox, main, floor, blazorFloor, luaFloor);
        text.AppendLine("On a loaded machine wall-clock latency, rate and start time suffer most, CPU time and memory least. The "
            + "appliance settings are the ones published (see \"Runtime settings\"); the same runs with the SDK's defaults are "
            + "further down.");
        text.AppendLine();

        text.AppendLine("## Actions over loopback HTTP");
        text.AppendLine();
        text.AppendLine("`wrk` in its own process (2 threads, 1 for one client, keep-alive), logged in with the session cookie from the real login form "
            + "(and the antiforgery header the API asks of cookie calls), or with a bearer token where the row says so; "
            + $"{(options.Quick ? 2 : 4)} s per run after a 2 s warm-up; latency as wrk measured it. Each response is the action's CFE as JSON. "
            + "Server CPU per request is the app's CPU time during the run (all its threads, from /proc) over the requests served: "
            + "unlike latency and rate it hardly depends on what else the machine runs, and 2 cores divided by it bounds the rate the app could serve.");
        text.AppendLine();
        text.Append("| action | clients |");
        foreach (var p in profiles) text.Append(Invariant, $" {p.Profile.Name}: p50 (ms) | p99 (ms) | requests/s | server CPU/request (µs) |");
        text.AppendLine();
        text.Append("| --- | ---: |");
        foreach (var _ in profiles) text.Append(" ---: | ---: | ---: | ---: |");
        text.AppendLine();
        for (var a = 0; a < main.Actions.Count; a++)
            foreach (var clients in main.Actions[a].Loads.Select(l => l.Clients))
            {
                text.Append(Invariant, $"| `{main.Actions[a].Name}`{(main.Actions[a].Bearer ? ", bearer token" : "")} | {clients} |");
                foreach (var p in profiles)
                {
                    var load = p.Actions[a].At(clients);
                    var errors = load.Errors > 0 ? $" ({load.Errors} errors)" : "";
                    text.Append(Invariant, $" {load.P50Ms:F2} | {load.P99Ms:F2} | {load.RequestsPerSecond:N0}{errors} | {load.ServerCpuUs:N0} |");
                }
                text.AppendLine();
            }
        text.AppendLine();

        text.AppendLine("## Lua: the sandbox against plain lua5.4");
        text.AppendLine();
        text.AppendLine("The Squid settings read (`squid/config.lua`'s `edit` without a submit: read squid.conf, parse it with "
            + "`lib/squidconf.lua`, build the form) on Debian's stock squid.conf (9,164 lines, the full documented file).");
        text.AppendLine();
        text.AppendLine("| run | median (ms) |");
        text.AppendLine("| --- | ---: |");
        text.AppendLine(Invariant, $"| plain `lua5.4` ({lua.Version}), fresh environments, chunks compiled once (`Acf.Bench/lua/squid-read.lua`) | {luaMs:F2} |");
        text.AppendLine(Invariant, $"| plain `lua5.4`, chunks compiled for every action | {lua.CompileUs / 1000:F2} |");
        text.AppendLine(Invariant, $"| plain `lua5.4`, compiled once, with the sandbox's pattern guard and count hook (its own safety, no hosting) | {lua.GuardedUs / 1000:F2} |");
        var kept = sandbox.SquidKept;
        text.AppendLine(Invariant, $"| Acf as a worker runs it: the module's kept state (`LuaStatePool`), the read (sandbox, broker read, CFE to C#) and the collection after it, CPU of its thread | {kept.AcfUs / 1000:F2} |");
        text.AppendLine(Invariant, $"| … plain `lua5.4` as above, run between its rounds | {kept.LuaUs / 1000:F2} |");
        text.AppendLine(Invariant, $"| Acf in-process: `ModuleRunner.RunAsync` (a new state and a new thread, the tests' in-process executor), wall | {squidInProcess:F2} |");
        text.AppendLine(Invariant, $"| … its CPU time per read | {sandbox.SquidRead.CpuUs / 1000:F2} |");
        text.AppendLine(Invariant, $"| Acf over HTTP, 1 client, p50 | {squidHttp:F2} |");
        text.AppendLine();
        text.AppendLine("plain lua5.4 times are CPU time (`os.clock`); Acf's wall times wait for a core on a loaded machine, so the ratio "
            + "is taken on CPU time. The process CPU of the in-process runs includes the runtime's own threads (GC, JIT).");
        text.AppendLine();
        text.AppendLine(Invariant, $"Issue 19's ratio is the read as the product runs it: in a worker, in the state kept for the module and "
            + $"the user, on one thread (a worker is compiled ahead of time, so no JIT thread works beside it), timed by that thread's "
            + $"CPU clock with the full collection after the read included. The machine's speed drifts within a run (plain lua5.4 "
            + $"itself read 13 to 23 ms a read within one hour of 2026-12-07), so {kept.Rounds} rounds alternate {kept.Runs} reads of each and the "
            + $"ratio is the median of the rounds' ratios: {kept.Ratio:F2}×. Beside the lua5.4 with the sandbox's pattern guard and "
            + $"count hook above, what is left is the hosting: the allocator that counts the state's memory (a call into .NET per "
            + $"allocation), the broker's read and the form handed to C#.");
        text.AppendLine();

        text.AppendLine("## Sandbox start and in-process actions");
        text.AppendLine();
        text.AppendLine("| what | median (µs) | p99 (µs) | process CPU per run (µs) | runs |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        Row(text, "sandbox start: a fresh environment in the state a worker kept for the same module and user (`LuaStatePool`), "
            + "load and run an action that returns at once (the CPU includes the full collection after it, off the answer's path)", sandbox.SandboxStart);
        Row(text, "the same action in a new state: state, prelude, host table, the action, close (every action before states were kept; "
            + "the in-process test executor's still)", sandbox.NewState);
        Row(text, "`ModuleRunner.RunAsync` of that action (role check, a thread of the in-process test executor, the sandbox)", sandbox.RunnerNoop);
        Row(text, "`ModuleRunner.RunAsync` `hostname/read`", sandbox.HostnameRead);
        Row(text, "`ModuleRunner.RunAsync` `squid/config/edit` (stock squid.conf)", sandbox.SquidRead);
        Row(text, "`ModuleRunner.RunAsync` `apk-tools/packages/installed` (20,000-package index)", sandbox.PackagesInstalled);
        text.AppendLine();

        text.AppendLine("## Memory and start");
        text.AppendLine();
        text.Append("| | ");
        text.AppendLine(string.Join(" | ", profiles.Select(p => p.Profile.Name)) + " |");
        text.AppendLine("| --- |" + string.Concat(profiles.Select(_ => " ---: |")));
        Line(text, "cold start to the first 200 on /login (median of 3)", profiles, p => $"{p.ColdStart.TotalSeconds:F2} s");
        Line(text, string.Create(Invariant, $"idle {Bench.IdleAfter.TotalSeconds:F0} s after start (workers stopped, idle trim done): PSS / RSS / private"), profiles, p => Use(p.Idle));
        Line(text, "… RSS of the app alone: anonymous (heaps) / file-backed (runtime, assemblies) / shared (JIT code)", profiles,
            p => $"{Mb(p.IdleParts.Anon)} / {Mb(p.IdleParts.File)} / {Mb(p.IdleParts.Shmem)} MB");
        Line(text, $"with the first {CircuitCost.WarmCircuits} circuits", profiles, p => Use(p.Circuits.BeforeCircuits));
        Line(text, $"with {CircuitCost.CircuitCount} logged-in circuits on `/`", profiles, p => $"{Use(p.Circuits.WithCircuits)} ({CircuitCost.CircuitCount} open)");
        Line(text, "more per circuit after the first ones (the median of the steps): PSS / RSS", profiles, p => $"{p.Circuits.PerCircuitPss / 1e6:F2} / {p.Circuits.PerCircuitRss / 1e6:F2} MB");
        Line(text, "after the load runs and the circuits above", profiles, p => Use(p.AfterRuns));
        text.AppendLine();
        if (main.Mixed is { } mixed)
        {
            text.AppendLine(string.Create(Invariant, $"**Mixed load** ({main.Profile.Name}): for {mixed.Duration.TotalMinutes:0.#} minutes, 12 clients read ")
                + "`hostname/read` with a bearer token, 2 with the session cookie and 2 read the first page of the 20,000-package list, while rounds of "
                + string.Create(Invariant, $"{CircuitCost.CircuitCount} logged-in circuits are opened and closed ({mixed.CircuitsOpened:N0} circuits in {mixed.Rounds} rounds; ")
                + string.Create(Invariant, $"{mixed.ApiRequests:N0} API requests, {mixed.ApiErrors} errors). ")
                + "A closed circuit's socket closes without the browser's disconnect beacon, as a lost tab's does.");
            text.AppendLine();
            text.AppendLine("| | PSS / RSS / private |");
            text.AppendLine("| --- | ---: |");
            text.AppendLine($"| before | {Use(mixed.Before)} |");
            text.AppendLine($"| highest seen during the load | {Use(mixed.Peak)} |");
            text.AppendLine($"| when the load ended | {Use(mixed.AtEnd)} |");
            text.AppendLine(Invariant, $"| {mixed.Settle.TotalSeconds:F0} s later | {Use(mixed.After)} |");
            text.AppendLine();
        }
        text.AppendLine("Circuits are opened by `Acf.Bench/Circuits.cs` as blazor.web.js opens them: the page's component markers, "
            + "`StartCircuit`, `UpdateRootComponents`, every render batch acknowledged and JS interop calls answered; memory is "
            + "read 5 s after the last one opened. JS calls each page made: "
            + string.Join(", ", main.Circuits.JsCalls.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"`{c.Key}` ×{c.Value / CircuitCost.CircuitCount}")) + ".");
        text.AppendLine();

        text.AppendLine("## Runtime settings");
        text.AppendLine();
        foreach (var p in profiles) text.AppendLine(Invariant, $"- **{p.Profile.Name}**: {p.Profile.Description}");
        text.AppendLine();
        text.AppendLine("The same published build runs with both: the SDK defaults through a second runtimeconfig.json "
            + "(`dotnet exec --runtimeconfig`).");
        text.AppendLine();
        text.AppendLine("## Where the time and memory go");
        text.AppendLine();
        text.AppendLine("- **Per action.** In these in-process rows `ModuleRunner` hands every action to the tests' in-process executor "
            + "(`Acf.Tests/Doubles/InProcessExecutor`, compiled into the bench), a new thread with a 16 MB stack and a watchdog: "
            + string.Create(Invariant, $"the no-op through the runner ({sandbox.RunnerNoop.MedianUs:N0} µs) against the sandbox alone in a new state ({sandbox.NewState.MedianUs:N0} µs) ")
            + "is mostly that thread's cost. The app has no such path: it runs every action in a worker process (the HTTP rows).");
        var noop = main.Action(FloorModule.Name, bearer: true).At(16).ServerCpuUs;
        var read = main.Action(Bench.Hostname, bearer: true).At(16).ServerCpuUs;
        text.AppendLine("- **The floor of an action.** " + string.Create(Invariant,
            $"Over HTTP with a bearer token at 16 clients, an action that returns a constant (`bench-floor/noop/read`, installed in the measured copy of the app only) costs {noop:N0} µs of server CPU, `hostname/read` {read:N0} µs")
            + (floor is null ? "" : string.Create(Invariant, $" and the empty ASP.NET app {floor.Sixteen.ServerCpuUs:N0} µs"))
            + ". So most of a read is Acf's fixed price per action, not the action's work: authentication and the role check, "
            + "the request to a worker process and its answer over the pipe (each a wake-up of another process, and the "
            + "worker's broker calls back to the app), and the action's fresh Lua environment. A read near 200 µs would need module "
            + "code run inside the web process: the isolation of issue 16 (module code in killable, unprivileged "
            + "worker processes) is what this price buys, and it is kept.");
        text.AppendLine("- **Sandbox start: a kept state.** " + string.Create(Invariant,
            $"A bare Lua state with the sandbox's five libraries costs {luaFloor.BareState.MedianUs:F0} µs to open and close here ({luaFloor.CountedState.MedianUs:F0} µs with the allocator that counts the state's memory, so the count is not the cost); ")
            + "a new state with the prelude undumped and run, the host table and the close costs most of the new-state row "
            + "(docs/benchmarks.md splits it), and an action's own part (its environment, context, input, chunk and CFE read) "
            + "little. So a worker keeps up to 8 states, each for one module and one user (name and roles), and gives each "
            + "action a fresh environment in it: new globals, library and `acf` tables (views that never reach the shared "
            + "ones), require cache, context, limits and hook; a state whose action failed or hit a limit, or that holds more "
            + "than 256 KiB above its size when new after the full collection, is closed (docs/isolation.md). "
            + "`Acf.Tests/Hostile/HostileReuseTests` tries every way for one action to leave something to the next in its state.");
        text.AppendLine("- **Sandbox start.** Each action gets a fresh environment; what it no longer pays for is compiling: the "
            + "prelude, controllers and libraries are compiled once and loaded from their bytecode (keyed by the catalog's "
            + "cached source, so an edited file is compiled again), and the host functions are static thunks shared by all "
            + "states. `Acf.Tests/Modules/LuaSandboxCacheTests` checks that globals, the string library and library tables "
            + "are new in every action, in a kept state. In a worker, a library's text used to cross the pipe on every `require` of every "
            + "action and be hashed again there: per action of awall's policy page 12 libraries, 89.6 KB of Lua (about 120 KB "
            + "on the pipe). The worker now keeps what it was sent and names its copy's hash; the app answers \"unchanged\" (about "
            + "100 bytes) while the file is the same (`Acf.Tests/Isolation/WorkerLibrariesTests`). "
            + "The pattern guard remembers the patterns it has passed, per state: a parser that "
            + "matches the same patterns on every line counted each one's quantifiers in Lua on every call.");
        text.AppendLine("- **HTTP.** Each request reads its cookie and antiforgery header (each ciphertext decrypted once, then remembered: "
            + "`UnprotectMemo`) or its token, checks the session and the current roles against the host's files (passwd, roles, "
            + "tokens: their stamps kept between requests while the broker's inotify watch says none changed, `HostStampWatch`; "
            + "before, one broker round trip a request, about 75 µs of the broker's CPU), routes, runs the action and writes JSON; "
            + "the difference between the in-process and the HTTP rows above is that cost. A cookie call costs the app about 40 µs of CPU more than a token call "
            + "(docs/benchmarks.md, \"The cookie path\").");
        text.AppendLine("- **Circuits.** A logged-in page holds its component tree per tab, and every component two render trees "
            + "(frame arrays of a few KB each) besides its own objects: what a circuit costs follows how many components it "
            + "has. Counted in heap dumps (`dotnet-gcdump`, 30 circuits on /account): the side menu built of MudNavLinks and "
            + "MudNavGroups made 170 components a tab and 1.05 MB of live heap; written as one component with MudBlazor's "
            + "markup (`AppNav`) it is 83 components and 0.61 MB. The dashboard's three MudCharts (dozens of components each, and "
            + "33 JavaScript size queries a page) are now plain SVG lines (`LineChart`): RSS per circuit on / went from 2.96 MB "
            + "to 1.9 MB with both changes (30 circuits). The dashboard's cards and usage bars are MudBlazor's markup written out, not MudText, "
            + "MudPaper, MudItem, MudGrid and a component a bar (103 components a circuit on / became 67 with two more in the app "
            + "bar and no snackbar provider), and the theme's style sheet (23 KB) is one string shared by every circuit "
            + "(`SharedThemeProvider`): live heap per circuit on / 739 to 587 KiB (docs/benchmarks.md). The app bar (its icon "
            + "buttons and chips), the main content's frame, the lbu chip and the list of what needs attention are MudBlazor's "
            + "markup too, each icon one shared string (`MudIconMarkup`): 41 components a circuit on / instead of 67, live heap "
            + "per circuit 457 KiB against 563 to 583 (heap dumps of 5 and 50 circuits, two runs of each build), and an open "
            + "tab no longer renders every second for a countdown with nothing to count. Circuits decline the "
            + "WebSocket compression browsers offer, which kept a zlib state per tab (about 0.2 MB; the harness offers it as "
            + "browsers do). The "
            + "RSS per circuit also carries heap the GC has not returned yet.");
        if (blazorFloor is not null) StackFloor(text, main, blazorFloor);
        text.AppendLine("- **Idle RSS.** Much of it is file-backed: the runtime, the framework's ReadyToRun images and MudBlazor "
            + "mapped from disk (the anonymous part, the heaps, is the smaller one). The trimmed self-contained Alpine build "
            + "maps less of the framework.");
        text.AppendLine("- **The broker and the workers, compiled ahead of time.** The published app carries `acf-helper` (Acf.Helper: "
            + "the broker's and the worker's modes, Native AOT) and starts it in those roles instead of its own executable: no JIT, "
            + "no IL, only the code they reach. What it saves is per worker, not at rest. The same build with and without it, "
            + "alone on the machine (no other .NET process, 2026-12-07, demo host, after a login and the host name page): at rest "
            + "(45 s, workers stopped) 144.5 MB PSS with the app's executable as the broker and 145.1 MB with acf-helper: the "
            + "broker's own PSS falls from 41.2 to 23.3 MB, but the runtime pages it shared with the app are then the app's alone "
            + "(103.3 to 121.8 MB), and acf-helper's own code is shared with nothing. With two workers running (2 s later) 196.8 MB "
            + "against 184.0 MB: a worker is about 24 MB PSS and 13 MB private as the app's executable, 10 MB and 6 MB as acf-helper, "
            + "and it is ready in 73 ms instead of 707 (docs/isolation.md). At rest the box still runs two processes, and the app "
            + "is one .NET runtime with ASP.NET Core, Blazor and MudBlazor (Blazor Server cannot be compiled ahead of time).");
        text.AppendLine("- **At rest.** Workers start on demand and stop when idle, so a box nobody uses runs the app alone; once no "
            + "request or circuit event (a circuit's end included) came for 10 to 20 s, one aggressive collection gives the heap a burst grew back and glibc's `malloc_trim` "
            + "the native heap's free arena pages (`IdleMemoryTrim`); the broker process does the same once no call that allocated "
            + "256 KB or more came for as long, and drops its parsed package indexes first (without it, 60 s after the mixed load "
            + "the broker held 102 MB PSS and 86 MB private, against 25 and 21 MB at rest; `Acf.Bench --memory-after-load` shows each process). A page closed while its reads still wait for one of the "
            + "user's places takes them out of the queue (before, closed tabs' queued reads kept the workers busy for the whole "
            + "minute after the mixed load). A tab closed in a browser frees its circuit at once (blazor.web.js's disconnect beacon, which the harness sends "
            + "too); one that vanished without a word is kept `Acf:Web:DisconnectedCircuitSeconds` (30 s).");
        text.AppendLine("- **After a load.** Per process (`Acf.Bench --memory-after-load`, docs/benchmarks.md): 60 s after a "
            + "1-minute mixed load the workers have stopped and the broker is back within about 5 MB of its rest; what the app keeps "
            + "(about 30 MB of dirty memory) is the JIT's code for the paths the load ran first (17 to 32 MB), the types it loaded "
            + "and the pages of the assemblies it touched: paid once, a second load added 6 MB.");
        text.AppendLine("- **apk.** The broker reads apk's files (parsed indexes, and the merged and sorted list of what they "
            + "offer, kept while the files are unchanged) and sends a module only the list it asked for: the installed page "
            + "no longer receives a mirror's 20,000 available packages, and the available page gets the one page it shows, "
            + "filtered and cut where the index is (`acf.apk.available{ filter =, offset =, limit = }`). A call reads only the "
            + "files its list needs (`ApkState` reads each part when first asked for): the installed list reads no index, and "
            + "the available page's two calls read the installed database once.");
        return text.ToString();
    }

    /// <summary>What the stack alone costs against issue 19's two memory targets, and what Acf adds above it: the words
    /// follow the measurement (a floor above its target says the target cannot be met on this stack).</summary>
    private static void StackFloor(StringBuilder text, ProfileResult main, BlazorFloorResult floor)
    {
        string Beside(double floorBytes, double target, string what) => floorBytes > target
            ? string.Create(Invariant, $"more than the target of {target / 1e6:0.#} MB before Acf adds anything, so {what} cannot be met on the stack the project chose (Blazor Server with MudBlazor)")
            : string.Create(Invariant, $"under the target of {target / 1e6:0.#} MB, so the stack leaves room for {what}");
        text.AppendLine("- **The stack's floor.** " + string.Create(Invariant,
            $"An empty Blazor Server app with MudBlazor (`scripts/bench-floors/EmptyBlazor`: the providers Acf's layout has, an app bar and a page with a button, read as Acf is) rests at {floor.Idle.Pss / 1e6:F1} MB PSS, ")
            + Beside(floor.Idle.Pss, 60e6, "the idle row") + string.Create(Invariant,
            $"; Acf at rest is {(main.Idle.Pss - floor.Idle.Pss) / 1e6:F1} MB above it (its own code and the broker process). Each circuit on that one page costs {floor.Circuits.PerCircuitPss / 1e6:F2} MB, ")
            + Beside(floor.Circuits.PerCircuitPss, 0.5e6, "the circuit row") + string.Create(Invariant,
            $"; a circuit on Acf's dashboard costs {(main.Circuits.PerCircuitPss - floor.Circuits.PerCircuitPss) / 1e6:+0.00;-0.00} MB beside it (its components and their render trees). ")
            + $"Each is the median of three steps of {CircuitCost.StepCircuits} circuits opened and kept open (Acf's steps: {main.Circuits.StepsText} MB a circuit; "
            + $"the floor's: {floor.Circuits.StepsText}): a step in which the GC commits a new range of its heap reads far more than one that uses it (`CircuitCost`).");
    }

    private static string Mb(long bytes) => (bytes / 1e6).ToString("F1", Invariant);

    private static string Use(MemoryUse use) => $"{Mb(use.Pss)} / {Mb(use.Rss)} / {Mb(use.Private)} MB";

    private static void Row(StringBuilder text, string what, Timing timing) =>
        text.AppendLine(Invariant, $"| {what} | {timing.MedianUs:N0} | {timing.P99Us:N0} | {timing.CpuUs:N0} | {timing.Runs:N0} |");

    private static void Line(StringBuilder text, string what, IReadOnlyList<ProfileResult> profiles, Func<ProfileResult, string> cell) =>
        text.AppendLine($"| {what} | " + string.Join(" | ", profiles.Select(cell)) + " |");
}
