using System.Text;
using Acf.Broker.Text;
using KeraLua;
using LuaState = KeraLua.Lua;

namespace Acf.Modules.Lua.Host;

/// <summary>
/// <c>acf.json.decode/encode</c>. An object becomes a Lua table of its members plus, under the prelude's private key
/// <c>acf.json.KEYS</c> (a table, so no JSON key can collide with it), the list of its keys in order; that list also
/// tells an empty object from an empty array. JSON null is the sentinel <c>acf.json.null</c>. Encoding writes the
/// listed keys first, then keys a module added, sorted, so an edit keeps the file's order.
/// </summary>
internal static class JsonFunctions
{
    public static readonly KeyValuePair<string, HostFunction>[] All =
    [
        new("json_decode", Decode),
        new("json_encode", Encode),
    ];

    private const int KeysArg = 2;
    private const int NullArg = 3;

    /// <summary>json_decode(text, KEYS, NULL) -> true, value, indent | false, "failed", message.</summary>
    private static int Decode(HostCall call)
    {
        var lua = call.Lua;
        if (lua.Type(1) != LuaType.String) return lua.Failure("invalid", "acf.json.decode: the text must be a string");
        if (lua.Type(KeysArg) != LuaType.Table || lua.Type(NullArg) != LuaType.Table) return lua.Failure("invalid", "acf.json: sentinels missing");
        var bytes = lua.ToBuffer(1, false);
        if (!call.Budget.HasRoomFor((long)bytes.Length * 8)) return lua.Failure("failed", "acf.json.decode: the text is too large for the memory limit");
        var tree = OrderedJson.Parse(bytes, out var indent, out var error);
        if (tree is null) return lua.Failure("failed", "not valid JSON: " + error);
        var top = lua.GetTop();
        try
        {
            lua.PushBoolean(true);
            PushJson(lua, tree, 0);
            lua.PushString(indent);
            return 3;
        }
        catch (InvalidDataException e)
        {
            lua.SetTop(top);
            return lua.Failure("failed", "acf.json.decode: " + e.Message);
        }
    }

    private static void PushJson(LuaState lua, JsonTree tree, int depth)
    {
        if (depth > OrderedJson.MaxDepth || !lua.CheckStack(8)) throw new InvalidDataException("nested too deeply");
        switch (tree)
        {
            case JsonString s: lua.PushString(s.Value); break;
            case JsonInteger n: lua.PushInteger(n.Value); break;
            case JsonReal r: lua.PushNumber(r.Value); break;
            case JsonBool b: lua.PushBoolean(b.Value); break;
            case JsonNull: lua.PushCopy(NullArg); break;
            case JsonArray array:
                lua.CreateTable(array.Items.Count, 0);
                for (var i = 0; i < array.Items.Count; i++)
                {
                    PushJson(lua, array.Items[i], depth + 1);
                    lua.RawSetInteger(-2, i + 1);
                }
                break;
            case JsonObject obj:
                lua.CreateTable(0, obj.Members.Count + 1);
                lua.PushCopy(KeysArg);
                lua.CreateTable(obj.Members.Count, 0);
                for (var i = 0; i < obj.Members.Count; i++)
                {
                    lua.PushString(obj.Members[i].Key);
                    lua.RawSetInteger(-2, i + 1);
                }
                lua.RawSet(-3);
                foreach (var (key, value) in obj.Members)
                {
                    lua.PushString(key);
                    PushJson(lua, value, depth + 1);
                    lua.RawSet(-3);
                }
                break;
        }
    }

    /// <summary>json_encode(value, KEYS, NULL, indent) -> true, text | false, "invalid", message.</summary>
    private static int Encode(HostCall call)
    {
        var lua = call.Lua;
        if (lua.Type(KeysArg) != LuaType.Table || lua.Type(NullArg) != LuaType.Table) return lua.Failure("invalid", "acf.json: sentinels missing");
        var indent = lua.StringArg(4) switch { "\t" => "\t", "    " => "    ", _ => "  " };
        var top = lua.GetTop();
        try
        {
            var values = 0;
            var tree = ReadJson(lua, 1, 0, ref values);
            var text = OrderedJson.Format(tree, indent);
            if (Encoding.UTF8.GetByteCount(text) > 4 * OrderedJson.MaxBytes) return lua.Failure("invalid", "acf.json.encode: the result is too large");
            lua.SetTop(top);
            lua.PushBoolean(true);
            lua.PushString(text);
            return 2;
        }
        catch (InvalidDataException e)
        {
            lua.SetTop(top);
            return lua.Failure("invalid", "acf.json.encode: " + e.Message);
        }
    }

