using System.Runtime.InteropServices;
using System.Text;
using Acf.Modules.Lua.Host;
using KeraLua;
using LuaState = KeraLua.Lua;

namespace Acf.Modules.Lua;

/// <summary>The outcome of one action: the entity it returned, or why it stopped.</summary>
/// <param name="Refused">The action stopped because what it was given is too large for it (a file past what the memory
/// limit can parse): a refusal to tell the admin, not a module failure.</param>
internal sealed record SandboxOutcome(CfeNode? Entity, string? Error, bool Refused = false);

/// <summary>What one sandboxed run may use and who it runs for. Under confirm-or-rollback the broker it is handed
/// records the changes (<see cref="Acf.Modules.Apply.JournalingBroker"/>), on the app's side of a worker's pipe.</summary>
internal sealed record SandboxRequest(ModuleManifest Module, string Controller, string Action, AcfPrincipal User,
    byte[] Source, ModuleInput Input, Action<string>? Output = null, Action<string>? Progress = null);

/// <summary>
/// A Lua 5.4 state for actions: only base, string, table, math and utf8, the <c>acf</c> host table
/// (<see cref="HostFunctions"/>) and <c>require</c>; limits on instructions, memory (<see cref="MemoryBudget"/>) and
/// wall time. Host functions never raise a Lua error from C# (that would longjmp over managed frames) and never let
/// an exception escape (that aborts the process): they return <c>ok, ...</c> or <c>false, kind, message</c> and the
/// prelude raises in Lua. Not thread-safe: one state is used by one thread at a time.
/// The state is built once (the prelude's bytecode from <see cref="BytecodeCache"/>, the host functions as static
/// thunks) and may run several actions, one after another: each gets a fresh environment (its globals, library
/// tables, <c>acf</c> tables and require cache are new, what the state shares is out of its reach: sandbox.lua's
/// <c>new_action</c>), its own <see cref="HostCall"/> (context, limits, stop reason) and a reset memory account. Which
/// actions may share a state is <see cref="LuaStatePool"/>'s rule; after an action that did not end well the state is
/// <see cref="Spoiled"/> and must be closed.
/// </summary>
internal sealed class LuaSandbox : IDisposable
{
    private static readonly byte[] Prelude = ReadPrelude();
    private static long _started;

    static LuaSandbox() => LuaNativeLibrary.Install(); // before the first call into Lua: on Alpine it is the system's

    private readonly MemoryBudget _budget;
    private GCHandle _budgetHandle;
    private readonly LuaState _lua;
    private HostCall? _call;

    /// <summary>A new state with the prelude run (its <c>run</c> function kept at stack index 1). Throws
    /// <see cref="InvalidOperationException"/> when the prelude cannot be loaded.</summary>
    public LuaSandbox(ModulesOptions limits)
    {
        Serial = Interlocked.Increment(ref _started);
        _budget = new MemoryBudget(limits.MemoryLimitBytes);
        _budgetHandle = GCHandle.Alloc(_budget);
        _lua = new LuaState(MemoryBudget.Allocator, GCHandle.ToIntPtr(_budgetHandle)) { Encoding = Encoding.UTF8 };
        _lua.OpenBasicLibrary();
        _lua.OpenStringLibrary();
        _lua.OpenTableLibrary();
        _lua.OpenMathLibrary();
        _lua.OpenUTF8Library();
        _lua.OpenDebugLibrary(); // only for the prelude to install the hook; it removes `debug` before module code runs
        _budget.Reserve = true; // an allocation failure outside a protected call would abort the process
        string? failure = null;
        if (BytecodeCache.Get(_lua, Prelude, "=sandbox", out _) is not { } prelude || _lua.LoadBuffer(prelude, "=sandbox", "b") != LuaStatus.OK)
        {
            failure = "the sandbox prelude does not compile";
        }
        else
        {
            HostFunctions.PushTable(_lua);
            if (_lua.PCall(1, 1, 0) != LuaStatus.OK) failure = "the sandbox prelude failed: " + LuaText.ErrorText(_lua);
        }
        _budget.Reserve = false;
        if (failure is not null || _lua.GetTop() != 1 || _lua.Type(1) != LuaType.Function)
        {
            Dispose();
            throw new InvalidOperationException(failure ?? "the sandbox prelude did not return its run function");
        }
        _lua.GarbageCollector(LuaGC.Collect, 0); // what the prelude left behind, so that the base is what the state holds
        BaseMemory = _budget.Used;
    }

    /// <summary>This state's number among those the process started (tests tell states apart by it).</summary>
    public long Serial { get; }

    /// <summary>How many actions this state has begun.</summary>
    public int Actions { get; private set; }

    /// <summary>True once an action failed, hit a limit or ran out of memory, or the state is closed: it serves no other.</summary>
    public bool Spoiled { get; private set; }

    /// <summary>Total bytes the state holds now (tests and measurements).</summary>
    public long MemoryInUse => _budget.Used;

    /// <summary>Bytes the state held once the prelude had run (after a collection).</summary>
    public long BaseMemory { get; }

