namespace Acf.Tests.Broker.Lbu;

/// <summary><c>lbu list</c> (apk audit --backup --quiet) output read from a fixture.</summary>
public sealed class LbuListOutputTests
{
    [Fact]
    public void Parse_Fixture_FilesWithoutDirectoryLines()
    {
        var text = File.ReadAllText(LbuTestRoot.Fixture("lbu-list.txt"));

        var files = LbuListOutput.Parse(text);

        Assert.Equal(12, files.Count);
        Assert.Contains("etc/apk/keys/alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub", files);
        Assert.Contains("root/.ssh/authorized_keys", files);
        Assert.DoesNotContain("root/.ssh/", files);
        Assert.Equal(files.Order(StringComparer.Ordinal), files);
    }
}
