using Acf.Web.Components.Renderer;
using Acf.Web.Components.Renderer.Fields;
using Bunit;

namespace Acf.Tests.Components;

/// <summary>The renderer's one table of CFE types (issue 13) and what it costs a page (issue 19).</summary>
public class CfeFieldsTests
{
    private static Dictionary<string, string> Row(string name, string value) => new() { ["name"] = name, ["value"] = value };

    /// <summary>One field of every type, the group holding one more: 18 fields.</summary>
    private static CfeNode[] OneOfEachType() =>
    [
        new() { Type = CfeTypes.Text, Name = "t", Label = "T", Text = "x", Seq = 1 },
        new() { Type = CfeTypes.Longtext, Name = "lt", Text = "x\ny", Seq = 2 },
        new() { Type = CfeTypes.Password, Name = "pw", Seq = 3 },
        new() { Type = CfeTypes.Hidden, Name = "h", Text = "tag", Seq = 4 },
        new() { Type = CfeTypes.Select, Name = "s", Text = "a", Options = [new("a", "A"), new("b", "B")], Seq = 5 },
        new() { Type = CfeTypes.Multi, Name = "m", Items = ["a"], Options = [new("a", "A"), new("b", "B")], Seq = 6 },
        new() { Type = CfeTypes.Boolean, Name = "b", Checked = true, Seq = 7 },
        new() { Type = CfeTypes.List, Name = "l", Items = ["a", "b"], Seq = 8 },
        new() { Type = CfeTypes.Integer, Name = "i", Text = "3", Min = 1, Max = 9, Seq = 9 },
        new() { Type = CfeTypes.Group, Name = "g", Label = "G", Seq = 10, Children = [new() { Type = CfeTypes.Text, Name = "gt", Text = "y" }] },
        new() { Type = CfeTypes.Link, Name = "k", Text = "/x", Seq = 11 },
        new() { Type = CfeTypes.Structure, Name = "st", Columns = ["name", "value"], Rows = [Row("a", "1")], Seq = 12 },
        new() { Type = CfeTypes.Raw, Name = "r", Text = "raw", Seq = 13 },
        new() { Type = CfeTypes.File, Name = "f", Seq = 14 },
        new() { Type = CfeTypes.Chart, Name = "c", Columns = ["name", "value"], Rows = [Row("a", "1")], Seq = 15 },
        new() { Type = CfeTypes.Records, Name = "rc", Children = [new() { Type = CfeTypes.Text, Name = "name" }], Rows = [Row("a", "1")], Seq = 16 },
        new() { Type = CfeTypes.QrCode, Name = "q", Text = "hello", Seq = 17 },
    ];

    [Fact]
    public void Types_EveryCfeType_HasItsRowAndNoOther()
    {
        var rows = CfeFields.Types;

        Assert.Equal(CfeTypes.All.Order(StringComparer.Ordinal), rows.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Of_UnknownType_IsKeptAndDrawnAsText()
    {
        var unknown = CfeFields.Of("colour");

        Assert.Equal(CfeFields.Of(CfeTypes.Text), unknown);
    }

    /// <summary>Issue 19: every component costs each open tab memory. A field is one component, opened by its parent
    /// (no wrapper choosing it): before the table, each field was a CfeField and a structure, chart, records or qrcode
    /// another component inside it.</summary>
    [Fact]
    public async Task Draw_FormWithOneFieldOfEachType_IsOneComponentPerField()
    {
        await using var ctx = RendererContext.New();
        var form = new CfeNode { Type = CfeTypes.Form, Label = "E", Options = [new CfeOption("Save", "Save")], Children = OneOfEachType() };

        var cut = ctx.Render<CfeView>(p => p.Add(x => x.Entity, form));

        var fields = cut.FindComponents<CfeFieldBase>();
        Assert.Equal(18, fields.Count);
        Assert.Equal(18, fields.Select(f => f.Instance.Node).Distinct().Count());
    }

    /// <summary>An entity that is not a form shows values; its hidden field is not drawn at all.</summary>
    [Fact]
    public async Task Draw_EntityWithOneFieldOfEachType_IsOneComponentPerShownField()
    {
        await using var ctx = RendererContext.New();
        var entity = new CfeNode { Type = CfeTypes.Group, Label = "E", Children = OneOfEachType() };

        var cut = ctx.Render<CfeView>(p => p.Add(x => x.Entity, entity));

        var fields = cut.FindComponents<CfeFieldBase>();
        Assert.Equal(18, fields.Count); // the entity, 17 fields less the hidden one, the group's field
        Assert.DoesNotContain(fields, f => f.Instance.Node.Type == CfeTypes.Hidden);
        Assert.Empty(cut.FindAll("#cfe-h"));
    }
}
