using KeraLua;
using LuaState = KeraLua.Lua;

namespace Acf.Modules.Lua;

/// <summary>
/// Turns the CFE table an action returned into <see cref="CfeNode"/> records. It only reads (raw gets, no
/// metamethods, numbers formatted in C#), so no Lua code runs and nothing can raise while it walks the table.
/// Depth and size are bounded, so a cyclic or huge table is refused rather than followed forever.
/// </summary>
internal sealed class CfeReader(LuaState lua)
{
    private const int MaxDepth = 32;
    private const int MaxNodes = 100_000;
    private int _nodes;

    public CfeNode Read(int index) => ReadNode(index, "", 0);

    private CfeNode ReadNode(int table, string name, int depth)
    {
        if (depth > MaxDepth) throw new InvalidDataException($"nested deeper than {MaxDepth} levels at '{name}'");
        if (++_nodes > MaxNodes) throw new InvalidDataException($"more than {MaxNodes} entries");
        // Outside a C function Lua guarantees no free stack slots: pushing past the end corrupts the heap.
        if (!lua.CheckStack(16)) throw new InvalidDataException($"too deeply nested at '{name}'");
        var type = Scalar(table, "type") ?? CfeTypes.Text;
        var node = new CfeNode
        {
            Type = type,
            Name = name,
            Label = Scalar(table, "label"),
            Descr = Scalar(table, "descr"),
            Errtxt = Scalar(table, "errtxt"),
            Default = Scalar(table, "default"),
            Key = Scalar(table, "key"),
            Seq = Integer(table, "seq") is { } seq ? (int)Math.Clamp(seq, int.MinValue, int.MaxValue) : null,
            Readonly = Boolean(table, "readonly"),
            Submitted = Boolean(table, "submitted"),
            Refresh = Integer(table, "refresh") is { } refresh and > 0 ? (int)Math.Min(refresh, 3600) : null,
            Redirect = Scalar(table, "redirect"),
            Action = Scalar(table, "action"),
            Min = Integer(table, "min"),
            Max = Integer(table, "max"),
        };

        lua.PushString("value");
        var valueType = lua.RawGet(table);
        var value = lua.GetTop();
        try
        {
            node = type switch
            {
                CfeTypes.Group or CfeTypes.Form => node with
                {
                    Children = valueType == LuaType.Table ? Children(value, name, depth) : [],
                    Options = ReadOptions(table),
                },
                CfeTypes.Multi or CfeTypes.List => node with
                {
                    Items = valueType == LuaType.Table ? Strings(value) : ScalarAt(value) is { } one ? [one] : [],
                    Options = ReadOptions(table),
                },
                CfeTypes.Boolean => node with { Checked = valueType == LuaType.Boolean && lua.ToBoolean(value) },
                CfeTypes.Structure or CfeTypes.Chart => ReadStructure(node with { Options = ReadOptions(table) }, table, value, valueType),
                CfeTypes.Records => ReadRecords(node, table, value, valueType, depth),
                _ => node with { Text = ScalarAt(value), Options = ReadOptions(table) },
            };
        }
        finally
        {
            lua.SetTop(value - 1);
        }
        return node;
    }

    private List<CfeNode> Children(int table, string parentName, int depth)
    {
        var children = new List<CfeNode>();
        lua.PushNil();
        while (lua.Next(table))
        {
            // Check the key's type before reading it: converting a number key in place would break next().
            if (lua.Type(-2) == LuaType.String && lua.Type(-1) == LuaType.Table)
                children.Add(ReadNode(lua.GetTop(), lua.ToString(-2, false), depth + 1));
            lua.Pop(1);
        }
        return children
            .OrderBy(c => c.Seq ?? int.MaxValue)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
    }

    private CfeNode ReadStructure(CfeNode node, int table, int value, LuaType valueType)
    {
        var rows = new List<IReadOnlyDictionary<string, string>>();
        var seen = new List<string>();
        if (valueType == LuaType.Table)
        {
            var count = lua.RawLen(value);
            for (var i = 1; i <= count; i++)
            {
                if (++_nodes > MaxNodes) throw new InvalidDataException($"more than {MaxNodes} entries");
                var cellType = lua.RawGetInteger(value, i);
                var row = new Dictionary<string, string>(StringComparer.Ordinal);
                if (cellType == LuaType.Table)
                {
                    var rowIndex = lua.GetTop();
                    lua.PushNil();
                    while (lua.Next(rowIndex))
                    {
                        if (lua.Type(-2) == LuaType.String && ScalarAt(lua.GetTop()) is { } cell)
                            row[lua.ToString(-2, false)] = cell;
                        lua.Pop(1);
                    }
                }
                else if (ScalarAt(lua.GetTop()) is { } scalar)
                {
                    row["value"] = scalar;
                }
                lua.Pop(1);
                foreach (var key in row.Keys.Where(k => !seen.Contains(k)).Order(StringComparer.Ordinal)) seen.Add(key);
                rows.Add(row);
            }
        }
        // Columns in the order the module names them (`columns`), else alphabetically: Lua tables have no key order.
        var columns = Strings(table, "columns");
        // Cells named "<column>@href" carry a link target for that column, never a column of their own.
        return node with { Rows = rows, Columns = columns.Count > 0 ? columns : seen.Where(k => !k.Contains('@')).Order(StringComparer.Ordinal).ToList() };
    }

