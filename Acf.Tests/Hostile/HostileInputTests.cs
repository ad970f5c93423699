using Acf.Web.Components.Renderer;
using Xunit.Abstractions;

namespace Acf.Tests.Hostile;

/// <summary>
/// The hostile input corpus: every <c>Acf.Tests/Hostile/inputs/*.json</c> is a form submission to a real module on
/// the demo tree that smuggles newlines, control characters or directive separators into one field. The form is
/// loaded and filled the way the browser does (<see cref="CfeFormState"/>), or with <c>"raw": true</c> posted as an
/// API client may (several values, newlines inside list items). Each must end in a field error on that field, with
/// the system root unchanged byte for byte and the next action served.
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output)
{
    public static string Folder => Path.Combine(ModuleTestHost.RepositoryRoot, "Acf.Tests", "Hostile", "inputs");

    public static TheoryData<string> Cases() => ModuleFixtureFiles.NamesIn(Folder, "*.json");

    private sealed record Case(string Module, string Controller, string Action, string Button, string Field,
        Dictionary<string, JsonElement> Values, Dictionary<string, string>? Query = null, bool Raw = false);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Submit_HostileInput_FieldErrorNothingChangedStillServing(string name)
    {
        var spec = JsonSerializer.Deserialize<Case>(File.ReadAllText(Path.Combine(Folder, name + ".json")),
            new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
        using var host = new ModuleTestHost(copyRealModules: true);
        host.CopyDemoTree();
        var query = new ModuleInput((spec.Query ?? []).ToDictionary(q => q.Key, q => (IReadOnlyList<string>)[q.Value]), null);
        var page = await HostileCase.Bounded(host.RunAsync(ModuleTestHost.Admin, spec.Module, spec.Controller, spec.Action, query), name);
        Assert.True(page.Status == RunStatus.Ok, page.Error);
        var form = page.Entity!;
        var before = HostileCase.Snapshot(host.Root);

        var result = await HostileCase.Bounded(host.RunAsync(ModuleTestHost.Admin, spec.Module, spec.Controller, spec.Action,
            Submission(form, spec)), name);

        output.WriteLine($"{name}: {result.Status} {result.Error} {result.Entity?.Descr} {result.Entity?.Errtxt} {result.Entity?.Find(spec.Field)?.Errtxt}");
        Assert.True(result.Status == RunStatus.Ok, result.Error);
        Assert.False(result.Entity!.Succeeded, $"{name} was accepted");
        Assert.NotNull(result.Entity.Find(spec.Field)?.Errtxt);
        Assert.Equal(before, HostileCase.Snapshot(host.Root));
        var next = await HostileCase.Bounded(host.RunAsync(ModuleTestHost.Guest, "alpine-baselayout", "hostname", "read"), name);
        Assert.True(next.Status == RunStatus.Ok, next.Error);
    }

    private static ModuleInput Submission(CfeNode form, Case spec)
    {
        var state = CfeFormState.From(form);
        if (!spec.Raw)
        {
            foreach (var (field, value) in spec.Values)
                if (CfeFormState.KindOf(form.Find(field)?.Type ?? CfeTypes.Text) == CfeFormState.FieldKind.Boolean)
                    state.SetChecked(field, value.GetString() == "true");
                else
                    state.SetText(field, value.GetString());
            return new ModuleInput(WithQuery(state.Collect(form), spec), spec.Button);
        }
        var values = WithQuery(state.Collect(form), spec);
        foreach (var (field, value) in spec.Values)
            values[field] = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.GetString()!).ToList() : [value.GetString()!];
        return new ModuleInput(values, spec.Button);
    }

    /// <summary>The page's query (which interface) stays part of the submission, as the page's address keeps it.</summary>
    private static Dictionary<string, IReadOnlyList<string>> WithQuery(IReadOnlyDictionary<string, IReadOnlyList<string>> form, Case spec)
    {
        var values = (spec.Query ?? []).ToDictionary(q => q.Key, q => (IReadOnlyList<string>)[q.Value]);
        foreach (var (key, value) in form) values[key] = value;
        return values;
    }
}