    private static JsonTree ReadJson(LuaState lua, int index, int depth, ref int values)
    {
        if (++values > OrderedJson.MaxValues) throw new InvalidDataException($"more than {OrderedJson.MaxValues} values");
        switch (lua.Type(index))
        {
            case LuaType.String:
                return new JsonString(Utf8(lua.ToBuffer(index, false)));
            case LuaType.Number:
                return lua.IsInteger(index) ? new JsonInteger(lua.ToInteger(index)) : new JsonReal(lua.ToNumber(index));
            case LuaType.Boolean:
                return new JsonBool(lua.ToBoolean(index));
            case LuaType.Table:
                if (lua.RawEqual(index, NullArg)) return JsonNull.Instance;
                if (lua.RawEqual(index, KeysArg)) throw new InvalidDataException("acf.json.KEYS is not a value");
                return ReadTable(lua, index, depth, ref values);
            case var type:
                throw new InvalidDataException($"a {lua.TypeName(type)} has no JSON form");
        }
    }

    private static JsonTree ReadTable(LuaState lua, int table, int depth, ref int values)
    {
        if (depth >= OrderedJson.MaxDepth) throw new InvalidDataException($"nested deeper than {OrderedJson.MaxDepth} levels (a table that contains itself?)");
        if (!lua.CheckStack(8)) throw new InvalidDataException("nested too deeply");
        var members = new Dictionary<string, JsonTree>(StringComparer.Ordinal);
        var items = new SortedDictionary<long, JsonTree>();
        var isObject = false;
        lua.PushNil();
        while (lua.Next(table))
        {
            var value = lua.GetTop();
            var key = value - 1;
            switch (lua.Type(key))
            {
                case LuaType.String:
                    members[Utf8(lua.ToBuffer(key, false))] = ReadJson(lua, value, depth + 1, ref values);
                    break;
                case LuaType.Number when lua.IsInteger(key):
                    items[lua.ToInteger(key)] = ReadJson(lua, value, depth + 1, ref values);
                    break;
                case LuaType.Table when lua.RawEqual(key, KeysArg):
                    isObject = true;
                    break;
                case var type:
                    throw new InvalidDataException($"a table key of type {lua.TypeName(type)} has no JSON form");
            }
            lua.SetTop(key);
        }
        if (members.Count > 0 && items.Count > 0) throw new InvalidDataException("a table mixes string keys and array items");
        if (members.Count == 0 && !isObject)
        {
            var expected = 1L;
            foreach (var position in items.Keys)
                if (position != expected++) throw new InvalidDataException("an array has holes (items must be 1..n)");
            return new JsonArray(items.Values.ToList());
        }
        if (items.Count > 0) throw new InvalidDataException("an object has array items");
        // The keys in the order the file had them, then keys the module added, sorted.
        var ordered = new List<KeyValuePair<string, JsonTree>>(members.Count);
        lua.PushCopy(KeysArg);
        if (lua.RawGet(table) == LuaType.Table)
        {
            var list = lua.GetTop();
            var count = lua.RawLen(list);
            for (var i = 1; i <= count && i <= members.Count + 1024; i++)
            {
                if (lua.RawGetInteger(list, i) == LuaType.String && members.Remove(Utf8(lua.ToBuffer(-1, false)), out var tree))
                    ordered.Add(new(lua.ToString(-1, false), tree));
                lua.Pop(1);
            }
        }
        lua.Pop(1);
        ordered.AddRange(members.OrderBy(m => m.Key, StringComparer.Ordinal));
        return new JsonObject(ordered);
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private static string Utf8(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException("a string is not valid UTF-8");
        }
    }
}
