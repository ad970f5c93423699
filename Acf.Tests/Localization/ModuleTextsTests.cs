using Acf.Web.Localization;

namespace Acf.Tests.Localization;

public class ModuleTextsTests
{
    private static readonly TextCatalog German = new(new Dictionary<string, string>
    {
        ["Hostname"] = "Rechnername",
        ["Save"] = "Speichern",
        ["yes"] = "ja",
        ["Interface"] = "Schnittstelle",
        ["Stop sshd?"] = "sshd anhalten?",
    });

    [Fact]
    public void Translate_Form_ChangesWhatIsShownAndKeepsWhatIsSubmitted()
    {
        var form = new CfeNode
        {
            Type = CfeTypes.Form,
            Label = "Hostname",
            Options = [new CfeOption("Save", "Save", Confirm: "Stop sshd?")],
            Children =
            [
                new CfeNode { Type = CfeTypes.Text, Name = "Hostname", Label = "Hostname", Text = "Hostname" },
                new CfeNode { Type = CfeTypes.Select, Name = "choice", Label = "Unknown label", Text = "yes", Options = [new CfeOption("yes", "")] },
            ],
        };

        var shown = ModuleTexts.Translate(German, form);

        Assert.Equal("Rechnername", shown.Label);
        Assert.Equal(new CfeOption("Save", "Speichern", Confirm: "sshd anhalten?"), shown.Options[0]);
        Assert.Equal(("Hostname", "Rechnername", "Hostname"), (shown.Children[0].Name, shown.Children[0].Label, shown.Children[0].Text));
        Assert.Equal("Unknown label", shown.Children[1].Label);
        Assert.Equal(("yes", "yes", "ja"), (shown.Children[1].Text, shown.Children[1].Options[0].Value, shown.Children[1].Options[0].Label));
    }

    [Fact]
    public void Translate_Structure_RenamesTheColumnInEveryRowKeepingCellsAndLinks()
    {
        var table = new CfeNode
        {
            Type = CfeTypes.Structure,
            Columns = ["Interface", "mtu"],
            Rows = [new Dictionary<string, string> { ["Interface"] = "eth0", ["Interface@href"] = "/x?name=eth0", ["mtu"] = "1500" }],
        };

        var shown = ModuleTexts.Translate(German, table);

        Assert.Equal(new[] { "Schnittstelle", "mtu" }, shown.Columns);
        Assert.Equal("eth0", shown.Rows[0]["Schnittstelle"]);
        Assert.Equal("/x?name=eth0", shown.Rows[0]["Schnittstelle@href"]);
        Assert.Equal("1500", shown.Rows[0]["mtu"]);
    }

    [Fact]
    public void Translate_EmptyCatalog_ReturnsTheSameEntity()
    {
        var node = new CfeNode { Type = CfeTypes.Text, Label = "Hostname" };

        Assert.Same(node, ModuleTexts.Translate(TextCatalog.Empty, node));
    }
}

public class TextCatalogTests
{
    private static readonly TextCatalog French = new(new Dictionary<string, string>
    {
        ["Restart {0}? Its clients are cut off."] = "Redémarrer {0} ? Ses clients sont coupés.",
        ["Interface {0} ({1})"] = "Interface {0} ({1})",
        ["No stanza {0} ({1}) in {2}."] = "Aucune strophe {0} ({1}) dans {2}.",
        ["Package {0}"] = "Paquet {0}",
        ["Package names separated by spaces"] = "Noms de paquets séparés par des espaces",
    });

    [Theory]
    [InlineData("Restart squid? Its clients are cut off.", "Redémarrer squid ? Ses clients sont coupés.")]
    [InlineData("No stanza  (inet) in /etc/network/interfaces.", "Aucune strophe  (inet) dans /etc/network/interfaces.")]
    [InlineData("Package busybox", "Paquet busybox")]
    [InlineData("Package names separated by spaces", "Noms de paquets séparés par des espaces")]
    public void Find_TemplateKey_PutsTheDataIntoTheTranslation(string english, string expected)
    {
        Assert.Equal(expected, French.Find(english));
    }

    [Theory]
    [InlineData("Restart squid?")]
    [InlineData("Stop squid? Its clients are cut off.")]
    public void Find_TextTheTemplateDoesNotCover_Null(string english)
    {
        Assert.Null(French.Find(english));
    }
}
