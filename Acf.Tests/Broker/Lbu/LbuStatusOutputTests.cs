namespace Acf.Tests.Broker.Lbu;

/// <summary><c>lbu status</c> output read from a fixture in lbu's format.</summary>
public sealed class LbuStatusOutputTests
{
    [Fact]
    public void Parse_Fixture_EntriesSortedByPath()
    {
        var text = File.ReadAllText(LbuTestRoot.Fixture("lbu-status.txt"));

        var entries = LbuStatusOutput.Parse(text);

        Assert.Equal([
            new LbuStatusEntry(LbuChange.Added, "etc/apk/protected_paths.d/lbu.list"),
            new LbuStatusEntry(LbuChange.Updated, "etc/hostname"),
            new LbuStatusEntry(LbuChange.Deleted, "etc/motd"),
            new LbuStatusEntry(LbuChange.Updated, "etc/network/interfaces"),
            new LbuStatusEntry(LbuChange.Added, "etc/ssh/ssh_host_ed25519_key"),
            new LbuStatusEntry(LbuChange.Added, "root/.ssh"),
            new LbuStatusEntry(LbuChange.Added, "root/.ssh/authorized_keys")], entries);
    }

    [Fact]
    public void Parse_OtherLinesAndSpaces_NotesSkippedPathsKept()
    {
        const string text = "Note: Removing /etc/lbu/packages.list.\r\nA etc/with space.conf\r\nX etc/unknown\nU \n\n";

        var entries = LbuStatusOutput.Parse(text);

        Assert.Equal([new LbuStatusEntry(LbuChange.Added, "etc/with space.conf")], entries);
    }

    [Fact]
    public void Parse_Empty_NoEntries()
    {
        var entries = LbuStatusOutput.Parse("");

        Assert.Empty(entries);
    }
}
