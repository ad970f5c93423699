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
/// One fresh Lua 5.4 state for one action: only base, string, table, math and utf8, the <c>acf</c> host table
/// (<see cref="HostFunctions"/>) and <c>require</c>; limits on instructions, memory (<see cref="MemoryBudget"/>) and
/// wall time. Host functions never raise a Lua error from C# (that would longjmp over managed frames) and never let
/// an exception escape (that aborts the process): they return <c>ok, ...</c> or <c>false, kind, message</c> and the
/// prelude raises in Lua. Not thread-safe: one state is used by one thread from creation to disposal.
/// Starting one is cheap because nothing is compiled or bound per state that can be shared: chunks come from
/// <see cref="BytecodeCache"/> and the host functions are static thunks. Every state and table is still new.
/// </summary>
internal sealed class LuaSandbox : IDisposable
{
    private static readonly byte[] Prelude = ReadPrelude();

    static LuaSandbox() => LuaNativeLibrary.Install(); // before the first call into Lua: on Alpine it is the system's

    private readonly MemoryBudget _budget;
    private GCHandle _budgetHandle;
    private readonly LuaState _lua;
    private readonly HostCall _call;
    private readonly SandboxRequest _request;

    public LuaSandbox(SandboxRequest request, ISystemBroker broker, ILuaLibraries libraries, ModulesOptions limits, ILogger logger)
    {
        _request = request;
        _budget = new MemoryBudget(limits.MemoryLimitBytes);
        _budgetHandle = GCHandle.Alloc(_budget);
        _lua = new LuaState(MemoryBudget.Allocator, GCHandle.ToIntPtr(_budgetHandle)) { Encoding = Encoding.UTF8 };
        _lua.OpenBasicLibrary();
        _lua.OpenStringLibrary();
        _lua.OpenTableLibrary();
        _lua.OpenMathLibrary();
        _lua.OpenUTF8Library();
        _lua.OpenDebugLibrary(); // only for the prelude to install the hook; it removes `debug` before module code runs
        _call = new HostCall(_lua, _budget, request, broker, libraries, limits, logger);
        HostFunctions.Attach(_lua, _call);
    }

    /// <summary>Total bytes the state holds now (tests and measurements).</summary>
    public long MemoryInUse => _budget.Used;

    public SandboxOutcome Run()
    {
        var chunkName = $"@{_request.Module.Prefix}/{_request.Controller}.lua";
        _budget.Reserve = true; // an allocation failure outside a protected call would abort the process
        if (BytecodeCache.Get(_lua, Prelude, "=sandbox", out _) is not { } prelude || _lua.LoadBuffer(prelude, "=sandbox", "b") != LuaStatus.OK)
            return Fail("the sandbox prelude does not compile");
        HostFunctions.PushTable(_lua);
        _lua.NewTable();
        _lua.SetInteger("instructions", _call.Limits.InstructionLimit);
        if (_lua.PCall(2, 1, 0) != LuaStatus.OK) return Fail("the sandbox prelude failed: " + LuaText.ErrorText(_lua));

        if (!_lua.CheckStack(16)) return Fail("no room on the Lua stack");
        if (BytecodeCache.Get(_lua, _request.Source, chunkName, out var syntaxError) is not { } code) return Fail(syntaxError!);
        _lua.PushBuffer(code);
        _lua.PushString(chunkName);
        _lua.PushString(_request.Action);
        PushContext();
        PushInput(_request.Input);
        _budget.Reserve = false;
        var status = _lua.PCall(5, 1, 0);
        if (status != LuaStatus.OK)
        {
            var memory = status == LuaStatus.ErrMem || _budget.Exceeded;
            // A limit met after reading a large file: the file is what is too much, and the admin is told so.
            if ((memory || _call.StopReason is not null) && _call.LargestRead is { Bytes: >= HostCall.LargeFileBytes } large)
                return new SandboxOutcome(null, HostCall.TooLargeMessage(large.Path, large.Bytes), Refused: true);
            return Fail(_call.StopReason ?? (memory ? _call.MemoryMessage : LuaText.ErrorText(_lua)));
        }
        if (_lua.Type(-1) != LuaType.Table)
            return Fail($"{_request.Controller}/{_request.Action} returned {_lua.TypeName(_lua.Type(-1))}, not a CFE table");
        _budget.Reserve = true; // reading the result allocates nothing in Lua, but leave room rather than risk a panic
        try
        {
            return new SandboxOutcome(new CfeReader(_lua).Read(_lua.GetTop()), null);
        }
        catch (InvalidDataException e)
        {
            return Fail($"{_request.Controller}/{_request.Action} returned a malformed CFE: {e.Message}");
        }
    }

    public void Dispose()
    {
        var handle = _lua.Handle;
        _lua.Close();
        HostFunctions.Detach(handle, _call);
        if (_budgetHandle.IsAllocated) _budgetHandle.Free();
    }

    private static SandboxOutcome Fail(string message) => new(null, message);

    private void PushContext()
    {
        _lua.NewTable();
        _lua.SetString("module", _request.Module.Prefix);
        _lua.SetString("controller", _request.Controller);
        _lua.SetString("action", _request.Action);
        var now = DateTimeOffset.UtcNow;
        _lua.SetInteger("now", now.ToUnixTimeSeconds()); // the sandbox has no os.time
        // ctx.utc_offset: seconds the machine's local time is ahead of UTC now (no os.date either), for times shown to admins.
        _lua.SetInteger("utc_offset", (long)TimeZoneInfo.Local.GetUtcOffset(now).TotalSeconds);
        _lua.PushUser(_request.User);
        _lua.SetField(-2, "user");
        // ctx.origin: the admin's address and the port of Acf it reached (empty when not known, e.g. a background job).
        _lua.NewTable();
        if (_request.User.Origin?.ClientAddress is { } address) _lua.SetString("address", address);
        if (_request.User.Origin?.LocalPort is { } port) _lua.SetInteger("port", port);
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
