using System.Collections.Concurrent;
using System.Collections.Frozen;
using KeraLua;
using LuaState = KeraLua.Lua;

namespace Acf.Modules.Lua.Host;

/// <summary>One host function: reads its arguments from the stack and pushes <c>true, ...</c> or <c>false, kind, message</c>.</summary>
internal delegate int HostFunction(HostCall call);

/// <summary>
/// The raw host functions the prelude receives (it wraps them as <c>acf.*</c>). Each area lists its own in a class of
/// <c>Lua/Host</c>; a new area is a new class and one line here. There is one native thunk per name for all states
/// (a delegate per state needs a thunk of its own, which cost most of a sandbox's start); the thunk finds the call
/// of its state. Nothing escapes a host function into native code: an exception becomes a <c>failed</c> answer.
/// </summary>
internal static class HostFunctions
{
    private static readonly FrozenDictionary<string, HostFunction> All = new[]
    {
        SandboxFunctions.All, FileFunctions.All, CommandFunctions.All, ServiceFunctions.All, PackageFunctions.All,
        LbuFunctions.All, TextFunctions.All, CryptoFunctions.All, JsonFunctions.All,
    }.SelectMany(group => group).ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, LuaFunction> Thunks =
        All.ToFrozenDictionary(f => f.Key, f => (LuaFunction)(state => Dispatch(state, f.Key, f.Value)), StringComparer.Ordinal);

    // The call of each open state, for the shared thunks.
    private static readonly ConcurrentDictionary<IntPtr, HostCall> Live = new();

    /// <summary>The names of every host function (tests).</summary>
    public static IEnumerable<string> Names => All.Keys;

    /// <summary>Pushes the table of raw host functions for the prelude.</summary>
    public static void PushTable(LuaState lua)
    {
        lua.CreateTable(0, Thunks.Count);
        foreach (var (name, thunk) in Thunks)
        {
            lua.PushCFunction(thunk);
            lua.SetField(-2, name);
        }
    }

    /// <summary>Makes the thunks of <paramref name="lua"/> reach <paramref name="call"/>.</summary>
    public static void Attach(LuaState lua, HostCall call) => Live[lua.Handle] = call;

    /// <summary>Forgets the state (before or after close: only this call's entry, since the address may be reused).</summary>
    public static void Detach(IntPtr state, HostCall call) => Live.TryRemove(new KeyValuePair<IntPtr, HostCall>(state, call));

    private static int Dispatch(IntPtr state, string name, HostFunction function)
    {
        if (!Live.TryGetValue(state, out var call)) return 0; // no coroutines exist; never touch a state we do not own
        call.Budget.Reserve = true;
        try
        {
            return function(call);
        }
        catch (Exception e)
        {
            // Nothing may escape into native code: report it to Lua as a failure instead.
            call.Logger.LogWarning(e, "Host function {Function} failed for module {Module}", name, call.Request.Module.Prefix);
            return call.Lua.Failure("failed", $"{name}: {e.Message}");
        }
        finally
        {
            call.Budget.Reserve = false;
        }
    }
}
