using KeraLua;
using LuaState = KeraLua.Lua;

namespace Acf.Modules.Lua;

/// <summary>Reading what an error left on the stack.</summary>
internal static class LuaText
{
    /// <summary>The error value on top of the stack as text (Lua errors are usually strings, but any value can be thrown).</summary>
    public static string ErrorText(LuaState lua) => lua.Type(-1) switch
    {
        LuaType.String => lua.ToString(-1, false),
        LuaType.Number => lua.ToNumber(-1).ToString(CultureInfo.InvariantCulture),
        var type => $"(error object is a {lua.TypeName(type)} value)",
    };
}

/// <summary>
/// The stack operations every host function shares: reading arguments without raising (a Lua error from C# would
/// longjmp over managed frames), pushing the <c>true, ...</c> / <c>false, kind, message</c> answers the prelude turns
/// into values or errors, and filling result tables.
/// </summary>
internal static class LuaStack
{
    /// <summary>Pushes <c>false, kind, message</c>; the prelude raises for <c>denied</c> and <c>invalid</c>, else returns <c>nil, message</c>.</summary>
    public static int Failure(this LuaState lua, string kind, string message)
    {
        lua.PushBoolean(false);
        lua.PushString(kind);
        lua.PushString(message);
        return 3;
    }

    public static int Failure(this LuaState lua, BrokerError error) => lua.Failure(error.Kind.ToString().ToLowerInvariant(), error.Message);

    /// <summary>The argument at <paramref name="index"/> when it is a string, else null (numbers are not converted).</summary>
    public static string? StringArg(this LuaState lua, int index) => lua.Type(index) == LuaType.String ? lua.ToString(index, false) : null;

    /// <summary>The string at <paramref name="index"/> as <see cref="ByteText"/>: bytes that are not UTF-8 are kept, not replaced.</summary>
    public static string ToByteText(this LuaState lua, int index) => ByteText.Decode(lua.ToBuffer(index, false));

    /// <summary>Pushes the exact bytes a <see cref="ByteText"/> string stands for.</summary>
    public static void PushByteText(this LuaState lua, string text) => lua.PushBuffer(ByteText.Encode(text));

    /// <summary>The string at <paramref name="key"/> of the table at <paramref name="table"/> (a call's options), or
    /// null when it is not a string.</summary>
    public static string? StringField(this LuaState lua, int table, string key)
    {
        lua.PushString(key);
        var value = lua.RawGet(table) == LuaType.String ? lua.ToString(-1, false) : null;
        lua.Pop(1);
        return value;
    }

    /// <summary>The number at <paramref name="key"/> of the table at <paramref name="table"/>, or null when it is not a number.</summary>
    public static double? NumberField(this LuaState lua, int table, string key)
    {
        lua.PushString(key);
        double? value = lua.RawGet(table) == LuaType.Number ? lua.ToNumber(-1) : null;
        lua.Pop(1);
        return value;
    }

    /// <summary>True when <paramref name="key"/> of the table at <paramref name="table"/> is the boolean true.</summary>
    public static bool BooleanField(this LuaState lua, int table, string key)
    {
        lua.PushString(key);
        var value = lua.RawGet(table) == LuaType.Boolean && lua.ToBoolean(-1);
        lua.Pop(1);
        return value;
    }

    public static void SetString(this LuaState lua, string key, string value)
    {
        lua.PushString(value);
        lua.SetField(-2, key);
    }

    public static void SetInteger(this LuaState lua, string key, long value)
    {
        lua.PushInteger(value);
        lua.SetField(-2, key);
    }

    public static void SetBoolean(this LuaState lua, string key, bool value)
    {
        lua.PushBoolean(value);
        lua.SetField(-2, key);
    }

    /// <summary>Sets <paramref name="key"/> of the table on top to a new array of the strings (<see cref="PushStrings"/>).</summary>
    public static void SetStrings(this LuaState lua, string key, IReadOnlyList<string> items)
    {
        lua.PushStrings(items);
        lua.SetField(-2, key);
    }

    /// <summary>A host call's answer for a change: <c>true</c> and whether anything changed (two results).</summary>
    public static int Changed(this LuaState lua, bool changed)
    {
        lua.PushBoolean(true);
        lua.PushBoolean(changed);
        return 2;
    }

    /// <summary>Pushes a new array of the strings (as their exact bytes, <see cref="ByteText"/>).</summary>
    public static void PushStrings(this LuaState lua, IReadOnlyList<string> items)
    {
        lua.CreateTable(items.Count, 0);
        for (var i = 0; i < items.Count; i++)
        {
            lua.PushByteText(items[i]);
            lua.RawSetInteger(-2, i + 1);
        }
    }

    /// <summary>Reads a Lua array of 1 to <paramref name="max"/> strings; the error text when it is not one.</summary>
    public static string? StringList(this LuaState lua, int index, string what, int max, out List<string> items, bool allowEmpty = false)
    {
        items = [];
        if (lua.Type(index) != LuaType.Table) return $"{what} must be a table of strings";
        var count = lua.RawLen(index);
        if (count > max || (count == 0 && !allowEmpty)) return $"{what} needs between {(allowEmpty ? 0 : 1)} and {max} entries";
        for (var i = 1; i <= count; i++)
        {
            var type = lua.RawGetInteger(index, i);
            if (type != LuaType.String)
            {
                lua.Pop(1);
                return $"{what}: entry {i} is a {lua.TypeName(type)}, not a string";
            }
            items.Add(lua.ToString(-1, false));
            lua.Pop(1);
        }
        return null;
    }

    /// <summary>Pushes a command's result as <c>true, {status, stdout, stderr, ...}</c>, or the broker's failure.</summary>
    public static int ExecResult(this LuaState lua, BrokerResult<ExecResult> result)
    {
        if (!result.Ok) return lua.Failure(result.Error!);
        var run = result.Value!;
        lua.PushBoolean(true);
        lua.NewTable();
        lua.SetInteger("status", run.Status);
        lua.SetString("stdout", run.Stdout);
        lua.SetString("stderr", run.Stderr);
        lua.SetBoolean("timed_out", run.TimedOut);
        lua.SetBoolean("truncated", run.Truncated);
        lua.SetBoolean("simulated", run.Simulated); // the demo host only pretends: a page can say so
        return 2;
    }

    /// <summary>Pushes <c>{name = ..., roles = {...}}</c>.</summary>
    public static void PushUser(this LuaState lua, AcfPrincipal user)
    {
        lua.NewTable();
        lua.SetString("name", user.Name);
        lua.SetStrings("roles", user.Roles);
    }
}
