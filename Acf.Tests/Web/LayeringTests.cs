using System.Text.RegularExpressions;
using Acf.Tests.Modules;

namespace Acf.Tests.Web;

/// <summary>
/// The layering of issue 16 item 7: pages and the API reach the machine only through the runner, never the broker's
/// internals. The compiler cannot say so yet (Acf.Web references Acf.Broker for its records), so this test reads
/// Acf.Web's sources: any name below in a file outside the composition root fails it, unless the file is in the
/// list of what is still to move (docs/architecture.md, the plan); that list may only shrink.
/// </summary>
public sealed partial class LayeringTests
{
    /// <summary>The broker and the parts behind it, which only the runner (Acf.Modules) may hold.</summary>
    private static readonly string[] Forbidden =
    [
        "ISystemBroker", "SystemBroker", "DemoSystemBroker", "AlpineSystemBroker", "AuditLog", "CommandRunner",
        "SystemTools", "ValidatorSandbox", "IntentJournal", "DurableFile", "BrokerServer", "BrokerClient",
        "BrokerDispatch", "JournalingBroker", "ApplyGuard", "ModuleWorkerPool", "LuaSandbox",
    ];

    /// <summary>Where the parts are wired together: the only files that may name them for good.</summary>
    private static readonly string[] CompositionRoot = ["Program.cs", "AcfWebExtensions.cs", "Hosting/BrokerMode.cs"];

    /// <summary>Files allowed to name a broker part for now. Empty since 2026-12-06: the pages, the API and the auth
    /// stores reach the machine through Acf.Modules (ModuleRunner, HostActions); keep it empty.</summary>
    private static readonly (string File, string Name)[] StillToMove = [];

    private static string WebRoot => Path.Combine(ModuleTestHost.RepositoryRoot, "Acf.Web");

    [Fact]
    public void AcfWeb_NamesNoBrokerPartBeyondWhatIsStillToMove()
    {
        var unexpected = ScanWeb().Except(StillToMove).ToList();

        Assert.True(unexpected.Count == 0, "Acf.Web reaches the broker's parts directly (go through ModuleRunner): "
            + string.Join(", ", unexpected.Select(u => $"{u.File} names {u.Name}")));
    }

    [Fact]
    public void StillToMove_ListsOnlyWhatIsStillThere()
    {
        // A reference that was moved behind the runner leaves the list, so that it cannot come back unnoticed.
        var gone = StillToMove.Except(ScanWeb()).ToList();

        Assert.True(gone.Count == 0, "No longer in Acf.Web, remove from StillToMove: "
            + string.Join(", ", gone.Select(g => $"{g.File} {g.Name}")));
    }

    [Fact]
    public void Names_APageInjectingTheBroker_IsFoundButNotInAComment()
    {
        // The scanner itself: a page that injects the broker is caught; the same name in a comment is not.
        const string Page = """
            @page "/sneaky"
            @* the ISystemBroker is not used here *@
            @inject Acf.Broker.ISystemBroker Broker
            @code {
                // AuditLog mentioned in a comment
                /* ApplyGuard too */
                private string Hash(byte[] b) => FileTags.Sha256(b);
            }
            """;

        Assert.Equal(["ISystemBroker"], Names(Page));
    }

    private static List<(string File, string Name)> ScanWeb() =>
        Directory.EnumerateFiles(WebRoot, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(WebRoot, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("bin/", StringComparison.Ordinal) && !f.StartsWith("obj/", StringComparison.Ordinal))
            .Where(f => !CompositionRoot.Contains(f))
            .SelectMany(f => Names(File.ReadAllText(Path.Combine(WebRoot, f))).Select(name => (f, name)))
            .ToList();

    /// <summary>The forbidden names a source names as whole words, comments left out.</summary>
    private static List<string> Names(string source)
    {
        var code = Comments().Replace(source, " ");
        return Forbidden.Where(name => Regex.IsMatch(code, $@"\b{name}\b")).ToList();
    }

    [GeneratedRegex(@"@\*.*?\*@|/\*.*?\*/|//[^\n]*|<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex Comments();
}
