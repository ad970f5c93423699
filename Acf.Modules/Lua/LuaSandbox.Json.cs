using System.Text;
using Acf.Broker.Text;
using KeraLua;

namespace Acf.Modules.Lua;

/// <summary>
/// The host functions behind <c>acf.json.decode/encode</c>. An object becomes a Lua table of its members plus, under
/// the prelude's private key <c>acf.json.KEYS</c> (a table, so no JSON key can collide with it), the list of its keys
/// in order; that list also tells an empty object from an empty array. JSON null is the sentinel <c>acf.json.null</c>.
/// Encoding writes the listed keys first, then keys a module added, sorted, so an edit keeps the file's order.
/// </summary>
internal sealed partial class LuaSandbox
{
    private const int KeysArg = 2;
    private const int NullArg = 3;

    private void RegisterJson()
    {
        Register("json_decode", JsonDecode);
        Register("json_encode", JsonEncode);
    }

    /// <summary>json_decode(text, KEYS, NULL) -> true, value, indent | false, "failed", message.</summary>
    private int JsonDecode()
    {
        if (_lua.Type(1) != LuaType.String) return Failure("invalid", "acf.json.decode: the text must be a string");
        if (_lua.Type(KeysArg) != LuaType.Table || _lua.Type(NullArg) != LuaType.Table) return Failure("invalid", "acf.json: sentinels missing");
        var bytes = _lua.ToBuffer(1, false);
        if (!_budget.HasRoomFor((long)bytes.Length * 8)) return Failure("failed", "acf.json.decode: the text is too large for the memory limit");
        var tree = OrderedJson.Parse(bytes, out var indent, out var error);
        if (tree is null) return Failure("failed", "not valid JSON: " + error);
        var top = _lua.GetTop();
        try
        {
            _lua.PushBoolean(true);
            PushJson(tree, 0);
            _lua.PushString(indent);
            return 3;
        }
        catch (InvalidDataException e)
        {
            _lua.SetTop(top);
            return Failure("failed", "acf.json.decode: " + e.Message);
        }
    }

    private void PushJson(JsonTree tree, int depth)
    {
        if (depth > OrderedJson.MaxDepth || !_lua.CheckStack(8)) throw new InvalidDataException("nested too deeply");
        switch (tree)
        {
            case JsonString s: _lua.PushString(s.Value); break;
            case JsonInteger n: _lua.PushInteger(n.Value); break;
            case JsonReal r: _lua.PushNumber(r.Value); break;
            case JsonBool b: _lua.PushBoolean(b.Value); break;
            case JsonNull: _lua.PushCopy(NullArg); break;
            case JsonArray array:
                _lua.CreateTable(array.Items.Count, 0);
                for (var i = 0; i < array.Items.Count; i++)
                {
                    PushJson(array.Items[i], depth + 1);
                    _lua.RawSetInteger(-2, i + 1);
                }
                break;
            case JsonObject obj:
                _lua.CreateTable(0, obj.Members.Count + 1);
                _lua.PushCopy(KeysArg);
                _lua.CreateTable(obj.Members.Count, 0);
                for (var i = 0; i < obj.Members.Count; i++)
                {
                    _lua.PushString(obj.Members[i].Key);
                    _lua.RawSetInteger(-2, i + 1);
                }
                _lua.RawSet(-3);
                foreach (var (key, value) in obj.Members)
                {
                    _lua.PushString(key);
                    PushJson(value, depth + 1);
                    _lua.RawSet(-3);
                }
                break;
        }
    }

    /// <summary>json_encode(value, KEYS, NULL, indent) -> true, text | false, "invalid", message.</summary>
    private int JsonEncode()
    {
        if (_lua.Type(KeysArg) != LuaType.Table || _lua.Type(NullArg) != LuaType.Table) return Failure("invalid", "acf.json: sentinels missing");
        var indent = StringArg(4) switch { "\t" => "\t", "    " => "    ", _ => "  " };
        var top = _lua.GetTop();
        try
        {
            var values = 0;
            var tree = ReadJson(1, 0, ref values);
            var text = OrderedJson.Format(tree, indent);
            if (Encoding.UTF8.GetByteCount(text) > 4 * OrderedJson.MaxBytes) return Failure("invalid", "acf.json.encode: the result is too large");
            _lua.SetTop(top);
            _lua.PushBoolean(true);
            _lua.PushString(text);
            return 2;
        }
        catch (InvalidDataException e)
        {
            _lua.SetTop(top);
            return Failure("invalid", "acf.json.encode: " + e.Message);
        }
    }

    private JsonTree ReadJson(int index, int depth, ref int values)
    {
        if (++values > OrderedJson.MaxValues) throw new InvalidDataException($"more than {OrderedJson.MaxValues} values");
        switch (_lua.Type(index))
        {
            case LuaType.String:
                return new JsonString(Utf8(_lua.ToBuffer(index, false)));
            case LuaType.Number:
                return _lua.IsInteger(index) ? new JsonInteger(_lua.ToInteger(index)) : new JsonReal(_lua.ToNumber(index));
            case LuaType.Boolean:
                return new JsonBool(_lua.ToBoolean(index));
            case LuaType.Table:
                if (_lua.RawEqual(index, NullArg)) return JsonNull.Instance;
                if (_lua.RawEqual(index, KeysArg)) throw new InvalidDataException("acf.json.KEYS is not a value");
                return ReadTable(index, depth, ref values);
            case var type:
                throw new InvalidDataException($"a {_lua.TypeName(type)} has no JSON form");
        }
    }

    private JsonTree ReadTable(int table, int depth, ref int values)
    {
        if (depth >= OrderedJson.MaxDepth) throw new InvalidDataException($"nested deeper than {OrderedJson.MaxDepth} levels (a table that contains itself?)");
        if (!_lua.CheckStack(8)) throw new InvalidDataException("nested too deeply");
        var members = new Dictionary<string, JsonTree>(StringComparer.Ordinal);
        var items = new SortedDictionary<long, JsonTree>();
        var isObject = false;
        _lua.PushNil();
        while (_lua.Next(table))
        {
            var value = _lua.GetTop();
            var key = value - 1;
            switch (_lua.Type(key))
            {
                case LuaType.String:
                    members[Utf8(_lua.ToBuffer(key, false))] = ReadJson(value, depth + 1, ref values);
                    break;
                case LuaType.Number when _lua.IsInteger(key):
                    items[_lua.ToInteger(key)] = ReadJson(value, depth + 1, ref values);
                    break;
                case LuaType.Table when _lua.RawEqual(key, KeysArg):
                    isObject = true;
                    break;
                case var type:
                    throw new InvalidDataException($"a table key of type {_lua.TypeName(type)} has no JSON form");
            }
            _lua.SetTop(key);
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
        _lua.PushCopy(KeysArg);
        if (_lua.RawGet(table) == LuaType.Table)
        {
            var list = _lua.GetTop();
            var count = _lua.RawLen(list);
            for (var i = 1; i <= count && i <= members.Count + 1024; i++)
            {
                if (_lua.RawGetInteger(list, i) == LuaType.String && members.Remove(Utf8(_lua.ToBuffer(-1, false)), out var tree))
                    ordered.Add(new(_lua.ToString(-1, false), tree));
                _lua.Pop(1);
            }
        }
        _lua.Pop(1);
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
