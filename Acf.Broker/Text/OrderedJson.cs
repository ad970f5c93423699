using System.Globalization;
using System.Text.Json;

namespace Acf.Broker.Text;

/// <summary>A JSON value that remembers the order of object members (policy files are the user's: order is kept).</summary>
public abstract record JsonTree;

public sealed record JsonString(string Value) : JsonTree;

public sealed record JsonInteger(long Value) : JsonTree;

public sealed record JsonReal(double Value) : JsonTree;

public sealed record JsonBool(bool Value) : JsonTree;

public sealed record JsonNull : JsonTree
{
    public static readonly JsonNull Instance = new();
}

public sealed record JsonArray(IReadOnlyList<JsonTree> Items) : JsonTree;

public sealed record JsonObject(IReadOnlyList<KeyValuePair<string, JsonTree>> Members) : JsonTree;

/// <summary>
/// Strict JSON (no comments, no trailing commas, no duplicate keys) into an ordered tree, and back in one fixed
/// style: the indent of the source (two or four spaces or a tab; two when unknown), one member per line, and (below the top two levels, or for a list of scalars) a
/// container on one line (<c>{ "in": "lan", "action": "accept" }</c>, as awall's own examples write them) when it
/// holds scalars or containers of scalars and fits in <see cref="InlineWidth"/> columns. So a file written here reads back and writes
/// the same bytes, and a foreign file keeps its keys, their order and its values. Bounded for hostile input.
/// </summary>
public static class OrderedJson
{
    public const int MaxBytes = 1 << 20;
    public const int MaxDepth = 64;
    public const int MaxValues = 200_000;
    public const int InlineWidth = 120;

