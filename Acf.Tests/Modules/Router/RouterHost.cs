using static Acf.Tests.Modules.FormPost;

namespace Acf.Tests.Modules.Router;

/// <summary>
/// The demo tree with the real modules for the router modules (dnsmasq, chrony, openssh), where their validators
/// really run as the demo host runs them (what a browser posts back for a form is <see cref="FormPost"/>).
/// </summary>
public static class RouterHost
{
    public static readonly List<List<string>> Validators =
        [["dnsmasq", "--test", "-C"], ["sshd", "-t", "-f"], ["chronyd", "-p", "-f"]];

    public static ModuleTestHost Create() =>
        ModuleTestHost.Demo(new SystemOptions { Mode = "demo", DemoReadOnlyCommands = Validators });

    public static Task<CfeNode> RunAsync(ModuleTestHost host, string module, string controller, string action,
        ModuleInput? input = null, AcfPrincipal? user = null) =>
        host.RunOkAsync(user ?? ModuleTestHost.Admin, module, controller, action, input);

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