    /// <summary>A records field: its rows as a structure's, its columns the fields its <c>fields</c> list names, in order.</summary>
    private CfeNode ReadRecords(CfeNode node, int table, int value, LuaType valueType, int depth)
    {
        var columns = new List<CfeNode>();
        lua.PushString("fields");
        if (lua.RawGet(table) == LuaType.Table)
        {
            var list = lua.GetTop();
            var count = lua.RawLen(list);
            for (var i = 1; i <= count; i++)
            {
                if (lua.RawGetInteger(list, i) == LuaType.Table && Scalar(lua.GetTop(), "name") is { Length: > 0 } name)
                    columns.Add(ReadNode(lua.GetTop(), name, depth + 1));
                lua.Pop(1);
            }
        }
        lua.Pop(1);
        var rows = ReadStructure(node, table, value, valueType).Rows;
        return node with { Children = columns, Rows = rows };
    }

    /// <summary>Options: strings, <c>{value=, label=}</c>, or groups <c>{label=, value={...}}</c> (one level).</summary>
    private List<CfeOption> ReadOptions(int table)
    {
        var options = new List<CfeOption>();
        lua.PushString("option");
        if (lua.RawGet(table) == LuaType.Table)
        {
            var list = lua.GetTop();
            var count = lua.RawLen(list);
            for (var i = 1; i <= count; i++)
            {
                var type = lua.RawGetInteger(list, i);
                var item = lua.GetTop();
                if (type == LuaType.Table)
                {
                    var label = Scalar(item, "label");
                    lua.PushString("value");
                    if (lua.RawGet(item) == LuaType.Table)
                    {
                        var inner = lua.GetTop();
                        var innerCount = lua.RawLen(inner);
                        for (var j = 1; j <= innerCount; j++)
                        {
                            var innerType = lua.RawGetInteger(inner, j);
                            if (innerType == LuaType.Table)
                            {
                                var v = Scalar(lua.GetTop(), "value");
                                if (v is not null) options.Add(new CfeOption(v, Scalar(lua.GetTop(), "label") ?? v, label));
                            }
                            else if (ScalarAt(lua.GetTop()) is { } s)
                            {
                                options.Add(new CfeOption(s, s, label));
                            }
                            lua.Pop(1);
                        }
                    }
                    else if (ScalarAt(lua.GetTop()) is { } v)
                    {
                        options.Add(new CfeOption(v, label ?? v, Confirm: Scalar(item, "confirm")));
                    }
                    lua.Pop(1);
                }
                else if (ScalarAt(item) is { } s)
                {
                    options.Add(new CfeOption(s, s));
                }
                lua.Pop(1);
            }
        }
        lua.Pop(1);
        return options;
    }

    private List<string> Strings(int table, string field)
    {
        lua.PushString(field);
        var result = lua.RawGet(table) == LuaType.Table ? Strings(lua.GetTop()) : [];
        lua.Pop(1);
        return result;
    }

    private List<string> Strings(int list)
    {
        var result = new List<string>();
        var count = lua.RawLen(list);
        for (var i = 1; i <= count; i++)
        {
            lua.RawGetInteger(list, i);
            if (ScalarAt(lua.GetTop()) is { } s) result.Add(s);
            lua.Pop(1);
        }
        return result;
    }

    private string? Scalar(int table, string field)
    {
        lua.PushString(field);
        lua.RawGet(table);
        var result = ScalarAt(lua.GetTop());
        lua.Pop(1);
        return result;
    }

    private long? Integer(int table, string field)
    {
        lua.PushString(field);
        var type = lua.RawGet(table);
        long? result = type == LuaType.Number ? (lua.IsInteger(-1) ? lua.ToInteger(-1) : (long)lua.ToNumber(-1)) : null;
        if (type == LuaType.String && long.TryParse(lua.ToString(-1, false), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            result = parsed;
        lua.Pop(1);
        return result;
    }

    private bool Boolean(int table, string field)
    {
        lua.PushString(field);
        var result = lua.RawGet(table) == LuaType.Boolean && lua.ToBoolean(-1);
        lua.Pop(1);
        return result;
    }

    /// <summary>A string (its bytes kept, <see cref="ByteText"/>), a number (formatted here, so Lua allocates nothing) or a boolean as text; null otherwise.</summary>
    private string? ScalarAt(int index) => lua.Type(index) switch
    {
        LuaType.String => lua.ToByteText(index), // bytes that are not UTF-8 are kept (ByteText), never replaced
        LuaType.Number when lua.IsInteger(index) => lua.ToInteger(index).ToString(CultureInfo.InvariantCulture),
        LuaType.Number => lua.ToNumber(index).ToString("R", CultureInfo.InvariantCulture),
        LuaType.Boolean => lua.ToBoolean(index) ? "true" : "false",
        _ => null,
    };
}
