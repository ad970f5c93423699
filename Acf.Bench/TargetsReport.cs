namespace Acf.Bench;

/// <summary>
/// Issue 19's table: each target with what was measured, the floors under it where the runtime (the empty ASP.NET app)
/// or the stack (the empty Blazor Server app with MudBlazor) sets one, and met or missed.
/// </summary>
internal static class TargetsReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Write(StringBuilder text, Machine machine, LuaTimes lua, SandboxTimings sandbox, ProfileResult main, FloorResult? floor,
        BlazorFloorResult? blazorFloor, LuaFloorTimings luaFloor)
    {
        var cookie = main.Action(Bench.Hostname);
        var bearer = main.Action(Bench.Hostname, bearer: true);
        var squid = main.Action(Bench.Squid);
        var packages = main.Action(Bench.Packages);
        var kept = sandbox.SquidKept;
        var runnerRatio = sandbox.SquidRead.CpuUs / lua.CachedUs;
        string Floor(Func<FloorResult, string> cell) => floor is null ? "not measured" : cell(floor);
        string Stack(Func<BlazorFloorResult, string> cell) => blazorFloor is null ? "not measured" : cell(blazorFloor);

        text.AppendLine("## Targets of issue 19 (2 cores)");
        text.AppendLine();
        text.AppendLine("| what | target | measured | the floors: the empty ASP.NET app; the empty Blazor Server app with MudBlazor | |");
        text.AppendLine("| --- | --- | --- | --- | --- |");
        var idle = main.Idle;
        Row(text, "memory at idle, app + workers, PSS", "≤ 60 MB",
            $"{Mb(idle.Pss)} MB PSS (RSS {Mb(idle.Rss)} MB, private {Mb(idle.Private)} MB; {idle.Processes} processes)",
            Floor(f => $"{Mb(f.Idle.Pss)} MB PSS (RSS {Mb(f.Idle.Rss)} MB, private {Mb(f.Idle.Private)} MB)") + "; Blazor with MudBlazor: "
                + Stack(f => $"{Mb(f.Idle.Pss)} MB PSS (RSS {Mb(f.Idle.Rss)} MB, private {Mb(f.Idle.Private)} MB)"), idle.Pss <= 60e6);
        if (main.Mixed is { } mixed)
        {
            var grown = mixed.After.Pss / (double)idle.Pss;
            Row(text, string.Create(Invariant, $"memory {mixed.Settle.TotalSeconds:F0} s after a {mixed.Duration.TotalMinutes:0.#}-minute mixed load, PSS"), "≤ 1.3× idle",
                string.Create(Invariant, $"{Mb(mixed.After.Pss)} MB: {grown:F2}× idle (RSS {Mb(mixed.After.Rss)} MB; peak PSS {Mb(mixed.Peak.Pss)} MB)"), "—", grown <= 1.3);
        }
        else
        {
            Row(text, "memory 60 s after a 5-minute mixed load, PSS", "≤ 1.3× idle", "not run (`--load-minutes 0`)", "—", false);
        }
        Row(text, "each open idle circuit, PSS", "≤ 0.5 MB",
            Circuits(main.Circuits), "—; Blazor with MudBlazor, a page with a button: " + Stack(f => Circuits(f.Circuits)),
            main.Circuits.PerCircuitPss <= 0.5e6);
        var noop = main.Action(FloorModule.Name, bearer: true);
        foreach (var (action, how) in new[] { (cookie, "session cookie + antiforgery header"), (bearer, "bearer token") })
            Row(text, $"`hostname/read` server CPU per request, {how}", "≤ 200 µs",
                string.Create(Invariant, $"{action.At(16).ServerCpuUs:N0} µs at 16 clients ({action.At(1).ServerCpuUs:N0} µs at 1)"),
                Floor(f => string.Create(Invariant, $"{f.Sixteen.ServerCpuUs:N0} µs at 16 clients ({f.One.ServerCpuUs:N0} µs at 1); ")
                    + string.Create(Invariant, $"an Acf action that returns a constant, bearer: {noop.At(16).ServerCpuUs:N0} µs at 16 ({noop.At(1).ServerCpuUs:N0} µs at 1)")),
                action.At(16).ServerCpuUs <= 200);
        Row(text, "`hostname/read` p50, one client, keep-alive", "< 1 ms",
            $"{cookie.At(1).P50Ms:F2} ms (bearer {bearer.At(1).P50Ms:F2} ms)", Floor(f => $"{f.One.P50Ms:F2} ms"), cookie.At(1).P50Ms < 1);
        var cpu16 = cookie.At(16).ServerCpuUs;
        Row(text, "`hostname/read` at 16 clients", "≥ 5,000 requests/s",
            string.Create(Invariant, $"{cookie.At(16).RequestsPerSecond:N0}/s (bearer {bearer.At(16).RequestsPerSecond:N0}/s; {machine.Cores * 1e6 / cpu16:N0}/s if the app had the {machine.Cores} cores to itself)"),
            Floor(f => string.Create(Invariant, $"{f.Sixteen.RequestsPerSecond:N0}/s ({machine.Cores * 1e6 / f.Sixteen.ServerCpuUs:N0}/s on {machine.Cores} free cores)")),
            cookie.At(16).RequestsPerSecond >= 5000);
        Row(text, "sandbox start (fresh environment for an action)", "≤ 50 µs",
            $"{sandbox.SandboxStart.MedianUs:F0} µs median in a kept state (CPU {sandbox.SandboxStart.CpuUs:F0} µs per start with the collection after it; a new state {sandbox.NewState.MedianUs:F0} µs, CPU {sandbox.NewState.CpuUs:F0} µs)",
            string.Create(Invariant, $"a bare Lua 5.4 state with the same five libraries, opened and closed: {luaFloor.BareState.MedianUs:F0} µs ({luaFloor.CountedState.MedianUs:F0} µs with the sandbox's counting allocator)"),
            sandbox.SandboxStart.MedianUs <= 50);
        Row(text, "Squid settings read of Debian's stock squid.conf", "≤ 1.3× plain `lua5.4`, CPU time",
            string.Create(Invariant, $"{kept.Ratio:F2}× as a worker runs it (a kept state, the thread's CPU: {kept.AcfUs / 1000:F2} ms vs {kept.LuaUs / 1000:F2} ms, ")
                + string.Create(Invariant, $"the median of {kept.Rounds} alternated rounds' ratios); in a new state on the tests' in-process executor, process CPU with the JIT's threads: ")
                + string.Create(Invariant, $"{sandbox.SquidRead.CpuUs / 1000:F2} ms vs {lua.CachedUs / 1000:F2} ms, {runnerRatio:F2}× (over HTTP {squid.At(1).ServerCpuUs / 1000:F2} ms server CPU)"),
            string.Create(Invariant, $"plain `lua5.4` with the sandbox's pattern guard and count hook: {lua.GuardedUs / 1000:F2} ms ({lua.GuardedUs / lua.CachedUs:F2}×)"), kept.Ratio <= 1.3);
        Row(text, "20,000-package list, server CPU per request", "≤ 30 ms",
            string.Create(Invariant, $"{packages.At(1).ServerCpuUs / 1000:F1} ms at 1 client ({packages.At(16).ServerCpuUs / 1000:F1} ms at 16)"), "—",
            packages.At(1).ServerCpuUs <= 30_000);
        Row(text, "cold start to the login page", "≤ 1 s", $"{main.ColdStart.TotalSeconds:F2} s (median of {main.ColdStarts.Count})",
            Floor(f => $"{f.ColdStart.TotalSeconds:F2} s"), main.ColdStart.TotalSeconds <= 1);
        text.AppendLine();
        text.AppendLine("MB is 10^6 bytes. PSS, RSS and private memory are summed over `/proc/<pid>/smaps_rollup` of the app and its "
            + "workers; PSS splits each shared page among the processes that map it, so it reads low while other .NET processes "
            + string.Create(Invariant, $"run ({idle.OtherDotnet} others, this harness among them, when idle was read): private memory is the floor ")
            + "it cannot go under, RSS the ceiling it would reach alone with nothing shared. Server CPU per request is the CPU "
            + "time of the app and its workers during a run over the requests it served; the cookie figure includes the "
            + "antiforgery check. \"—\": the floor has no such part. The floors are built from scripts/bench-floors with the "
            + "appliance's runtime settings and read as Acf is, after the same wait and with the same trim when quiet; the "
            + "Blazor floor's circuits are opened as Acf's (Acf.Bench/Circuits.cs).");
        text.AppendLine();
    }

    private static string Circuits(CircuitCost cost) => string.Create(Invariant,
        $"{cost.PerCircuitPss / 1e6:F2} MB (RSS {cost.PerCircuitRss / 1e6:F2} MB; the median of {cost.Steps.Count} steps of {CircuitCost.StepCircuits} circuits after the first {CircuitCost.WarmCircuits}: {cost.StepsText})");

    private static string Mb(long bytes) => (bytes / 1e6).ToString("F1", Invariant);

    private static void Row(StringBuilder text, string what, string target, string measured, string floor, bool met) =>
        text.AppendLine(Invariant, $"| {what} | {target} | {measured} | {floor} | {(met ? "met" : "**missed**")} |");
}
