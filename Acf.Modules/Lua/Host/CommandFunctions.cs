using KeraLua;

namespace Acf.Modules.Lua.Host;

/// <summary><c>acf.exec</c>: an argv the manifest allows, with stdin, timeout, a rollback command, and <c>live</c> (the
/// output goes to the page as it comes). The time the broker spends running the command counts against the command's
/// timeout, which the broker enforces, not against the action's wall time (as a worker's budget counts only its turns).</summary>
internal static class CommandFunctions
{
    public static readonly KeyValuePair<string, HostFunction>[] All =
    [
        new("exec", Exec),
    ];

    private static int Exec(HostCall call)
    {
        var lua = call.Lua;
        if (lua.StringList(1, "acf.exec: the command", 256, out var argv) is { } invalid) return lua.Failure("invalid", invalid);
        string? stdin = null;
        int? timeout = null;
        List<string>? rollback = null;
        var live = false;
        if (lua.Type(2) == LuaType.Table)
        {
            stdin = lua.StringField(2, "stdin");
            if (lua.NumberField(2, "timeout") is { } seconds) timeout = (int)Math.Clamp(seconds, 1, int.MaxValue);
            live = lua.BooleanField(2, "live");
            lua.PushString("rollback");
            var hasRollback = lua.RawGet(2) == LuaType.Table;
            var invalidRollback = hasRollback ? lua.StringList(lua.GetTop(), "acf.exec: rollback", 256, out rollback) : null;
            lua.Pop(1);
            if (invalidRollback is not null) return lua.Failure("invalid", invalidRollback);
        }
        // The broker checks the rollback command; the journal (in front of the broker, in the app) keeps it.
        call.Clock.Stop();
        try
        {
            return lua.ExecResult(call.Broker.Send(call.Caller, new ExecRequest(argv, stdin, timeout, rollback, live), call.Request.Output));
        }
        finally
        {
            call.Clock.Start();
        }
    }
}
