namespace Acf.Tests.House;

/// <summary>
/// No product file over 400 lines (issue 13): a file that grows past it does more than one job and is split along its
/// ideas. Product files are the code that ships or builds what ships: C#, Razor, Lua and the app's scripts and styles.
/// Tests, module fixtures and corpora (real config files) are not product code.
/// </summary>
public class ProductFileSizeTests
{
    private const int MaxLines = 400;

    /// <summary>Folders (from the repository root) and the endings of the product files under them.</summary>
    private static readonly (string Folder, string[] Endings)[] ProductFiles =
    [
        ("Acf.Broker", [".cs"]),
        ("Acf.Modules", [".cs", ".lua"]),
        ("Acf.Web", [".cs", ".razor", ".js", ".css"]),
        ("Acf.Bench", [".cs"]),
        ("modules-lua", [".lua"]),
        ("scripts", [".cs", ".sh"]),
    ];

    /// <summary>Folders that hold no product code wherever they are: test data, real config files, build output.</summary>
    private static readonly string[] NotProduct = ["fixtures", "corpus", "bin", "obj", "node_modules"];

    private static IEnumerable<string> ProductFilePaths()
    {
        var root = ModuleTestHost.RepositoryRoot;
        foreach (var (folder, endings) in ProductFiles)
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file);
                if (relative.Split(Path.DirectorySeparatorChar).Any(NotProduct.Contains)) continue;
                if (endings.Any(e => file.EndsWith(e, StringComparison.Ordinal))) yield return relative;
            }
    }

    [Fact]
    public void ProductFiles_AreFound()
    {
        // The globs still match the tree: a renamed folder must not make the size check pass by checking nothing.
        var files = ProductFilePaths().ToList();

        Assert.Contains(Path.Combine("Acf.Modules", "ModuleRunner.cs"), files);
        Assert.Contains(Path.Combine("Acf.Web", "Components", "Pages", "ModulePage.razor"), files);
        Assert.Contains(Path.Combine("modules-lua", "squid", "lib", "squidconf.lua"), files);
        Assert.Contains(Path.Combine("scripts", "make-demo-apkindex.cs"), files);
        Assert.DoesNotContain(files, f => f.Contains($"{Path.DirectorySeparatorChar}fixtures{Path.DirectorySeparatorChar}"));
    }

    [Fact]
    public void ProductFiles_HaveAtMost400Lines()
    {
        var root = ModuleTestHost.RepositoryRoot;

        var tooLong = ProductFilePaths()
            .Select(f => (File: f, Lines: File.ReadLines(Path.Combine(root, f)).Count()))
            .Where(f => f.Lines > MaxLines)
            .Select(f => $"{f.File}: {f.Lines} lines")
            .ToList();

        Assert.True(tooLong.Count == 0, $"Product files over {MaxLines} lines (split them along their ideas):\n"
            + string.Join('\n', tooLong));
    }
}
