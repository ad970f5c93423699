namespace Acf.Tests.Lossless;

/// <summary>
/// Discovers the property test's cases from the repository: every module (a folder with manifest.json), every action
/// its manifest grants, and every corpus file (<c>modules-lua/*/corpus/&lt;path on the box&gt;/&lt;variant&gt;</c>) at a path
/// the module may write and its action edits. An action edits a path when the path's literal stands in its controller
/// or a library it requires (the module's own lib/ first, then the shared one), or, for actions that find their files
/// by name (awall policies), when a rule below says so.
/// </summary>
internal static partial class LosslessCorpus
{
    public sealed record CorpusFile(string BoxPath, string Variant, string HostPath);

    private static string ModulesRoot => Path.Combine(Acf.Tests.Modules.ModuleTestHost.RepositoryRoot, "modules-lua");

    /// <summary>Every corpus file of every folder (corpus-only folders included: any module may edit their paths).</summary>
    public static IReadOnlyList<CorpusFile> Files { get; } = FindFiles();

    /// <summary>Actions that find their file by a name in the input rather than a literal path.</summary>
    private static readonly Dictionary<string, Func<string, bool>> EditsByRule = new(StringComparer.Ordinal)
    {
        ["awall/policy/edit"] = path => path.StartsWith("/etc/awall/", StringComparison.Ordinal) && path.EndsWith(".json", StringComparison.Ordinal),
        ["wireguard/interfaces/edit"] = IsWireguardConf,
        ["wireguard/peers/edit"] = IsWireguardConf,
    };

    /// <summary>(module, controller/action, path on the box, variant) for every case.</summary>
    public static IEnumerable<(string Module, string Action, CorpusFile File)> Cases()
    {
        foreach (var manifestPath in Directory.GetFiles(ModulesRoot, "manifest.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var folder = Path.GetDirectoryName(manifestPath)!;
            if (Path.GetDirectoryName(folder) != ModulesRoot || !Acf.Broker.Catalog.ModuleCatalog.IsModuleFolder(folder)) continue;
            var module = Path.GetFileName(folder);
            using var manifest = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
            var writes = Strings(manifest.RootElement, "capabilities", "write");
            var actions = manifest.RootElement.GetProperty("roles").EnumerateObject()
                .SelectMany(role => role.Value.EnumerateArray().Select(a => a.GetString()!))
                .Distinct().Order(StringComparer.Ordinal);
            foreach (var action in actions)
            {
                var source = SourceOf(folder, action.Split('/')[0]);
                foreach (var file in Files.Where(f => MayWrite(writes, f.BoxPath)))
                {
                    var byRule = EditsByRule.TryGetValue($"{module}/{action}", out var rule) && rule(file.BoxPath);
                    if (byRule || source.Contains($"\"{file.BoxPath}\"", StringComparison.Ordinal)) yield return (module, action, file);
                }
            }
        }
    }

    internal static bool IsWireguardConf(string path) =>
        path.StartsWith("/etc/wireguard/", StringComparison.Ordinal) && path.EndsWith(".conf", StringComparison.Ordinal);

    private static bool MayWrite(IEnumerable<string> writes, string path) =>
        writes.Any(w => w == path || (w.EndsWith('/') && path.StartsWith(w, StringComparison.Ordinal)));

    private static List<string> Strings(JsonElement root, string member, string inner) =>
        root.TryGetProperty(member, out var caps) && caps.TryGetProperty(inner, out var list)
            ? list.EnumerateArray().Select(e => e.GetString()!).ToList()
            : [];

    /// <summary>The controller's text and the text of every library it requires, transitively.</summary>
    private static string SourceOf(string moduleFolder, string controller)
    {
        var controllerPath = Path.Combine(moduleFolder, controller + ".lua");
        if (!File.Exists(controllerPath)) return "";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([File.ReadAllText(controllerPath)]);
        var all = new System.Text.StringBuilder();
        while (pending.TryPop(out var text))
        {
            all.Append(text);
            foreach (Match require in RequirePattern().Matches(text))
            {
                var name = require.Groups[1].Value;
                if (!seen.Add(name)) continue;
                var library = new[] { Path.Combine(moduleFolder, "lib", name + ".lua"), Path.Combine(ModulesRoot, "lib", name + ".lua") }
                    .FirstOrDefault(File.Exists);
                if (library is not null) pending.Push(File.ReadAllText(library));
            }
        }
        return all.ToString();
    }

    private static List<CorpusFile> FindFiles()
    {
        var files = new List<CorpusFile>();
        foreach (var corpus in Directory.GetDirectories(ModulesRoot).Select(m => Path.Combine(m, "corpus")).Where(Directory.Exists))
            foreach (var file in Directory.GetFiles(corpus, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(corpus, file);
                if (!relative.Contains('/')) continue; // SOURCES.md
                files.Add(new CorpusFile("/" + Path.GetDirectoryName(relative)!, Path.GetFileName(relative), file));
            }
        return files;
    }

    [GeneratedRegex(@"require\(""(\w+)""\)")]
    private static partial Regex RequirePattern();
}
