using System.Text.Json.Serialization;

namespace Acf.Modules.Apply;

/// <summary>The rollback record's JSON (<c>pending-apply.json</c>), made when Acf is built as all of Acf.Modules' JSON
/// is (the project is checked for ahead-of-time compilation). Enums stay numbers, as records already on disk hold them.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(PendingChange))]
internal sealed partial class PendingChangeJson : JsonSerializerContext;
