namespace Acf.Tests.Broker.Lbu;

/// <summary>lbu.conf read as the shell assigns it: the stock file, quotes, comments, variables.</summary>
public sealed class LbuConfFileTests
{
    [Fact]
    public void Parse_StockLbuConf_OnlyTheDefaultCipher()
    {
        var text = File.ReadAllText(LbuTestRoot.Fixture("lbu.conf"));

        var config = LbuConfFile.Parse(text).ToConfig();

        Assert.Equal(new LbuConfig("", "", null, false, "aes-256-cbc"), config);
    }

    [Fact]
    public void Parse_DemoLbuConf_BackupDirAndLimit()
    {
        var text = File.ReadAllText(Path.Combine(ModuleTestHost.RepositoryRoot, "demo", "etc", "lbu", "lbu.conf"));

        var config = LbuConfFile.Parse(text).ToConfig();

        Assert.Equal(new LbuConfig("", "/var/lib/lbu", 3, false, "aes-256-cbc"), config);
    }

    [Fact]
    public void Parse_QuotesCommentsExportAndVariables_ShellValues()
    {
        const string text = """
            # a comment
              LBU_MEDIA="usb"
            export LBU_BACKUPDIR='/var/lib/my backups'   # trailing comment
            DEFAULT_CIPHER=aes-128-cbc
            ENCRYPTION=${DEFAULT_CIPHER}
            BACKUP_LIMIT=5 # keep five
            PASSWORD="pa\$\$ \"word\""
            echo not an assignment
            """;

        var settings = LbuConfFile.Parse(text);

        Assert.Equal(new LbuConfig("usb", "/var/lib/my backups", 5, true, "aes-128-cbc"), settings.ToConfig());
        Assert.Equal("pa$$ \"word\"", settings.Password);
    }

    [Theory]
    [InlineData("BACKUP_LIMIT=three")]
    [InlineData("BACKUP_LIMIT=-1")]
    [InlineData("# BACKUP_LIMIT=3")]
    public void Parse_BackupLimitNotANumber_Null(string line)
    {
        var settings = LbuConfFile.Parse(line + "\n");

        Assert.Null(settings.BackupLimit);
    }

    [Fact]
    public void Parse_EncryptionFromDefaultCipher_ExpandsLbuDefault()
    {
        var settings = LbuConfFile.Parse("ENCRYPTION=$DEFAULT_CIPHER\n");

        Assert.Equal("aes-256-cbc", settings.Encryption);
    }

    [Fact]
    public void Parse_UnclosedQuote_LineIgnored()
    {
        var settings = LbuConfFile.Parse("LBU_MEDIA=\"usb\n");

        Assert.Equal("", settings.Media);
    }
}
