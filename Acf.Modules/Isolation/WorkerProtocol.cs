using System.Buffers.Binary;
using System.Text.Json.Serialization;

namespace Acf.Modules.Isolation;

/// <summary>A frame that breaks the worker protocol; the app then treats the worker as compromised and kills it.</summary>
internal sealed class WorkerProtocolException(string message) : Exception(message);

/// <summary>What the app hands a worker for one action: everything the sandbox needs, and nothing that grants a right.</summary>
internal sealed record WorkerRun(string Module, string Controller, string Action, AcfPrincipal User, byte[] Source,
    ModuleInput Input, ModulesOptions Limits, HostInfo Host);

/// <summary>A log line of the module or the sandbox, written by the app under the worker's name.</summary>
internal sealed record WorkerLogLine(LogLevel Level, string Message);

/// <summary>A <c>step</c> frame: the step a long action is in (<c>acf.progress</c>), for the page's busy state.</summary>
internal sealed record WorkerStep(string Text);

/// <summary>
/// One message between the app and a worker: a 4-byte little-endian length, then a UTF-8 JSON object
/// <c>{"kind": ..., "method": ..., "body": ...}</c> and nothing else. Kinds: the worker says <c>ready</c> once, then
/// for each action the app sends <c>run</c> (a <see cref="WorkerRun"/>); the worker answers with any number of
/// <c>call</c> (a broker request record, named by its wire name, as the body), each answered by one <c>reply</c> (the broker's
/// result), and <c>log</c> lines, and ends with <c>done</c> (a <c>SandboxOutcome</c>). The worker never names the
/// caller: the app knows whose action runs, and the JSON is read strictly (unknown members are refused).
/// </summary>
internal sealed class WorkerFrame : IDisposable
{
    public const string Ready = "ready";
    public const string Run = "run";
    public const string Call = "call";
    public const string Reply = "reply";
    public const string Log = "log";
    public const string Step = "step";
    public const string Done = "done";

    /// <summary>A file of the broker's read limit, base64 in JSON, plus room for the rest.</summary>
    public const int MaxBytes = (SystemBroker.MaxReadBytes / 3 * 4) + (8 << 20);

    public static readonly JsonSerializerOptions Json = new()
    {
        IgnoreReadOnlyProperties = true, // computed members (Ok, Succeeded, EffectiveRoles) are derived again on arrival
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        MaxDepth = 256, // CFE groups nest, and each level is two JSON levels
        // A CFE value or input with bytes that are not UTF-8 crosses the pipe as {"$bytes": base64}, byte for byte.
        Converters = { new ByteText.StringConverter() },
        TypeInfoResolver = WireJson.Default,
    };

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 256 };

    private readonly JsonDocument _document;

    private WorkerFrame(JsonDocument document, string kind, string? method, JsonElement body)
    {
        _document = document;
        Kind = kind;
        Method = method;
        Body = body;
    }

    public string Kind { get; }

    /// <summary>The broker method of a <c>call</c>.</summary>
    public string? Method { get; }

    public JsonElement Body { get; }

    /// <summary>The body as <typeparamref name="T"/>; a body of another shape is a protocol violation.</summary>
    public T Read<T>() => (T)Read(typeof(T));

    /// <summary>The body as <paramref name="type"/> (a request record named by the frame); strictly, as every body.</summary>
    public object Read(Type type)
    {
        try
        {
            return Body.Deserialize(Json.GetTypeInfo(type)) ?? throw new WorkerProtocolException($"The {Kind} frame has an empty body.");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new WorkerProtocolException($"The body of the {Kind} frame is malformed: {e.Message}");
        }
    }

    public void Dispose() => _document.Dispose();

    /// <summary>One frame, length prefix included, ready to be written in one piece.</summary>
    public static byte[] Encode(string kind, string? method, object? body)
    {
        using var stream = new MemoryStream(256);
        stream.Write(stackalloc byte[4]);
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", kind);
            if (method is not null) writer.WriteString("method", method);
            writer.WritePropertyName("body");
            if (body is null) writer.WriteNullValue();
            else JsonSerializer.Serialize(writer, body, Json.GetTypeInfo(body.GetType()));
            writer.WriteEndObject();
        }
        var bytes = stream.GetBuffer();
        BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)stream.Length - 4);
        return bytes.AsSpan(0, (int)stream.Length).ToArray();
    }

    /// <summary>Reads one frame (blocking); null at the end of the stream.</summary>
    public static WorkerFrame? Read(Stream stream)
    {
        Span<byte> header = stackalloc byte[4];
        if (stream.ReadAtLeast(header, 4, throwOnEndOfStream: false) < 4) return null;
        var body = new byte[CheckedLength(header)];
        stream.ReadExactly(body);
        return Parse(body);
    }

    /// <summary>Reads one frame; null at the end of the stream (the worker exited or was killed).</summary>
    public static async Task<WorkerFrame?> ReadAsync(Stream stream)
    {
        var header = new byte[4];
        if (await stream.ReadAtLeastAsync(header, 4, throwOnEndOfStream: false) < 4) return null;
        var body = new byte[CheckedLength(header)];
        try
        {
            await stream.ReadExactlyAsync(body);
        }
        catch (EndOfStreamException)
        {
            return null;
        }
        return Parse(body);
    }

    private static int CheckedLength(ReadOnlySpan<byte> header)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length is <= 0 or > MaxBytes) throw new WorkerProtocolException($"A frame of {length} bytes is outside the protocol.");
        return length;
    }

    private static WorkerFrame Parse(byte[] bytes)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new WorkerProtocolException("A frame is not JSON: " + e.Message);
        }
        string? kind = null, method = null;
        JsonElement? body = null;
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new WorkerProtocolException("A frame must be a JSON object.");
        }
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "kind" when property.Value.ValueKind == JsonValueKind.String && kind is null:
                    kind = property.Value.GetString();
                    break;
                case "method" when property.Value.ValueKind == JsonValueKind.String && method is null:
                    method = property.Value.GetString();
                    break;
                case "body" when body is null:
                    body = property.Value;
                    break;
                default:
                    var name = Printable(property.Name);
                    document.Dispose();
                    throw new WorkerProtocolException($"A frame carries '{name}', which the protocol does not have.");
            }
        }
        if (kind is null || body is null)
        {
            document.Dispose();
            throw new WorkerProtocolException("A frame needs a kind and a body.");
        }
        return new WorkerFrame(document, kind, method, body.Value);
    }

    internal static string Printable(string text) => new(text.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