    /// <summary>The tree, or null and why not. <paramref name="indent"/> is the indent unit the text uses.</summary>
    public static JsonTree? Parse(ReadOnlySpan<byte> utf8, out string indent, out string? error)
    {
        indent = "  ";
        error = null;
        if (utf8.Length > MaxBytes)
        {
            error = $"the JSON text is larger than {MaxBytes >> 10} KiB";
            return null;
        }
        if (utf8.StartsWith("\xEF\xBB\xBF"u8)) utf8 = utf8[3..];
        indent = DetectIndent(utf8);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
            MaxDepth = MaxDepth,
        });
        try
        {
            if (!reader.Read())
            {
                error = "the text holds no JSON value";
                return null;
            }
            var values = 0;
            var tree = ReadValue(ref reader, ref values);
            if (reader.Read())
            {
                error = $"more than one JSON value (line {LineOf(utf8, reader.TokenStartIndex)})";
                return null;
            }
            return tree;
        }
        catch (JsonException e)
        {
            error = e.Message.Replace(" LineNumber:", " line").Replace(" BytePositionInLine:", " byte");
            return null;
        }
        catch (InvalidDataException e)
        {
            error = e.Message;
            return null;
        }
        catch (InvalidOperationException e)
        {
            error = e.Message;
            return null;
        }
    }

    public static JsonTree? Parse(string text, out string indent, out string? error) =>
        Parse(Encoding.UTF8.GetBytes(text), out indent, out error);

    private static int LineOf(ReadOnlySpan<byte> utf8, long index)
    {
        var line = 1;
        for (var i = 0; i < index && i < utf8.Length; i++)
            if (utf8[i] == (byte)'\n') line++;
        return line;
    }

    private static JsonTree ReadValue(ref Utf8JsonReader reader, ref int values)
    {
        if (++values > MaxValues) throw new InvalidDataException($"more than {MaxValues} JSON values");
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                var members = new List<KeyValuePair<string, JsonTree>>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var key = reader.GetString()!;
                    if (!seen.Add(key)) throw new InvalidDataException($"the key \"{Printable(key)}\" appears twice in one object");
                    reader.Read();
                    members.Add(new(key, ReadValue(ref reader, ref values)));
                }
                return new JsonObject(members);
            }
            case JsonTokenType.StartArray:
            {
                var items = new List<JsonTree>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) items.Add(ReadValue(ref reader, ref values));
                return new JsonArray(items);
            }
            case JsonTokenType.String:
                return new JsonString(reader.GetString()!);
            case JsonTokenType.Number:
                // Integers stay integers (ports, counts); anything with a fraction or exponent is a real.
                var raw = reader.HasValueSequence ? global::System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray();
                if (raw.AsSpan().IndexOfAny(".eE"u8) < 0 && reader.TryGetInt64(out var integer)) return new JsonInteger(integer);
                return new JsonReal(reader.GetDouble());
            case JsonTokenType.True:
                return new JsonBool(true);
            case JsonTokenType.False:
                return new JsonBool(false);
            case JsonTokenType.Null:
                return JsonNull.Instance;
            default:
                throw new InvalidDataException($"unexpected {reader.TokenType}");
        }
    }

    /// <summary>The indent unit of the first indented line: a tab, four spaces or two spaces.</summary>
    private static string DetectIndent(ReadOnlySpan<byte> utf8)
    {
        var newline = utf8.IndexOf((byte)'\n');
        while (newline >= 0 && newline + 1 < utf8.Length)
        {
            var rest = utf8[(newline + 1)..];
            if (rest.Length > 0 && rest[0] == (byte)'\t') return "\t";
            var spaces = 0;
            while (spaces < rest.Length && rest[spaces] == (byte)' ') spaces++;
            if (spaces > 0 && spaces < rest.Length && rest[spaces] is not (byte)'\n' and not (byte)'\r')
                return spaces % 4 == 0 && spaces >= 4 ? "    " : "  ";
            var next = rest.IndexOf((byte)'\n');
            newline = next < 0 ? -1 : newline + 1 + next;
        }
        return "  ";
    }

    /// <summary>The text of a tree in the fixed style, ending in a newline.</summary>
    public static string Format(JsonTree tree, string indent = "  ")
    {
        if (indent is not ("  " or "    " or "\t")) indent = "  ";
        var output = new StringBuilder();
        Write(output, tree, indent, 0, 0);
        output.Append('\n');
        return output.ToString();
    }

    private static void Write(StringBuilder output, JsonTree tree, string indent, int depth, int column)
    {
        if (depth > MaxDepth) throw new InvalidDataException($"nested deeper than {MaxDepth} levels");
        switch (tree)
        {
            case JsonObject { Members.Count: 0 }:
                output.Append("{}");
                return;
            case JsonArray { Items.Count: 0 }:
                output.Append("[]");
                return;
            case JsonObject or JsonArray when (depth > 1 || (depth == 1 && tree is JsonArray { Items: var items } && !items.Any(i => i is JsonObject or JsonArray)))
                && Inline(tree) is { } line && column + line.Length <= InlineWidth:
                output.Append(line);
                return;
            case JsonObject obj:
                output.Append("{\n");
                for (var i = 0; i < obj.Members.Count; i++)
                {
                    var (key, value) = (obj.Members[i].Key, obj.Members[i].Value);
                    var start = output.Length;
                    Indent(output, indent, depth + 1);
                    WriteString(output, key);
                    output.Append(": ");
                    Write(output, value, indent, depth + 1, Width(output, start));
                    output.Append(i + 1 < obj.Members.Count ? ",\n" : "\n");
                }
                Indent(output, indent, depth);
                output.Append('}');
                return;
            case JsonArray array:
                output.Append("[\n");
                for (var i = 0; i < array.Items.Count; i++)
                {
                    var start = output.Length;
                    Indent(output, indent, depth + 1);
                    Write(output, array.Items[i], indent, depth + 1, Width(output, start));
                    output.Append(i + 1 < array.Items.Count ? ",\n" : "\n");
                }
                Indent(output, indent, depth);
                output.Append(']');
                return;
            default:
                WriteScalar(output, tree);
                return;
        }
    }

    private static int Width(StringBuilder output, int start) =>
        output.Length - start + (output.ToString(start, output.Length - start).Count(c => c == '\t') * 7);

    /// <summary>A container on one line when it holds scalars, or containers of scalars; else null.</summary>
    private static string? Inline(JsonTree tree, int level = 0)
    {
        var line = new StringBuilder();
        switch (tree)
        {
            case JsonObject { Members.Count: 0 }:
                return "{}";
            case JsonArray { Items.Count: 0 }:
                return "[]";
            case JsonObject obj:
                line.Append("{ ");
                for (var i = 0; i < obj.Members.Count; i++)
                {
                    if (i > 0) line.Append(", ");
                    WriteString(line, obj.Members[i].Key);
                    line.Append(": ");
                    if (!AppendInline(line, obj.Members[i].Value, level)) return null;
                }
                line.Append(" }");
                return line.ToString();
            case JsonArray array:
                line.Append("[ ");
                for (var i = 0; i < array.Items.Count; i++)
                {
                    if (i > 0) line.Append(", ");
                    if (!AppendInline(line, array.Items[i], level)) return null;
                }
                line.Append(" ]");
                return line.ToString();
            default:
                return null;
        }
    }

    private static bool AppendInline(StringBuilder line, JsonTree value, int level)
    {
        if (value is JsonObject or JsonArray)
        {
            if (level > 0 || Inline(value, level + 1) is not { } inner) return false;
            line.Append(inner);
        }
        else
        {
            WriteScalar(line, value);
        }
        return true;
    }

    private static void Indent(StringBuilder output, string indent, int depth)
    {
        for (var i = 0; i < depth; i++) output.Append(indent);
    }

    private static void WriteScalar(StringBuilder output, JsonTree tree)
    {
        switch (tree)
        {
            case JsonString s:
                WriteString(output, s.Value);
                break;
            case JsonInteger n:
                output.Append(n.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case JsonReal r:
                if (!double.IsFinite(r.Value)) throw new InvalidDataException("NaN and infinity are not JSON numbers");
                var text = r.Value.ToString("R", CultureInfo.InvariantCulture);
                // A real stays a real when read back: 1.0 must not become the integer 1.
                output.Append(text.AsSpan().IndexOfAny('.', 'E', 'e') < 0 ? text + ".0" : text);
                break;
            case JsonBool b:
                output.Append(b.Value ? "true" : "false");
                break;
            case JsonNull:
                output.Append("null");
                break;
            default:
                throw new InvalidDataException("a container where a scalar was expected");
        }
    }

    private static void WriteString(StringBuilder output, string value)
    {
        output.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                case '\b': output.Append("\\b"); break;
                case '\f': output.Append("\\f"); break;
                default:
                    if (c < 0x20 || c == 0x7f || c is '\u2028' or '\u2029')
                        output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        output.Append(c);
                    break;
            }
        }
        output.Append('"');
    }

    private static string Printable(string text) => new(text.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
