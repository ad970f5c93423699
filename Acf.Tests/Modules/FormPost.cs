namespace Acf.Tests.Modules;

/// <summary>
/// What a browser sends a module's action, for tests that run the action as a page does: the query of a link, and a
/// form posted back as the page shows it (every field that is not read-only, lists one item per line, then the
/// changes); and a failed form's messages in one line, for an assertion's message.
/// </summary>
public static class FormPost
{
    public static ModuleInput Query(params (string Name, string Value)[] values) =>
        new(values.ToDictionary(v => v.Name, v => (IReadOnlyList<string>)[v.Value]));

    /// <summary>The form posted back as the browser shows it (lists one item per line), with <paramref name="changes"/>.</summary>
    public static ModuleInput Post(CfeNode form, string button, params (string Name, string Value)[] changes)
    {
        var values = new Dictionary<string, string>();
        Collect(form, "", values);
        foreach (var (name, value) in changes) values[name] = value;
        return ModuleTestHost.Submit(button, values.Select(v => (v.Key, v.Value)).ToArray());
    }

    private static void Collect(CfeNode node, string prefix, Dictionary<string, string> values)
    {
        foreach (var child in node.Children)
        {
            var name = prefix + child.Name;
            if (child.Readonly) continue;
            switch (child.Type)
            {
                case CfeTypes.Group: Collect(child, name + ".", values); break;
                case CfeTypes.Boolean: values[name] = child.Checked ? "true" : "false"; break;
                case CfeTypes.List: values[name] = string.Join("\n", child.Items); break;
                case CfeTypes.Text or CfeTypes.Hidden or CfeTypes.Integer or CfeTypes.Select or CfeTypes.Longtext
                    or CfeTypes.Password: values[name] = child.Text ?? ""; break;
            }
        }
    }

    /// <summary>The form's own message and every field's, joined with " | ".</summary>
    public static string Errors(CfeNode form) =>
        string.Join(" | ", new[] { form.Errtxt }.Concat(Descendants(form).Select(c => c.Errtxt)).Where(e => e is not null));

    private static IEnumerable<CfeNode> Descendants(CfeNode node) => node.Children.SelectMany(c => Descendants(c).Prepend(c));
}
