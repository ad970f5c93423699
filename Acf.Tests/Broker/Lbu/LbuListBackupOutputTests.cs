namespace Acf.Tests.Broker.Lbu;

/// <summary><c>lbu list-backup</c> output read from fixtures: names, and the usage text lbu prints without media.</summary>
public sealed class LbuListBackupOutputTests
{
    [Fact]
    public void Parse_Fixture_NamesOldestFirst()
    {
        var text = File.ReadAllText(LbuTestRoot.Fixture("lbu-list-backup.txt"));

        var names = LbuListBackupOutput.Parse(text);

        Assert.Equal(["alpine.20240315093012.tar.gz", "alpine.20240402171544.tar.gz", "alpine.20240511080301.tar.gz.aes-256-cbc"], names);
    }

    [Fact]
    public void Parse_UsageText_NoNames()
    {
        var text = File.ReadAllText(LbuTestRoot.Fixture("lbu-list-backup-usage.txt"));

        var names = LbuListBackupOutput.Parse(text);

        Assert.Empty(names);
    }
}
