using Acf.Modules.Lua;

namespace Acf.Tests.Modules;

/// <summary>
/// Which actions a worker's kept Lua states serve (<see cref="LuaStatePool"/>), told apart by each state's
/// <see cref="LuaSandbox.Serial"/>: only the next action of the same module and user (name and roles) on the same
/// system gets a kept state; a state whose action failed, hit a limit or kept memory is closed; at most the pool's
/// capacity is kept; the worker's <see cref="ModuleWorker.RunOne"/> gives back only a state whose action ended well.
/// What an action can leave for the next one in a kept state is HostileReuseTests'.
/// </summary>
public sealed class LuaStatePoolTests : IDisposable
{
    private static readonly ModulesOptions Limits = new() { InstructionLimit = 5_000_000, WallTimeSeconds = 5, MemoryLimitBytes = 16 << 20 };
    private static readonly AcfPrincipal Someone = new("someone", [AcfRoles.User]);

    private readonly ModuleTestHost _host = new(Limits);

    public void Dispose() => _host.Dispose();

    private const string Ok = "return { type = 'text', value = 'ok' }";

    /// <summary>The action <paramref name="body"/> of <paramref name="module"/> for <paramref name="user"/>, run in the
    /// pool's state of its domain as a worker runs it (take, run, give back); answers the state's serial and the outcome.</summary>
    private (long Serial, SandboxOutcome Outcome) RunIn(LuaStatePool pool, string body, AcfPrincipal? user = null,
        string module = "mod", HostInfo? system = null)
    {
        user ??= Someone;
        var request = new SandboxRequest(new ModuleManifest { Prefix = module, Title = module }, "ctl", "run", user,
            Encoding.UTF8.GetBytes(ModuleTestHost.ProbeController(body)), ModuleInput.Empty);
        var domain = LuaStatePool.DomainOf(module, user, system ?? _host.ReadyBroker.Info);
        return OnLuaThread(() =>
        {
            var state = pool.Take(domain, Limits);
            var outcome = state.Run(request, _host.ReadyBroker, _host.Catalog, Limits, NullLogger.Instance);
            pool.Return(domain, state);
            return (state.Serial, outcome);
        });
    }

