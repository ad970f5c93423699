using System.Buffers;
using System.Text;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace Acf.Modules.Cfe;

/// <summary>
/// Lua strings are bytes; a config file's value need not be UTF-8 (a Latin-1 <c>f\xFCr B\xFCro</c>). In C# such a value
/// is a string in which every byte that is not part of valid UTF-8 is kept as one lone low surrogate, U+DC80 + (byte -
/// 0x80) (Python's surrogateescape). Valid UTF-8 never decodes to a lone surrogate, so the mapping is exact both ways:
/// <c>Encode(Decode(b)) == b</c> for all bytes. Lone surrogates cannot cross JSON or the browser, so where such a value
/// leaves the process it travels as <c>{"$bytes": "&lt;base64&gt;"}</c> (<see cref="JsonConverter"/>, the API), and
/// the renderer shows it escaped (<c>\xFC</c>) and read-only, submitting the value it holds.
/// </summary>
public static class ByteText
{
    /// <summary>The JSON member that carries a value with raw bytes, base64.</summary>
    public const string JsonMember = "$bytes";

    private const char FirstEscape = '\uDC80';
    private const char LastEscape = '\uDCFF';

    /// <summary>The bytes as text: UTF-8 where valid, each other byte as its escape.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes)) return Encoding.UTF8.GetString(bytes);
        var text = new StringBuilder(bytes.Length);
        while (!bytes.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(bytes, out var rune, out var used) == OperationStatus.Done)
            {
                text.Append(rune.ToString());
                bytes = bytes[used..];
            }
            else
            {
                text.Append((char)(FirstEscape + bytes[0] - 0x80));
                bytes = bytes[1..];
            }
        }
        return text.ToString();
    }

    /// <summary>The bytes the text stands for: UTF-8, each escape its byte (any other lone surrogate U+FFFD).</summary>
    public static byte[] Encode(string text)
    {
        if (!HasRawBytes(text)) return Encoding.UTF8.GetBytes(text);
        var bytes = new ArrayBufferWriter<byte>(text.Length + 16);
        Span<byte> one = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsEscape(text, i))
            {
                bytes.Write([(byte)(c - FirstEscape + 0x80)]);
                continue;
            }
            var rune = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                ? new Rune(c, text[++i])
                : Rune.TryCreate(c, out var single) ? single : Rune.ReplacementChar;
            bytes.Write(one[..rune.EncodeToUtf8(one)]);
        }
        return bytes.WrittenSpan.ToArray();
    }

    /// <summary>True when the text holds bytes that are not UTF-8 (it cannot be shown or sent as it is).</summary>
    public static bool HasRawBytes(string? text)
    {
        if (text is null) return false;
        for (var i = 0; i < text.Length; i++)
            if (IsEscape(text, i)) return true;
        return false;
    }

    /// <summary>The text for display: each raw byte as <c>\xNN</c>, the rest as it is.</summary>
    public static string Escaped(string? text)
    {
        if (!HasRawBytes(text)) return text ?? "";
        var shown = new StringBuilder(text!.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            if (IsEscape(text, i)) shown.Append(@"\x").Append(((int)(text[i] - FirstEscape + 0x80)).ToString("X2", null));
            else shown.Append(text[i]);
        }
        return shown.ToString();
    }

    /// <summary>An escape is a low surrogate in the byte range that does not complete a pair.</summary>
    private static bool IsEscape(string text, int i) =>
        text[i] is >= FirstEscape and <= LastEscape && (i == 0 || !char.IsHighSurrogate(text[i - 1]));

    /// <summary>Writes a value with raw bytes as <c>{"$bytes": base64}</c>, any other as a JSON string.</summary>
    public static void Write(Utf8JsonWriter json, string value)
    {
        if (!HasRawBytes(value))
        {
            json.WriteStringValue(value);
            return;
        }
        json.WriteStartObject();
        json.WriteBase64String(JsonMember, Encode(value));
        json.WriteEndObject();
    }

    /// <summary>Reads a JSON string, or <c>{"$bytes": base64}</c> and nothing else, as text; null for any other shape.</summary>
    public static string? Read(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.String) return element.GetString();
        if (element.ValueKind != JsonValueKind.Object) return null;
        string? value = null;
        foreach (var member in element.EnumerateObject())
        {
            if (member.Name != JsonMember || value is not null || member.Value.ValueKind != JsonValueKind.String
                || !member.Value.TryGetBytesFromBase64(out var bytes)) return null;
            value = Decode(bytes);
        }
        return value;
    }

    /// <summary>True when the object is a byte value (<c>{"$bytes": ...}</c>), not a group of fields.</summary>
    public static bool IsBytesObject(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.EnumerateObject().Any(m => m.Name == JsonMember);

    /// <summary>Every string of a serialized record, for the worker protocol: a raw-byte value survives the pipe.</summary>
    public sealed class StringConverter : JsonConverter<string>
    {
        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String) return reader.GetString()!;
            using var element = JsonDocument.ParseValue(ref reader);
            return ByteText.Read(element.RootElement) ?? throw new JsonException($"A string or {{\"{JsonMember}\": base64}} was expected.");
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => ByteText.Write(writer, value);

        // A dictionary key (an input field's name) is a plain JSON string, as it was before this converter was asked
        // for keys too (the generated JSON asks the options' string converter for them).
        public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetString()!;

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WritePropertyName(value);
    }
}
