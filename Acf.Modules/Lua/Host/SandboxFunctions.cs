namespace Acf.Modules.Lua.Host;

/// <summary>The sandbox's own host functions: the limit check of the hook, <c>require</c>'s source, <c>acf.user</c>,
/// <c>acf.log</c> and <c>acf.progress</c>.</summary>
internal static class SandboxFunctions
{
    public static readonly KeyValuePair<string, HostFunction>[] All =
    [
        new("over_limit", OverLimit),
        new("lib_source", LibSource),
        new("user", User),
        new("log", Log),
        new("progress", Progress),
    ];

    private const int MaxStepChars = 200;

    /// <summary>A step as the page shows it: one line of at most 200 characters (control characters become spaces).</summary>
    public static string StepText(string text)
    {
        var line = new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        return line.Length > MaxStepChars ? line[..MaxStepChars] : line;
    }

    private const int MaxLogLines = 1000;
    private const int MaxLogChars = 4000;

    /// <summary>over_limit(instructions used) -> nil, or the reason to stop (which then sticks).</summary>
    private static int OverLimit(HostCall call)
    {
        var lua = call.Lua;
        var limits = call.Limits;
        var used = lua.ToInteger(1);
        if (call.StopReason is null)
        {
            if (used > limits.InstructionLimit)
                call.StopReason = string.Create(CultureInfo.InvariantCulture,
                    $"stopped: the instruction limit of {limits.InstructionLimit:N0} was exceeded (an endless loop?)");
            else if (call.Clock.Elapsed.TotalSeconds > limits.WallTimeSeconds)
                call.StopReason = $"stopped: the time limit of {limits.WallTimeSeconds} s was exceeded";
            else if (call.Budget.Exceeded)
                call.StopReason = call.MemoryMessage;
        }
        if (call.StopReason is null) return 0;
        lua.PushString(call.StopReason);
        return 1;
    }

    /// <summary>lib_source(name) -> true, bytecode: the module's own lib/&lt;name&gt;.lua, else the shared one, compiled by the
    /// host (module code can load only text).</summary>
    private static int LibSource(HostCall call)
    {
        var lua = call.Lua;
        var name = lua.StringArg(1) ?? "";
        var module = call.Request.Module.Prefix;
        if (call.Libraries.ReadLibrary(new LibraryRequest(module, name)) is not { } library)
            return lua.Failure("notfound",
                $"module '{name}' not found: require loads only modules-lua/{module}/lib/<name>.lua and modules-lua/lib/<name>.lua");
        if (!lua.CheckStack(4)) return 0;
        if (BytecodeCache.Get(lua, library.Source, "@" + library.Path, out var syntaxError) is not { } code) return lua.Failure("syntax", syntaxError!);
        lua.PushBoolean(true);
        lua.PushBuffer(code);
        return 2;
    }

    private static int User(HostCall call)
    {
        call.Lua.PushBoolean(true);
        call.Lua.PushUser(call.Request.User);
        return 2;
    }

    /// <summary>progress(text): the step a long action is in ("Checking squid.conf"), shown by the page while it runs.</summary>
    private static int Progress(HostCall call)
    {
        if (++call.LogLines > MaxLogLines) return 0; // counted with the log lines: a loop cannot flood the page
        call.Request.Progress?.Invoke(StepText(call.Lua.StringArg(1) ?? ""));
        return 0;
    }

    private static int Log(HostCall call)
    {
        if (++call.LogLines > MaxLogLines) return 0; // a chatty module cannot flood the host's log
        var message = call.Lua.StringArg(1) ?? "";
        call.Logger.LogInformation("[{Module}] {Message}", call.Request.Module.Prefix,
            message.Length > MaxLogChars ? message[..MaxLogChars] : message);
        return 0;
    }
}
