namespace Acf.Tests.Modules;

/// <summary>
/// Files a module's C# tests read (parser inputs, whole config files, expected results), kept beside the module in
/// <c>modules-lua/&lt;module&gt;/fixtures/_parser/&lt;area&gt;/</c> (a folder without case.json is not a fixture case).
/// The one reader of them, and of a lossless model's edit cases.
/// </summary>
public sealed class ModuleFixtureFiles(string module, string area = "")
{
    public string Folder { get; } = Path.Combine(ModuleTestHost.RepositoryRoot, "modules-lua", module, "fixtures", "_parser", area);

    public string PathOf(string name) => Path.Combine(Folder, name);

    public byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    public string Text(string name) => File.ReadAllText(PathOf(name));

    /// <summary>The edit cases of a lossless model: every <c>edits/NAME.lua</c>, by NAME.</summary>
    public TheoryData<string> EditCases() => NamesIn(PathOf("edits"), "*.lua");

    /// <summary>The cases of a theory that finds them as files: the names, without extension and in ordinal order, of
    /// the files in <paramref name="folder"/> that match <paramref name="pattern"/>.</summary>
    public static TheoryData<string> NamesIn(string folder, string pattern) =>
        new(Directory.GetFiles(folder, pattern).Order(StringComparer.Ordinal).Select(Path.GetFileNameWithoutExtension)!);

    /// <summary>
    /// Runs the edit case NAME: <c>edits/NAME.lua</c> on the bytes of <c>edits/NAME.before</c> (plus
    /// <paramref name="suffix"/>) must give the bytes of <c>edits/NAME.after</c>; the text is compared first for a
    /// readable failure. <paramref name="edit"/> runs the code on the bytes and answers the bytes the model wrote.
    /// </summary>
    public async Task AssertEditAsync(string name, Func<byte[], string, Task<byte[]>> edit, string suffix = "")
    {
        var output = await edit(Bytes($"edits/{name}.before{suffix}"), Text($"edits/{name}.lua"));

        var expected = Bytes($"edits/{name}.after{suffix}");
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(output));
        Assert.Equal(expected, output);
    }
}