    /// <summary>On a thread with the deep stack Lua needs, as the worker's.</summary>
    private static T OnLuaThread<T>(Func<T> body)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = body();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, 16 << 20);
        thread.Start();
        thread.Join();
        if (failure is not null) throw failure;
        return result;
    }

    [Fact]
    public void Run_SameModuleAndUser_GetsTheKeptState()
    {
        using var pool = new LuaStatePool();

        var first = RunIn(pool, Ok);
        var second = RunIn(pool, Ok);

        Assert.Equal("ok", second.Outcome.Entity!.Text);
        Assert.Equal(first.Serial, second.Serial);
        Assert.Equal(1, pool.Count);
    }

    public static TheoryData<string> OtherDomains() => ["other user", "same name, other roles", "other module", "other system"];

    [Theory]
    [MemberData(nameof(OtherDomains))]
    public void Run_OtherUserModuleOrSystem_NeverGetsTheKeptState(string other)
    {
        using var pool = new LuaStatePool();
        var kept = RunIn(pool, Ok);

        var next = other switch
        {
            "other user" => RunIn(pool, Ok, user: new AcfPrincipal("another", [AcfRoles.User])),
            "same name, other roles" => RunIn(pool, Ok, user: new AcfPrincipal("someone", [AcfRoles.Admin])),
            "other module" => RunIn(pool, Ok, module: "mod2"),
            _ => RunIn(pool, Ok, system: new HostInfo(HostMode.Demo, "/elsewhere")),
        };

        Assert.Equal("ok", next.Outcome.Entity!.Text);
        Assert.NotEqual(kept.Serial, next.Serial);
        Assert.Equal(kept.Serial, RunIn(pool, Ok).Serial); // the first one's state is still kept for it
    }

    [Theory]
    [InlineData("error('boom')")]
    [InlineData("return 42")]
    [InlineData("while true do end")]
    [InlineData("local t = {} for i = 1, 1e8 do t[i] = ('x'):rep(64) .. i end")]
    [InlineData("pcall(function() local t = {} for i = 1, 1e8 do t[i] = ('x'):rep(64) .. i end end) return { type = 'text', value = 'caught' }")]
    [InlineData("pcall(function() while true do end end) return { type = 'text', value = 'caught' }")]
    public void Run_ActionFailedOrHitALimit_StateClosedNotKept(string body)
    {
        using var pool = new LuaStatePool();
        var kept = RunIn(pool, Ok);

        var bad = RunIn(pool, body);
        var next = RunIn(pool, Ok);

        Assert.NotNull(bad.Outcome.Error);
        Assert.Equal(kept.Serial, bad.Serial);
        Assert.NotEqual(bad.Serial, next.Serial);
        Assert.Equal("ok", next.Outcome.Entity!.Text);
    }

    [Theory]
    [InlineData("return { type = 'text', value = 'ok' }", true)]
    [InlineData("error('boom')", false)]
    [InlineData("while true do end", false)]
    [InlineData("return 42", false)]
    public void RunOne_InTheWorker_GivesBackOnlyAStateWhoseActionEndedWell(string body, bool givenBack)
    {
        using var pool = new LuaStatePool();
        var run = new WorkerRun("mod", "ctl", "run", Someone, Encoding.UTF8.GetBytes(ModuleTestHost.ProbeController(body)),
            ModuleInput.Empty, Limits, new HostInfo(HostMode.Demo, "/"));

        // No broker call: the worker's pipe is never used.
        var (outcome, state) = OnLuaThread(() => ModuleWorker.RunOne(run, LuaStatePool.DomainOf(run.Module, run.User, run.Host), new WorkerPipe(Stream.Null, Stream.Null), pool.Take));

        Assert.Equal(givenBack, outcome.Error is null);
        Assert.Equal(givenBack, state is not null);
        state?.Dispose();
    }

    [Fact]
    public void Run_StateHoldsMoreThanTheBoundAfterCollection_ClosedNotKept()
    {
        using var pool = new LuaStatePool(retainedBytes: 0);

        // The pattern guard remembers a pattern it passed (kept by the state), so the state ends above its first size.
        var first = RunIn(pool, "string.find('abc', 'b+') return { type = 'text', value = 'ok' }");
        var second = RunIn(pool, Ok);

        Assert.Equal("ok", first.Outcome.Entity!.Text);
        Assert.NotEqual(first.Serial, second.Serial);
    }

    [Fact]
    public void Run_MoreDomainsThanCapacity_LeastRecentlyUsedClosed()
    {
        using var pool = new LuaStatePool(capacity: 2);
        var a = RunIn(pool, Ok, module: "a");
        var b = RunIn(pool, Ok, module: "b");
        Assert.Equal(a.Serial, RunIn(pool, Ok, module: "a").Serial); // a is now the most recently used

        var c = RunIn(pool, Ok, module: "c"); // b goes

        Assert.Equal(2, pool.Count);
        Assert.Equal(a.Serial, RunIn(pool, Ok, module: "a").Serial);
        Assert.Equal(c.Serial, RunIn(pool, Ok, module: "c").Serial);
        Assert.NotEqual(b.Serial, RunIn(pool, Ok, module: "b").Serial);
    }

    [Fact]
    public void Run_KeptState_LimitsAndContextAreTheNewAction()
    {
        using var pool = new LuaStatePool();
        // The first action uses most of the instruction limit; the second may use as much again.
        const string busy = "local n = 0 for i = 1, 1e6 do n = n + i end return { type = 'text', value = ctx.user.name }";
        var first = RunIn(pool, busy);

        var second = RunIn(pool, busy);

        Assert.Equal(first.Serial, second.Serial);
        Assert.Null(second.Outcome.Error);
        Assert.Equal("someone", second.Outcome.Entity!.Text);
    }
}
