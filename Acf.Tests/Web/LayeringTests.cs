using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.CompilerServices;

namespace Acf.Tests.Web;

/// <summary>
/// The layering of issue 16 item 7, the compiler's: pages and the API reach the machine only through the runner
/// (<see cref="ModuleRunner"/>, <see cref="HostActions"/>), never the broker or the runner's own parts. Those parts
/// are internal to Acf.Broker and Acf.Modules, whose friends (InternalsVisibleTo) are each other and the tests, not
/// Acf.Web; so a page that names one does not compile. These tests keep that true: the parts below are not public,
/// Acf.Web is no friend, its compiled assembly references none of them, and its sources do not name them in a string
/// (reflection by name, the one way round the compiler).
/// </summary>
public sealed partial class LayeringTests
{
    /// <summary>The broker and the parts behind it, which only the runner (Acf.Modules) may hold, and the runner's own
    /// parts (the worker processes, the broker's socket, confirm-or-rollback, the sandbox).</summary>
    private static readonly string[] Forbidden =
    [
        // Acf.Broker: the broker, its log, journal and tools.
        "ISystemBroker", "SystemBroker", "DemoSystemBroker", "AlpineSystemBroker", "AuditLog", "CommandRunner",
        "SystemTools", "ValidatorSandbox", "IntentJournal", "DurableFile", "BrokerRecovery", "IServiceManager",
        "IPackageManager", "ILbu", "AlpineLbu", "DemoLbu", "AlpineApkManager", "DemoApkManager", "AlpineServiceManager",
        "DemoServiceManager",
        // Acf.Modules: the runner's parts.
        "BrokerServer", "BrokerClient", "BrokerChild", "BrokerDispatch", "JournalingBroker", "ChangeJournal",
        "ApplyGuard", "PendingChange", "JournalFile", "ModuleWorkerPool", "ModuleWorker", "WorkerProcess",
        "WorkerConversation", "ParentWatch", "LuaSandbox", "ActionAdmission", "IActionExecutor",
        "LbuAutoCommit", "SavesInProgress",
    ];

    private static readonly Assembly[] Inner = [typeof(SystemHost).Assembly, typeof(ModuleRunner).Assembly];

    private static Assembly Web => typeof(Program).Assembly;

    private static string WebRoot => Path.Combine(ModuleTestHost.RepositoryRoot, "Acf.Web");

    [Fact]
    public void ForbiddenParts_AreNotPublic()
    {
        var types = Inner.SelectMany(a => a.GetTypes()).ToLookup(t => t.Name);

        // A name that no longer exists leaves the list (renamed parts are listed under their new name).
        Assert.DoesNotContain(Forbidden, name => !types.Contains(name));
        var visible = Forbidden.SelectMany(name => types[name]).Where(t => t.IsVisible).Select(t => t.FullName).ToList();
        Assert.True(visible.Count == 0, "Reachable from Acf.Web (make them internal): " + string.Join(", ", visible));
    }

    [Fact]
    public void AcfWeb_IsNoFriendOfTheBrokerOrTheRunner()
    {
        var friends = Inner.SelectMany(a => a.GetCustomAttributes<InternalsVisibleToAttribute>()
            .Select(f => $"{a.GetName().Name} -> {f.AssemblyName}")).ToList();

        Assert.DoesNotContain(friends, f => f.EndsWith("-> " + Web.GetName().Name, StringComparison.Ordinal));
        Assert.Contains("Acf.Broker -> Acf.Modules", friends); // the runner holds the broker: the list is read right
    }

    [Fact]
    public void AcfWeb_CompiledAssembly_ReferencesNoForbiddenPart()
    {
        var referenced = ReferencedTypes(Web.Location);

        var forbidden = referenced.Where(t => Inner.Any(a => a.GetName().Name == t.Assembly) && Forbidden.Contains(t.Name))
            .Select(t => $"{t.Namespace}.{t.Name}").ToList();
        Assert.True(forbidden.Count == 0, "Acf.Web references the broker's or the runner's parts (go through ModuleRunner or "
            + "HostActions): " + string.Join(", ", forbidden));
        // The reader sees what Acf.Web does use from the runner, so an empty answer above is no blind one.
        Assert.Contains(referenced, t => t is { Assembly: "Acf.Modules", Name: nameof(ModuleRunner) });
    }

    [Fact]
    public void ReferencedTypes_AnAssemblyNamingTheBroker_IsFound()
    {
        // The reader itself, on the tests' own assembly, which is a friend and names the broker.
        var referenced = ReferencedTypes(typeof(LayeringTests).Assembly.Location);

        Assert.Contains(referenced, t => t is { Assembly: "Acf.Broker", Namespace: "Acf.Broker", Name: "ISystemBroker" });
    }

    [Fact]
    public void AcfWeb_Sources_NameNoForbiddenPart()
    {
        // What the compiler cannot see: a name in a string, for reflection (Type.GetType, a service looked up by name).
        var named = Directory.EnumerateFiles(WebRoot, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(WebRoot, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("bin/", StringComparison.Ordinal) && !f.StartsWith("obj/", StringComparison.Ordinal))
            .SelectMany(f => Names(File.ReadAllText(Path.Combine(WebRoot, f))).Select(name => $"{f} names {name}"))
            .ToList();

        Assert.True(named.Count == 0, "Acf.Web names the broker's parts: " + string.Join(", ", named));
    }

    [Fact]
    public void Names_APageLookingTheBrokerUpByName_IsFoundButNotInAComment()
    {
        const string Page = """
            @page "/sneaky"
            @* the ISystemBroker is not used here *@
            @inject IServiceProvider Services
            @code {
                // AuditLog mentioned in a comment
                /* ApplyGuard too */
                private object? Broker => Services.GetService(Type.GetType("Acf.Broker.ISystemBroker, Acf.Broker")!);
                private string Hash(byte[] b) => FileTags.Sha256(b);
            }
            """;

        Assert.Equal(["ISystemBroker"], Names(Page));
    }

    /// <summary>Every type an assembly's metadata references in another assembly: what its code, signatures and
    /// attributes name, as the compiler wrote it.</summary>
    private static List<(string Assembly, string Namespace, string Name)> ReferencedTypes(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var found = new List<(string, string, string)>();
        foreach (var handle in metadata.TypeReferences)
        {
            var type = metadata.GetTypeReference(handle);
            var outer = type;
            while (outer.ResolutionScope.Kind == HandleKind.TypeReference)
                outer = metadata.GetTypeReference((TypeReferenceHandle)outer.ResolutionScope); // a nested type: its outermost
            if (outer.ResolutionScope.Kind != HandleKind.AssemblyReference) continue;
            var assembly = metadata.GetAssemblyReference((AssemblyReferenceHandle)outer.ResolutionScope);
            var name = metadata.GetString(type.Name);
            var tick = name.IndexOf('`', StringComparison.Ordinal); // HostFile`1
            found.Add((metadata.GetString(assembly.Name), metadata.GetString(outer.Namespace), tick < 0 ? name : name[..tick]));
        }
        return found;
    }

    /// <summary>The forbidden names a source names as whole words, comments left out.</summary>
    private static List<string> Names(string source)
    {
        var code = Comments().Replace(source, " ");
        return Forbidden.Where(name => Regex.IsMatch(code, $@"\b{name}\b")).ToList();
    }

    [GeneratedRegex(@"@\*.*?\*@|/\*.*?\*/|//[^\n]*|<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex Comments();
}
