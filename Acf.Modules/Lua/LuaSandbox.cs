using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Acf.Broker.Catalog;
using Acf.Modules.Cfe;
using Acf.Broker;
using KeraLua;
using Microsoft.Extensions.Logging;
using LuaState = KeraLua.Lua;

namespace Acf.Modules.Lua;

/// <summary>The outcome of one action: the entity it returned, or why it stopped.</summary>
public sealed record SandboxOutcome(CfeNode? Entity, string? Error);

/// <summary>What one sandboxed run may use and who it runs for. Under confirm-or-rollback the broker it is handed
/// records the changes (<see cref="Acf.Modules.Apply.JournalingBroker"/>), on the app's side of a worker's pipe.</summary>
public sealed record SandboxRequest(ModuleManifest Module, string Controller, string Action, AcfPrincipal User,
    byte[] Source, ModuleInput Input, Action<string>? Output = null);

/// <summary>
/// One fresh Lua 5.4 state for one action: only base, string, table, math and utf8, the <c>acf</c> host table and
/// <c>require</c> from <c>modules-lua/lib</c>; limits on instructions, memory and wall time. Host functions never
/// raise a Lua error from C# (that would longjmp over managed frames) and never let an exception escape (that aborts
/// the process): they return <c>ok, ...</c> or <c>false, kind, message</c> and the prelude raises in Lua.
/// Not thread-safe: one state is used by one thread from creation to disposal.
/// Starting one is cheap because nothing is compiled or bound per state that can be shared: chunks (the prelude,
/// controllers, libraries) are compiled once and loaded from their bytecode, and the host functions are static
/// thunks that find their sandbox by state. Every state and every table in it is still new for each action.
/// </summary>
internal sealed partial class LuaSandbox : IDisposable
{
    private static readonly LuaAlloc Allocator = Allocate; // static: native code keeps calling it until lua_close
    private static readonly byte[] Prelude = ReadPrelude();

    // Bytecode by source text. The catalog hands out the same array while a file is unchanged and a new one when it
    // changed, so the array itself is the key and an edited module is compiled again. Only the host loads bytecode
    // (what it dumped itself); module code can load text only.
    private static readonly ConditionalWeakTable<byte[], byte[]> Compiled = new();

    // The sandbox of each open state, for the shared host-function thunks.
    private static readonly ConcurrentDictionary<IntPtr, LuaSandbox> Live = new();

    // One native thunk per host function name for all states: a delegate per state needs a thunk of its own, which
    // cost most of a sandbox's start.
    private static readonly ConcurrentDictionary<string, LuaFunction> Thunks = new(StringComparer.Ordinal);

    static LuaSandbox() => LuaNativeLibrary.Install(); // before the first call into Lua: on Alpine it is the system's

    private readonly MemoryBudget _budget;
    private GCHandle _budgetHandle;
    private readonly LuaState _lua;
    private readonly Dictionary<string, Func<int>> _hostFunctions = new(StringComparer.Ordinal);
    private readonly SandboxRequest _request;
    private readonly ISystemBroker _broker;
    private readonly ILuaLibraries _libraries;
    private readonly ModulesOptions _limits;
    private readonly ILogger _logger;
    private readonly BrokerCaller _caller;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, string> _readTags = new(StringComparer.Ordinal);
    private string? _stopReason;
    private int _logLines;

    public LuaSandbox(SandboxRequest request, ISystemBroker broker, ILuaLibraries libraries, ModulesOptions limits, ILogger logger)
    {
        _request = request;
        _broker = broker;
        _libraries = libraries;
        _limits = limits;
        _logger = logger;
        _caller = new BrokerCaller(request.User.Name, request.Module.Prefix, request.User.Origin?.ClientAddress,
            $"{request.Controller}/{request.Action}");
        _budget = new MemoryBudget(limits.MemoryLimitBytes);
        _budgetHandle = GCHandle.Alloc(_budget);
        _lua = new LuaState(Allocator, GCHandle.ToIntPtr(_budgetHandle)) { Encoding = Encoding.UTF8 };
        _lua.OpenBasicLibrary();
        _lua.OpenStringLibrary();
        _lua.OpenTableLibrary();
        _lua.OpenMathLibrary();
        _lua.OpenUTF8Library();
        _lua.OpenDebugLibrary(); // only for the prelude to install the hook; it removes `debug` before module code runs
        Live[_lua.Handle] = this;
    }

