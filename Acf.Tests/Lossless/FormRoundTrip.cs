using Acf.Web.Components.Renderer;

namespace Acf.Tests.Lossless;

/// <summary>
/// What the browser does with a form: run the action (GET, with the page's query), take the values as the form state
/// holds them, change some (or none) and submit them with a button, the query's values added as the page adds them.
/// </summary>
internal static class FormRoundTrip
{
    /// <param name="Audit">The whole audit after the submit.</param>
    /// <param name="Submitted">The audit entries the submit added (what the save wrote and ran).</param>
    public sealed record Outcome(CfeNode Form, RunResult Saved, IReadOnlyList<AuditEntry> Audit, IReadOnlyList<AuditEntry> Submitted);

    public static async Task<Outcome> PostBackAsync(ModuleTestHost host, AcfPrincipal user, string module, string controller,
        string action, IReadOnlyDictionary<string, IReadOnlyList<string>>? query = null, string? button = null,
        Action<CfeNode, CfeFormState>? edit = null)
    {
        query ??= new Dictionary<string, IReadOnlyList<string>>();
        var shown = await host.RunAsync(user, module, controller, action, new ModuleInput(query));
        Assert.True(shown.Status == RunStatus.Ok, $"{module}/{controller}/{action}: {shown.Error}");
        var form = shown.Entity!;
        var state = CfeFormState.From(form);
        edit?.Invoke(form, state);
        var values = new Dictionary<string, IReadOnlyList<string>>(state.Collect(form), StringComparer.Ordinal);
        foreach (var (name, value) in query) values.TryAdd(name, value);
        var submit = button ?? SaveButton(form);
        var shownAudit = host.Audit.ReadAll().Count;
        var saved = await host.RunAsync(user, module, controller, action, new ModuleInput(values, submit));
        var audit = host.Audit.ReadAll();
        return new Outcome(form, saved, audit, audit.Skip(shownAudit).ToList());
    }

    /// <summary>The button that saves: "Save" when the form has it, else its last button (a preview comes first).</summary>
    public static string SaveButton(CfeNode form) =>
        form.Options.Any(o => o.Value == "Save") ? "Save" : form.Options.LastOrDefault()?.Value ?? "Save";
}
