using Acf.Broker;
using Acf.Modules;
using Acf.Modules.Cfe;

namespace Acf.Tests.Modules.Router;

/// <summary>
/// The demo tree with the real modules for the router modules (dnsmasq, chrony, openssh), where their validators
/// really run as the demo host runs them; and what a browser posts back for a form: every field as shown, then the
/// changes.
/// </summary>
public static class RouterHost
{
    public static readonly List<List<string>> Validators =
        [["dnsmasq", "--test", "-C"], ["sshd", "-t", "-f"], ["chronyd", "-p", "-f"]];

    public static ModuleTestHost Create() =>
        ModuleTestHost.Demo(new SystemOptions { Mode = "demo", DemoReadOnlyCommands = Validators });

    public static async Task<CfeNode> RunAsync(ModuleTestHost host, string module, string controller, string action,
        ModuleInput? input = null, AcfPrincipal? user = null)
    {
        var result = await host.RunAsync(user ?? ModuleTestHost.Admin, module, controller, action, input);
        Assert.True(result.Status == RunStatus.Ok, result.Error);
        return result.Entity!;
    }

    /// <summary>Opens the controller's edit form and saves it back as the browser would, with <paramref name="changes"/>.</summary>
    public static async Task<CfeNode> SaveAsync(ModuleTestHost host, string module, string controller,
        params (string Name, string Value)[] changes)
    {
        var form = await RunAsync(host, module, controller, "edit");
        return await RunAsync(host, module, controller, "edit", Post(form, "Save", changes));
    }

    /// <summary>On a fresh host: the result of saving the controller's edit form with <paramref name="changes"/>, and
    /// <paramref name="file"/> before and after.</summary>
    public static async Task<(CfeNode Result, string Before, string After)> SaveOnFreshHostAsync(string module,
        string controller, string file, params (string Name, string Value)[] changes)
    {
        using var host = Create();
        var before = host.ReadRootFile(file);
        var result = await SaveAsync(host, module, controller, changes);
        return (result, before, host.ReadRootFile(file));
    }

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

    public static string Errors(CfeNode form) =>
        string.Join(" | ", new[] { form.Errtxt }.Concat(Descendants(form).Select(c => c.Errtxt)).Where(e => e is not null));

    private static IEnumerable<CfeNode> Descendants(CfeNode node) => node.Children.SelectMany(c => Descendants(c).Prepend(c));

    /// <summary>The corpus files of a module laid at one path on the box: (variant, bytes).</summary>
    public static IEnumerable<object[]> Corpus(string module, string path) =>
        Directory.EnumerateFiles(ModuleTestHost.CorpusPath(module, path))
            .Order().Select(f => new object[] { Path.GetFileName(f) });

    public static byte[] CorpusBytes(string module, string path, string variant) =>
        File.ReadAllBytes(ModuleTestHost.CorpusPath(module, path, variant));

    /// <summary>Lays a corpus file of the module at its path on the host's box; answers its bytes.</summary>
    public static byte[] LayCorpusFile(ModuleTestHost host, string module, string path, string variant)
    {
        var bytes = CorpusBytes(module, path, variant);
        File.WriteAllBytes(host.RootPath(path), bytes);
        return bytes;
    }
}