    /// <summary>Runs one action in a fresh environment of this state.</summary>
    public SandboxOutcome Run(SandboxRequest request, ISystemBroker broker, ILuaLibraries libraries, ModulesOptions limits, ILogger logger)
    {
        if (Spoiled || _call is not null) throw new InvalidOperationException("this Lua state may not run another action");
        Actions++;
        Spoiled = true; // until the action has ended well
        _budget.Start(limits.MemoryLimitBytes);
        var call = _call = new HostCall(_lua, _budget, request, broker, libraries, limits, logger);
        HostFunctions.Attach(_lua, call);
        try
        {
            var outcome = RunAction(call);
            Spoiled = outcome.Entity is null || call.StopReason is not null || _budget.Exceeded;
            return outcome;
        }
        finally
        {
            _budget.Reserve = true;
            _lua.SetTop(1); // the prelude's run function stays
            _budget.Reserve = false;
            HostFunctions.Detach(_lua.Handle, call);
            _call = null;
        }
    }

    /// <summary>
    /// After an action that ended well: a full collection (what the action left is garbage now), then true when the
    /// state may serve another action, that is when it holds at most <paramref name="retainedBytes"/> more than
    /// after its prelude.
    /// </summary>
    public bool Recycle(long retainedBytes)
    {
        if (Spoiled) return false;
        _budget.Reserve = true;
        _lua.GarbageCollector(LuaGC.Collect, 0);
        _budget.Reserve = false;
        return _budget.Used <= BaseMemory + retainedBytes;
    }

    public void Dispose()
    {
        if (!_budgetHandle.IsAllocated) return;
        Spoiled = true;
        var handle = _lua.Handle;
        _lua.Close();
        if (_call is not null) HostFunctions.Detach(handle, _call);
        _budgetHandle.Free();
    }

    private SandboxOutcome RunAction(HostCall call)
    {
        var request = call.Request;
        var chunkName = $"@{request.Module.Prefix}/{request.Controller}.lua";
        _budget.Reserve = true; // an allocation failure outside a protected call would abort the process
        if (_lua.GetTop() != 1 || !_lua.CheckStack(16)) return Fail("no room on the Lua stack");
        if (BytecodeCache.Get(_lua, request.Source, chunkName, out var syntaxError) is not { } code) return Fail(syntaxError!);
        _lua.PushCopy(1);
        _lua.PushBuffer(code);
        _lua.PushString(chunkName);
        _lua.PushString(request.Action);
        PushContext(request);
        PushInput(request.Input);
        _budget.Reserve = false;
        var status = _lua.PCall(5, 1, 0);
        if (status != LuaStatus.OK)
        {
            var memory = status == LuaStatus.ErrMem || _budget.Exceeded;
            // A limit met after reading a large file: the file is what is too much, and the admin is told so.
            if ((memory || call.StopReason is not null) && call.LargestRead is { Bytes: >= HostCall.LargeFileBytes } large)
                return new SandboxOutcome(null, HostCall.TooLargeMessage(large.Path, large.Bytes), Refused: true);
            return Fail(call.StopReason ?? (memory ? call.MemoryMessage : LuaText.ErrorText(_lua)));
        }
        if (_lua.Type(-1) != LuaType.Table)
            return Fail($"{request.Controller}/{request.Action} returned {_lua.TypeName(_lua.Type(-1))}, not a CFE table");
        _budget.Reserve = true; // reading the result allocates nothing in Lua, but leave room rather than risk a panic
        try
        {
            return new SandboxOutcome(new CfeReader(_lua).Read(_lua.GetTop()), null);
        }
        catch (InvalidDataException e)
        {
            return Fail($"{request.Controller}/{request.Action} returned a malformed CFE: {e.Message}");
        }
    }

    private static SandboxOutcome Fail(string message) => new(null, message);

    private void PushContext(SandboxRequest request)
    {
        _lua.NewTable();
        _lua.SetString("module", request.Module.Prefix);
        _lua.SetString("controller", request.Controller);
        _lua.SetString("action", request.Action);
        var now = DateTimeOffset.UtcNow;
        _lua.SetInteger("now", now.ToUnixTimeSeconds()); // the sandbox has no os.time
        // ctx.utc_offset: seconds the machine's local time is ahead of UTC now (no os.date either), for times shown to admins.
        _lua.SetInteger("utc_offset", (long)TimeZoneInfo.Local.GetUtcOffset(now).TotalSeconds);
        _lua.PushUser(request.User);
        _lua.SetField(-2, "user");
        // ctx.origin: the admin's address and the port of Acf it reached (empty when not known, e.g. a background job).
        _lua.NewTable();
        if (request.User.Origin?.ClientAddress is { } address) _lua.SetString("address", address);
        if (request.User.Origin?.LocalPort is { } port) _lua.SetInteger("port", port);
        _lua.SetField(-2, "origin");
    }

    /// <summary>Input as ACF's clientdata: one string per name, a list of strings where several were given, and <c>submit</c>.</summary>
    private void PushInput(ModuleInput input)
    {
        _lua.NewTable();
        // `submit` comes only from ModuleInput.Submit: a read that carries a field named submit must not act as a submit.
        foreach (var (name, values) in input.Values.Where(v => v.Key != "submit"))
        {
            if (values.Count == 1)
            {
                _lua.PushByteText(values[0]); // a value that came from a file's raw bytes goes back as those bytes
            }
            else
            {
                _lua.PushStrings(values);
            }
            _lua.SetField(-2, name);
        }
        if (input.Submit is not null) _lua.SetString("submit", input.Submit);
    }

    private static byte[] ReadPrelude()
    {
        using var stream = typeof(LuaSandbox).Assembly.GetManifestResourceStream("Acf.Modules.Lua.sandbox.lua")!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
