using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Acf.Broker;

/// <summary>
/// How the broker's own files are written and read (module manifests, the intent journal, audit lines): made when
/// Acf is built, not found by reflection when it runs, because the broker is compiled ahead of time (Acf.Helper). Each
/// file keeps its own options (names, escaping, comments); the types come from here.
/// </summary>
[JsonSerializable(typeof(ModuleManifest))]
[JsonSerializable(typeof(ChangeIntent))]
[JsonSerializable(typeof(AuditEntry))]
internal sealed partial class BrokerFilesJson : JsonSerializerContext
{
    /// <summary>How <typeparamref name="T"/> is read and written with <paramref name="options"/> (a file's own), its
    /// type taken from this context.</summary>
    public static JsonTypeInfo<T> Of<T>(JsonSerializerOptions options)
    {
        options.TypeInfoResolver = Default;
        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }
}