    /// <summary>Total bytes the state holds now (tests and measurements).</summary>
    public long MemoryInUse => _budget.Used;

    public SandboxOutcome Run()
    {
        var chunkName = $"@{_request.Module.Prefix}/{_request.Controller}.lua";
        _budget.Reserve = true; // an allocation failure outside a protected call would abort the process
        if (Bytecode(Prelude, "=sandbox", out _) is not { } prelude || _lua.LoadBuffer(prelude, "=sandbox", "b") != LuaStatus.OK)
            return Fail("the sandbox prelude does not compile");
        PushHostTable();
        PushLimits();
        if (_lua.PCall(2, 1, 0) != LuaStatus.OK) return Fail("the sandbox prelude failed: " + ErrorText());

        if (!_lua.CheckStack(16)) return Fail("no room on the Lua stack");
        if (Bytecode(_request.Source, chunkName, out var syntaxError) is not { } code) return Fail(syntaxError!);
        _lua.PushBuffer(code);
        _lua.PushString(chunkName);
        _lua.PushString(_request.Action);
        PushContext();
        PushInput(_request.Input);
        _budget.Reserve = false;
        var status = _lua.PCall(5, 1, 0);
        if (status != LuaStatus.OK)
        {
            var error = _stopReason ?? (status == LuaStatus.ErrMem || _budget.Exceeded ? MemoryMessage() : ErrorText());
            return Fail(error);
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
        Live.TryRemove(new KeyValuePair<IntPtr, LuaSandbox>(handle, this)); // only our entry: the address may be reused

        if (_budgetHandle.IsAllocated) _budgetHandle.Free();
    }

    private static SandboxOutcome Fail(string message) => new(null, message);

    private string MemoryMessage() => $"stopped: the memory limit of {_limits.MemoryLimitBytes >> 20} MiB was exceeded";

    private string ErrorText() => _lua.Type(-1) switch
    {
        LuaType.String => _lua.ToString(-1, false),
        LuaType.Number => _lua.ToNumber(-1).ToString(CultureInfo.InvariantCulture),
        var type => $"(error object is a {_lua.TypeName(type)} value)",
    };

    private void PushLimits()
    {
        _lua.NewTable();
        _lua.PushInteger(_limits.InstructionLimit);
        _lua.SetField(-2, "instructions");
    }

    private void PushContext()
    {
        _lua.NewTable();
        SetString("module", _request.Module.Prefix);
        SetString("controller", _request.Controller);
        SetString("action", _request.Action);
        _lua.PushInteger(DateTimeOffset.UtcNow.ToUnixTimeSeconds()); // the sandbox has no os.time
        _lua.SetField(-2, "now");
        PushUser();
        _lua.SetField(-2, "user");
        // ctx.origin: the admin's address and the port of Acf it reached (empty when not known, e.g. a background job).
        _lua.NewTable();
        if (_request.User.Origin?.ClientAddress is { } address) SetString("address", address);
        if (_request.User.Origin?.LocalPort is { } port)
        {
            _lua.PushInteger(port);
            _lua.SetField(-2, "port");
        }
        _lua.SetField(-2, "origin");
    }

    private void PushUser()
    {
        _lua.NewTable();
        SetString("name", _request.User.Name);
        _lua.NewTable();
        var i = 0;
        foreach (var role in _request.User.Roles)
        {
            _lua.PushString(role);
            _lua.RawSetInteger(-2, ++i);
        }
        _lua.SetField(-2, "roles");
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
                _lua.PushString(values[0]);
            }
            else
            {
                _lua.NewTable();
                for (var i = 0; i < values.Count; i++)
                {
                    _lua.PushString(values[i]);
                    _lua.RawSetInteger(-2, i + 1);
                }
            }
            _lua.SetField(-2, name);
        }
        if (input.Submit is not null) SetString("submit", input.Submit);
    }

    private void SetString(string key, string value)
    {
        _lua.PushString(value);
        _lua.SetField(-2, key);
    }

    private void PushHostTable()
    {
        _lua.NewTable();
        Register("over_limit", OverLimit);
        Register("lib_source", LibSource);
        Register("fs_read", FsRead);
        Register("fs_write", FsWrite);
        Register("fs_list", FsList);
        Register("fs_stat", FsStat);
        Register("exec", Exec);
        Register("user", User);
        Register("log", Log);
        RegisterTools();
    }

    private void Register(string name, Func<int> body)
    {
        _hostFunctions[name] = body;
        _lua.PushCFunction(Thunks.GetOrAdd(name, static n => state => Dispatch(state, n)));
        _lua.SetField(-2, name);
    }

    /// <summary>The shared thunk's body: the named host function of the state's own sandbox.</summary>
    private static int Dispatch(IntPtr state, string name) =>
        Live.TryGetValue(state, out var sandbox) ? sandbox.Invoke(name) : 0; // no coroutines exist; never touch a state we do not own

    private int Invoke(string name)
    {
        _budget.Reserve = true;
        try
        {
            return _hostFunctions[name]();
        }
        catch (Exception e)
        {
            // Nothing may escape into native code: report it to Lua as a failure instead.
            _logger.LogWarning(e, "Host function {Function} failed for module {Module}", name, _request.Module.Prefix);
            return Failure("failed", $"{name}: {e.Message}");
        }
        finally
        {
            _budget.Reserve = false;
        }
    }

    /// <summary>
    /// The bytecode of a text chunk: compiled in this state and dumped (with its debug information, so errors keep
    /// their line numbers) the first time, from the cache after. Null with the syntax error when it does not compile.
    /// </summary>
    private byte[]? Bytecode(byte[] source, string chunkName, out string? error)
    {
        error = null;
        if (Compiled.TryGetValue(source, out var cached)) return cached;
        if (_lua.LoadBuffer(source, chunkName, "t") != LuaStatus.OK)
        {
            error = ErrorText();
            _lua.Pop(1);
            return null;
        }
        using var dump = new MemoryStream(source.Length);
        LuaWriter writer = (_, block, size, _) =>
        {
            try
            {
                var bytes = new byte[(int)size];
                Marshal.Copy(block, bytes, 0, bytes.Length);
                dump.Write(bytes);
                return 0;
            }
            catch (Exception)
            {
                return 1; // never let an exception reach native code; lua_dump stops and the chunk is not cached
            }
        };
        var status = _lua.Dump(writer, IntPtr.Zero, false);
        GC.KeepAlive(writer);
        _lua.Pop(1);
        if (status != 0)
        {
            error = $"{chunkName.TrimStart('@', '=')} could not be compiled to bytecode";
            return null;
        }
        var code = dump.ToArray();
        Compiled.AddOrUpdate(source, code);
        return code;
    }

    private int Failure(string kind, string message)
    {
        _lua.PushBoolean(false);
        _lua.PushString(kind);
        _lua.PushString(message);
        return 3;
    }

    private int Failure(BrokerError error) => Failure(error.Kind.ToString().ToLowerInvariant(), error.Message);

    private string? StringArg(int index) => _lua.Type(index) == LuaType.String ? _lua.ToString(index, false) : null;

    private int OverLimit()
    {
        var used = _lua.ToInteger(1);
        if (_stopReason is null)
        {
            if (used > _limits.InstructionLimit)
                _stopReason = string.Create(CultureInfo.InvariantCulture,
                    $"stopped: the instruction limit of {_limits.InstructionLimit:N0} was exceeded (an endless loop?)");
            else if (_clock.Elapsed.TotalSeconds > _limits.WallTimeSeconds)
                _stopReason = $"stopped: the time limit of {_limits.WallTimeSeconds} s was exceeded";
            else if (_budget.Exceeded)
                _stopReason = MemoryMessage();
        }
        if (_stopReason is null) return 0;
        _lua.PushString(_stopReason);
        return 1;
    }

    private int LibSource()
    {
        var name = StringArg(1) ?? "";
        var source = _libraries.ReadLibrary(name);
        if (source is null) return Failure("notfound", $"module '{name}' not found: require loads only modules-lua/lib/<name>.lua");
        if (!_lua.CheckStack(4)) return 0;
        if (Bytecode(source, $"@lib/{name}.lua", out var syntaxError) is not { } code) return Failure("syntax", syntaxError!);
        _lua.PushBoolean(true);
        _lua.PushBuffer(code);
        return 2;
    }

    private int FsRead()
    {
        if (StringArg(1) is not { } path) return Failure("invalid", "acf.fs.read: the path must be a string");
        int? tail = null;
        if (_lua.Type(2) == LuaType.Table)
        {
            _lua.PushString("tail");
            if (_lua.RawGet(2) == LuaType.Number) tail = (int)Math.Clamp(_lua.ToNumber(-1), 1, SystemBroker.MaxReadBytes);
            _lua.Pop(1);
        }
        var result = _broker.Send(_caller, new ReadFileRequest(path, tail));
        if (!result.Ok) return Failure(result.Error!);
        var file = result.Value!;
        if (!_budget.HasRoomFor(file.Bytes.Length)) return Failure("failed", $"{path} is too large for the memory limit");
        if (tail is null) _readTags[RootedPath.Normalize(path)] = file.Tag;
        _lua.PushBoolean(true);
        _lua.PushBuffer(file.Bytes);
        _lua.PushString(file.Tag);
        return 3;
    }

    private int FsWrite()
    {
        if (StringArg(1) is not { } path) return Failure("invalid", "acf.fs.write: the path must be a string");
        if (_lua.Type(2) != LuaType.String) return Failure("invalid", "acf.fs.write: the content must be a string");
        var bytes = _lua.ToBuffer(2, false);
        var normalized = RootedPath.Validate(path) is null ? RootedPath.Normalize(path) : path;
        // A tag handed in (from a form) wins; else the tag of this run's own read guards against a concurrent change.
        var expected = StringArg(3) ?? _readTags.GetValueOrDefault(normalized);
        List<string>? validator = null;
        int? mode = null;
        if (_lua.Type(4) == LuaType.Table)
        {
            _lua.PushString("validate");
            var hasValidator = _lua.RawGet(4) == LuaType.Table;
            var invalid = hasValidator ? StringList(_lua.GetTop(), "acf.fs.write: validate", 64, out validator) : null;
            _lua.Pop(1);
            if (invalid is not null) return Failure("invalid", invalid);
            if (ModeOption(4, out mode) is { } badMode) return Failure("invalid", badMode);
        }
        var result = _broker.Send(_caller, new WriteFileRequest(path, bytes, expected, validator, Mode: mode));
        if (!result.Ok) return Failure(result.Error!);
        _readTags[normalized] = result.Value!.Tag;
        _lua.PushBoolean(true);
        _lua.PushBoolean(result.Value.Changed);
        _lua.PushString(result.Value.Tag);
        return 3;
    }

    /// <summary>
    /// The <c>mode</c> option of acf.fs.write: an octal string ("0600", "600"; Lua has no octal literals) or a number
    /// of permission bits. The error text when it is neither.
    /// </summary>
    private string? ModeOption(int index, out int? mode)
    {
        mode = null;
        _lua.PushString("mode");
        var type = _lua.RawGet(index);
        try
        {
            switch (type)
            {
                case LuaType.Nil:
                    return null;
                case LuaType.String:
                    var text = _lua.ToString(-1, false);
                    if (text.Length is < 1 or > 4 || text.Any(c => c is < '0' or > '7'))
                        return "acf.fs.write: mode is octal permission bits such as \"0600\"";
                    mode = Convert.ToInt32(text, 8);
                    break;
                case LuaType.Number when _lua.IsInteger(-1):
                    mode = (int)Math.Clamp(_lua.ToInteger(-1), -1, int.MaxValue);
                    break;
                default:
                    return "acf.fs.write: mode is octal permission bits such as \"0600\"";
            }
            return mode is < 0 or > WriteFileRequest.MaxMode ? "acf.fs.write: mode is 0 to 0777 (permission bits only)" : null;
        }
        finally
        {
            _lua.Pop(1);
        }
    }

    private int FsList()
    {
        if (StringArg(1) is not { } path) return Failure("invalid", "acf.fs.list: the path must be a string");
        var result = _broker.Send(_caller, new ListDirectoryRequest(path));
        if (!result.Ok) return Failure(result.Error!);
        _lua.PushBoolean(true);
        _lua.NewTable();
        var i = 0;
        foreach (var entry in result.Value!)
        {
            _lua.NewTable();
            SetString("name", entry.Name);
            SetString("type", entry.Kind.ToString().ToLowerInvariant());
            _lua.PushInteger(entry.Size);
            _lua.SetField(-2, "size");
            _lua.RawSetInteger(-2, ++i);
        }
        return 2;
    }

    private int FsStat()
    {
        if (StringArg(1) is not { } path) return Failure("invalid", "acf.fs.stat: the path must be a string");
        var result = _broker.Send(_caller, new StatRequest(path));
        if (!result.Ok) return Failure(result.Error!);
        var status = result.Value!;
        if (!status.Exists) return Failure("notfound", $"{status.Path} does not exist.");
        _lua.PushBoolean(true);
        _lua.NewTable();
        SetString("type", status.Kind.ToString().ToLowerInvariant());
        _lua.PushInteger(status.Size);
        _lua.SetField(-2, "size");
        _lua.PushInteger(status.Mode);
        _lua.SetField(-2, "mode");
        _lua.PushInteger(status.Modified?.ToUnixTimeSeconds() ?? 0);
        _lua.SetField(-2, "mtime");
        return 2;
    }

    private int Exec()
    {
        if (StringList(1, "acf.exec: the command", 256, out var argv) is { } invalid) return Failure("invalid", invalid);
        string? stdin = null;
        int? timeout = null;
        List<string>? rollback = null;
        if (_lua.Type(2) == LuaType.Table)
        {
            _lua.PushString("stdin");
            if (_lua.RawGet(2) == LuaType.String) stdin = _lua.ToString(-1, false);
            _lua.Pop(1);
            _lua.PushString("timeout");
            if (_lua.RawGet(2) == LuaType.Number) timeout = (int)Math.Clamp(_lua.ToNumber(-1), 1, int.MaxValue);
            _lua.Pop(1);
            _lua.PushString("rollback");
            var hasRollback = _lua.RawGet(2) == LuaType.Table;
            var invalidRollback = hasRollback ? StringList(_lua.GetTop(), "acf.exec: rollback", 256, out rollback) : null;
            _lua.Pop(1);
            if (invalidRollback is not null) return Failure("invalid", invalidRollback);
        }
        // The broker checks the rollback command; the journal (in front of the broker, in the app) keeps it.
        return ExecResultOrFailure(_broker.Send(_caller, new ExecRequest(argv, stdin, timeout, rollback)));
    }

    /// <summary>Reads a Lua array of 1 to <paramref name="max"/> strings; the error text when it is not one.</summary>
    private string? StringList(int index, string what, int max, out List<string> items, bool allowEmpty = false)
    {
        items = [];
        if (_lua.Type(index) != LuaType.Table) return $"{what} must be a table of strings";
        var count = _lua.RawLen(index);
        if (count > max || (count == 0 && !allowEmpty)) return $"{what} needs between {(allowEmpty ? 0 : 1)} and {max} entries";
        for (var i = 1; i <= count; i++)
        {
            var type = _lua.RawGetInteger(index, i);
            if (type != LuaType.String)
            {
                _lua.Pop(1);
                return $"{what}: entry {i} is a {_lua.TypeName(type)}, not a string";
            }
            items.Add(_lua.ToString(-1, false));
            _lua.Pop(1);
        }
        return null;
    }

    private int ExecResultOrFailure(BrokerResult<ExecResult> result)
    {
        if (!result.Ok) return Failure(result.Error!);
        var run = result.Value!;
        _lua.PushBoolean(true);
        _lua.NewTable();
        _lua.PushInteger(run.Status);
        _lua.SetField(-2, "status");
        SetString("stdout", run.Stdout);
        SetString("stderr", run.Stderr);
        _lua.PushBoolean(run.TimedOut);
        _lua.SetField(-2, "timed_out");
        _lua.PushBoolean(run.Truncated);
        _lua.SetField(-2, "truncated");
        _lua.PushBoolean(run.Simulated); // the demo host only pretends: a page can say so
        _lua.SetField(-2, "simulated");
        return 2;
    }

    private int User()
    {
        _lua.PushBoolean(true);
        PushUser();
        return 2;
    }

    private int Log()
    {
        if (++_logLines > 1000) return 0; // a chatty module cannot flood the host's log
        var message = StringArg(1) ?? "";
        _logger.LogInformation("[{Module}] {Message}", _request.Module.Prefix, message.Length > 4000 ? message[..4000] : message);
        return 0;
    }

    private static byte[] ReadPrelude()
    {
        using var stream = typeof(LuaSandbox).Assembly.GetManifestResourceStream("Acf.Modules.Lua.sandbox.lua")!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>lua_Alloc: counts every byte the state holds and refuses growth past the limit (Lua then raises "not enough memory").</summary>
    private static IntPtr Allocate(IntPtr ud, IntPtr ptr, UIntPtr osize, UIntPtr nsize)
    {
        var budget = (MemoryBudget)GCHandle.FromIntPtr(ud).Target!;
        var oldSize = ptr == IntPtr.Zero ? 0L : (long)osize; // with ptr NULL, osize is a type tag, not a size
        var newSize = (long)nsize;
        if (newSize == 0)
        {
            if (ptr != IntPtr.Zero) Marshal.FreeHGlobal(ptr);
            budget.Used -= oldSize;
            return IntPtr.Zero;
        }
        var growth = newSize - oldSize;
        if (growth > 0 && budget.Used + growth > budget.CurrentLimit)
        {
            budget.Exceeded = true;
            return IntPtr.Zero;
        }
        try
        {
            var block = ptr == IntPtr.Zero ? Marshal.AllocHGlobal((IntPtr)newSize) : Marshal.ReAllocHGlobal(ptr, (IntPtr)newSize);
            budget.Used += growth;
            return block;
        }
        catch (OutOfMemoryException)
        {
            budget.Exceeded = true;
            return IntPtr.Zero;
        }
    }

    /// <summary>
    /// The state's memory account. While a host function runs (<see cref="Reserve"/>), growth up to twice the limit
    /// is allowed: an allocation failure there would raise a Lua error inside C# code, which must never happen. The
    /// overshoot is caught by the next hook, which stops the module.
    /// </summary>
    private sealed class MemoryBudget(long limit)
    {
        public long Used;
        public bool Exceeded;
        public bool Reserve;

        public long CurrentLimit => Reserve ? limit * 2 : limit;

        public bool HasRoomFor(long bytes) => Used + bytes + (1 << 16) < limit * 2;
    }
}
