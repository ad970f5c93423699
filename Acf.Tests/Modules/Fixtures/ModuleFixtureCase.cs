namespace Acf.Tests.Modules.Fixtures;

/// <summary>What a fixture expects of its action (<c>expect</c> in case.json); see /work/briefs/fixture-format.md and docs/modules.md.</summary>
public sealed record FixtureExpectation(
    string Result,
    IReadOnlyDictionary<string, string> Errors,
    IReadOnlyDictionary<string, JsonElement> Values,
    string? Message,
    IReadOnlyList<IReadOnlyList<string>>? Commands,
    bool Unchanged);

/// <summary>
/// One case of a module's fixtures, <c>modules-lua/&lt;module&gt;/fixtures/&lt;case&gt;/case.json</c> with its
/// <c>before/</c>, <c>after/</c> and <c>recordings/</c> folders. Reading is strict: an unknown key or a wrong type
/// fails the case with its name, so a typo in a fixture cannot make it pass by testing nothing.
/// </summary>
public sealed record ModuleFixtureCase(
    string Module,
    string Name,
    string Folder,
    string Controller,
    string Action,
    IReadOnlyList<string> Roles,
    string? Button,
    ModuleInput Input,
    FixtureExpectation Expect)
{
    /// <summary>The button a <c>"submit": true</c> presses: the one most forms have.</summary>
    public const string DefaultButton = "Save";

    public static readonly string[] Results = ["ok", "refused", "failed", "forbidden"];

    private static readonly string[] CaseKeys = ["controller", "action", "roles", "submit", "input", "expect", "description"];
    private static readonly string[] ExpectKeys = ["result", "errors", "values", "message", "commands", "unchanged"];

    public string Id => $"{Module}/{Name}";

    public string BeforeFolder => Path.Combine(Folder, "before");

    public string AfterFolder => Path.Combine(Folder, "after");

    public string RecordingsFolder => Path.Combine(Folder, "recordings");

    /// <summary>Every case of every module under <paramref name="modulesRoot"/>, as <c>module/case</c>, in a stable order.</summary>
    public static IEnumerable<string> Discover(string modulesRoot) =>
        Directory.GetDirectories(modulesRoot)
            .Where(module => !Path.GetFileName(module).StartsWith('_'))
            .SelectMany(module => Directory.Exists(Path.Combine(module, "fixtures"))
                ? Directory.GetDirectories(Path.Combine(module, "fixtures"))
                    .Where(dir => File.Exists(Path.Combine(dir, "case.json")))
                    .Select(dir => $"{Path.GetFileName(module)}/{Path.GetFileName(dir)}")
                : [])
            .Order(StringComparer.Ordinal);

    public static ModuleFixtureCase Load(string modulesRoot, string id)
    {
        var (module, name) = (id.Split('/')[0], id.Split('/')[1]);
        var folder = Path.Combine(modulesRoot, module, "fixtures", name);
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "case.json")),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var root = document.RootElement;
        CheckKeys(root, CaseKeys, id, "case.json");

        var submit = root.TryGetProperty("submit", out var s) ? s : default;
        string? button = submit.ValueKind switch
        {
            JsonValueKind.True => DefaultButton,
            JsonValueKind.String => submit.GetString(),
            JsonValueKind.False or JsonValueKind.Undefined => null,
            _ => throw Bad(id, "\"submit\" is true, false or the name of the button pressed"),
        };
        var values = root.TryGetProperty("input", out var input) ? ReadInput(input, id) : new Dictionary<string, IReadOnlyList<string>>();
        var roles = root.TryGetProperty("roles", out var r) ? ReadStrings(r, id, "roles") : [AcfRoles.Admin];
        return new ModuleFixtureCase(module, name, folder,
            RequiredString(root, "controller", id), RequiredString(root, "action", id), roles, button,
            new ModuleInput(values, button), ReadExpectation(root, id));
    }

    private static FixtureExpectation ReadExpectation(JsonElement root, string id)
    {
        if (!root.TryGetProperty("expect", out var expect) || expect.ValueKind != JsonValueKind.Object)
            throw Bad(id, "\"expect\" (an object with at least \"result\") is missing");
        CheckKeys(expect, ExpectKeys, id, "expect");
        var result = RequiredString(expect, "result", id);
        if (!Results.Contains(result)) throw Bad(id, $"\"result\" is one of {string.Join(", ", Results)}, not '{result}'");
        var errors = expect.TryGetProperty("errors", out var e)
            ? e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String
                ? p.Value.GetString()! : throw Bad(id, $"the expected error of '{p.Name}' is a text"))
            : new Dictionary<string, string>();
        var values = expect.TryGetProperty("values", out var v)
            ? v.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone())
            : new Dictionary<string, JsonElement>();
        var message = expect.TryGetProperty("message", out var m) ? m.GetString() : null;
        var commands = expect.TryGetProperty("commands", out var c)
            ? c.EnumerateArray().Select(argv => ReadStrings(argv, id, "commands")).ToList()
            : null;
        var unchanged = expect.TryGetProperty("unchanged", out var u) && u.GetBoolean();
        return new FixtureExpectation(result, errors, values, message, commands, unchanged);
    }

    /// <summary>A field's value: a text, a number or a boolean (sent as text), or an array (several values, as the API posts a multi or a list).</summary>
    private static Dictionary<string, IReadOnlyList<string>> ReadInput(JsonElement input, string id) =>
        input.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Array
            ? ReadStrings(p.Value, id, "input." + p.Name)
            : (IReadOnlyList<string>)[Scalar(p.Value, id, "input." + p.Name)]);

    private static IReadOnlyList<string> ReadStrings(JsonElement array, string id, string what) =>
        array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(item => Scalar(item, id, what)).ToList()
            : throw Bad(id, $"\"{what}\" is an array");

    private static string Scalar(JsonElement value, string id, string what) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw Bad(id, $"\"{what}\" holds texts, numbers or booleans"),
    };

    private static string RequiredString(JsonElement element, string key, string id) =>
        element.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Bad(id, $"\"{key}\" (a text) is missing");

    private static void CheckKeys(JsonElement element, string[] known, string id, string where)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Bad(id, $"{where} is a JSON object");
        foreach (var property in element.EnumerateObject())
            if (!known.Contains(property.Name))
                throw Bad(id, $"{where} has an unknown key \"{property.Name}\" (known: {string.Join(", ", known)})");
    }

    private static InvalidDataException Bad(string id, string message) => new($"fixture {id}: {message}");
}
