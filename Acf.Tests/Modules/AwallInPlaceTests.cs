namespace Acf.Tests.Modules;

/// <summary>
/// awall policies edited in place (issue 14 item 5): an unchanged Apply writes and runs nothing, whoever wrote the
/// file and however it is laid out; an edit changes only the members it touches.
/// </summary>
public class AwallInPlaceTests
{
    private static readonly string Corpus = ModuleTestHost.CorpusPath("awall");

    /// <summary>Every awall corpus file: its path on the box and its variant.</summary>
    public static TheoryData<string, string> CorpusFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.GetFiles(Corpus, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(Corpus, file).Replace('\\', '/');
            if (relative == "SOURCES.md") continue;
            data.Add("/" + Path.GetDirectoryName(relative)!.Replace('\\', '/'), Path.GetFileName(file));
        }
        return data;
    }

    private static string PolicyName(string path) => Path.GetFileNameWithoutExtension(path);

    private static ModuleTestHost HostWith(string path, string variant)
    {
        var host = ModuleTestHost.Demo();
        File.Copy(Path.Combine(Corpus, path.TrimStart('/'), variant), host.RootPath(path), overwrite: true);
        return host;
    }

    private static bool Touched(ModuleTestHost host, string path) =>
        host.Audit.ReadAll().Any(e => e.Target == path || e.Target.StartsWith("awall", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public async Task Edit_UnchangedApplyOfARealPolicy_SameBytesNothingWrittenNothingRun(string path, string variant)
    {
        using var host = HostWith(path, variant);
        var before = host.Keep(path);

        var result = await AwallPolicyTests.Edit(host, PolicyName(path));

        before.AssertUnchanged();
        Assert.False(Touched(host, path), "an unchanged Apply wrote or ran something");
        Assert.Null(host.Guard.Pending);
        if (variant != "awall-repo-sample-policy") Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
    }

    [Fact]
    public async Task Edit_UnchangedApplyOfTheDemoWebServer_Keeps683Bytes()
    {
        using var host = ModuleTestHost.Demo();
        const string path = "/etc/awall/optional/web-server.json";

        var result = await AwallPolicyTests.Edit(host, "web-server");

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        Assert.Equal(683, File.ReadAllBytes(host.RootPath(path)).Length);
        Assert.False(Touched(host, path));
    }

    [Fact]
    public async Task Edit_NewVariableInATabIndentedFile_OnlyThatMemberIsAddedInTheFilesStyle()
    {
        const string path = "/etc/awall/optional/variable-override.json";
        using var host = HostWith(path, "awall-repo-test-variable-override-tabs");
        var before = host.ReadRootFile(path);
        var form = (await host.RunAsync(AwallPolicyTests.FromLan, "awall", "policy", "edit",
            AwallPolicyTests.Query("variable-override"))).Entity!;
        var variables = string.Join("\n", form.Find("variable")!.Items) + "\nwan_if=eth0";

        var result = await AwallPolicyTests.Edit(host, "variable-override", ("variable", variables));

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        var expected = before.Replace("\"quuuux\": \"1$quuux p.m.\"\n", "\"quuuux\": \"1$quuux p.m.\",\n\t\"wan_if\": \"eth0\"\n");
        Assert.NotEqual(before, expected);
        Assert.Equal(expected, host.ReadRootFile(path));
    }

    [Fact]
    public async Task Edit_RemoveOneForwardOfAMultiLineFile_OthersKeepTheirLayout()
    {
        using var host = ModuleTestHost.Demo();
        const string path = "/etc/awall/optional/web-server.json";
        var before = host.ReadRootFile(path);

        var result = await AwallPolicyTests.Edit(host, "web-server", ("dnat", "in=WAN service=web-admin to-addr=192.168.1.10 to-port=8443"));

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        var first = "        {\n            \"in\": \"WAN\",\n            \"service\": \"http\",\n            \"to-addr\": \"192.168.1.10\"\n        },";
        Assert.Contains(first, before);
        Assert.Equal(before.Replace(first, "").Replace("\"dnat\": [\n\n", "\"dnat\": [\n"), host.ReadRootFile(path));
    }
}
