using Acf.Modules;
using Acf.Modules.Cfe;

namespace Acf.Tests.Modules;

/// <summary>
/// <c>modules-lua/lib/cfe.lua</c>: handle_form's submit rules and cfe.fail, through a small test module whose form
/// has one field of each kind. <c>form/submit</c> returns the form with <c>descr</c> "handled" or "refused" (what
/// handle_form returned); <c>form/fail</c> applies the input, then fails the form on a nested field.
/// </summary>
public sealed class CfeLibTests : IDisposable
{
    private const string Manifest = """
        { "title": "CFE probe", "roles": { "GUEST": [ "form/submit", "form/fail", "form/fail_default" ] } }
        """;

    private const string Controller = """
        local cfe = require("cfe")
        local M = {}

        local function build()
          return cfe.form{ label = "Probe", option = { "Save" }, value = {
            flag = cfe.boolean{ value = true },
            off = cfe.boolean{ value = false },
            choices = cfe.multi{ value = { "a" }, option = { "a", "b", "c" } },
            items = cfe.list{ value = { "old" } },
            name = cfe.text{ value = "old" },
            notes = cfe.longtext{ value = "" },
            fixed = cfe.text{ value = "keep", readonly = true },
            fixedflag = cfe.boolean{ value = true, readonly = true },
            color = cfe.select{ value = "red", option = { "red", { value = "green", label = "Green" },
              { label = "More", value = { "blue" } } } },
            count = cfe.integer{ value = 5, min = 1, max = 10 },
            net = cfe.group{ value = {
              addr = cfe.text{ value = "" },
              inner = cfe.group{ value = { port = cfe.integer{ value = 1, min = 1, max = 65535 } } },
            } },
          } }
        end

        function M.submit(ctx, input)
          local form = build()
          local ok = cfe.handle_form(form, input)
          form.descr = ok and "handled" or "refused"
          return form
        end

        function M.fail(ctx, input)
          local form = build()
          cfe.handle_form(form, input)
          return cfe.fail(form, { ["net.addr"] = "Address refused.", ["net.inner.port"] = "Port refused." }, "Form refused.")
        end

        function M.fail_default(ctx, input)
          return cfe.fail(build(), { name = "Name refused.", ["no.such"] = "ignored" })
        end

        return M
        """;

    private readonly ModuleTestHost _host = new();

    public CfeLibTests() => _host.AddModule("cfeprobe", Manifest, ("form", Controller));

    public void Dispose() => _host.Dispose();

    private async Task<CfeNode> Submit(params (string Name, string Value)[] values)
    {
        var result = await _host.RunAsync(ModuleTestHost.Guest, "cfeprobe", "form", "submit", ModuleTestHost.Submit("Save", values));
        Assert.Equal(RunStatus.Ok, result.Status);
        return result.Entity!;
    }

    private static CfeNode Field(CfeNode form, string dottedName) =>
        form.Find(dottedName) ?? throw new Xunit.Sdk.XunitException($"no field {dottedName}");

    [Fact]
    public async Task HandleForm_NothingSubmitted_FormHandledAndMarkedSubmitted()
    {
        var form = await Submit();

        Assert.Equal("handled", form.Descr);
        Assert.True(form.Submitted);
        Assert.False(form.HasFieldErrors);
    }

    [Fact]
    public async Task HandleForm_BooleanAbsent_False()
    {
        var form = await Submit();

        Assert.False(Field(form, "flag").Checked);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("on")]
    [InlineData("yes")]
    [InlineData("1")]
    public async Task HandleForm_BooleanTrueWord_True(string word)
    {
        var form = await Submit(("off", word));

        Assert.True(Field(form, "off").Checked);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("0")]
    [InlineData("TRUE ")]
    public async Task HandleForm_BooleanOtherWord_False(string word)
    {
        var form = await Submit(("flag", word));

        Assert.False(Field(form, "flag").Checked);
    }

    [Fact]
    public async Task HandleForm_MultiAbsent_Empty()
    {
        var form = await Submit();

        Assert.Empty(Field(form, "choices").Items);
        Assert.Equal("handled", form.Descr);
    }

    [Fact]
    public async Task HandleForm_MultiSeveralValues_AllKept()
    {
        var input = ModuleTestHost.SubmitMany("Save", ("choices", ["b", "c"]));

        var result = await _host.RunAsync(ModuleTestHost.Guest, "cfeprobe", "form", "submit", input);

        Assert.Equal(["b", "c"], Field(result.Entity!, "choices").Items);
        Assert.Equal("handled", result.Entity!.Descr);
    }

    [Fact]
    public async Task HandleForm_MultiValueNotOffered_Refused()
    {
        var input = ModuleTestHost.SubmitMany("Save", ("choices", ["a", "z"]));

        var result = await _host.RunAsync(ModuleTestHost.Guest, "cfeprobe", "form", "submit", input);

        Assert.Equal("refused", result.Entity!.Descr);
        Assert.Equal("'z' is not one of the offered values.", Field(result.Entity, "choices").Errtxt);
    }

    [Fact]
    public async Task HandleForm_ListText_OneItemPerNonEmptyLine()
    {
        var form = await Submit(("items", "a\nb\r\n\n c"));

        Assert.Equal(["a", "b", " c"], Field(form, "items").Items);
        Assert.Equal("handled", form.Descr);
    }

    [Fact]
    public async Task HandleForm_ListAbsent_KeepsCurrentItems()
    {
        var form = await Submit();

        Assert.Equal(["old"], Field(form, "items").Items);
    }

    [Fact]
    public async Task HandleForm_ListWithControlCharacterInItem_Refused()
    {
        var form = await Submit(("items", "a\tb\nc"));

        Assert.Equal("refused", form.Descr);
        Assert.Equal("An item contains a control character.", Field(form, "items").Errtxt);
    }

    [Fact]
    public async Task HandleForm_DottedNames_ReachNestedGroups()
    {
        var form = await Submit(("net.addr", "10.0.0.1"), ("net.inner.port", "8080"));

        Assert.Equal("10.0.0.1", Field(form, "net.addr").Text);
        Assert.Equal("8080", Field(form, "net.inner.port").Text);
        Assert.Equal("handled", form.Descr);
    }

    [Fact]
    public async Task HandleForm_UndottedNameOfNestedField_Ignored()
    {
        var form = await Submit(("addr", "10.0.0.1"), ("port", "99"));

        Assert.Equal("", Field(form, "net.addr").Text);
        Assert.Equal("1", Field(form, "net.inner.port").Text);
    }

    [Fact]
    public async Task HandleForm_ReadonlyFields_NotChangedByInput()
    {
        var form = await Submit(("fixed", "changed"), ("fixedflag", "false"));

        Assert.Equal("keep", Field(form, "fixed").Text);
        Assert.True(Field(form, "fixedflag").Checked);
        Assert.Equal("handled", form.Descr);
    }

    [Fact]
    public async Task HandleForm_PlainText_Taken()
    {
        var form = await Submit(("name", "new name é"));

        Assert.Equal("new name é", Field(form, "name").Text);
        Assert.Null(Field(form, "name").Errtxt);
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("a\rb")]
    [InlineData("a\0b")]
    [InlineData("a\tb")]
    [InlineData("a\u007fb")]
    public async Task HandleForm_TextWithControlCharacter_ErrtxtAndFalse(string value)
    {
        var form = await Submit(("name", value));

        Assert.Equal("refused", form.Descr);
        Assert.Equal("Line breaks and control characters are not allowed here.", Field(form, "name").Errtxt);
    }

    [Fact]
    public async Task HandleForm_LongtextWithLineBreaks_Accepted()
    {
        var form = await Submit(("notes", "line one\r\nline two\n\tindented"));

        Assert.Equal("handled", form.Descr);
        Assert.Equal("line one\r\nline two\n\tindented", Field(form, "notes").Text);
    }

    [Fact]
    public async Task HandleForm_LongtextWithNul_Refused()
    {
        var form = await Submit(("notes", "line\0two"));

        Assert.Equal("refused", form.Descr);
        Assert.Equal("The text contains control characters.", Field(form, "notes").Errtxt);
    }

    [Theory]
    [InlineData("green")]
    [InlineData("blue")]
    public async Task HandleForm_SelectOfferedValue_Taken(string value)
    {
        var form = await Submit(("color", value));

        Assert.Equal("handled", form.Descr);
        Assert.Equal(value, Field(form, "color").Text);
    }

    [Fact]
    public async Task HandleForm_SelectValueNotOffered_Refused()
    {
        var form = await Submit(("color", "purple"));

        Assert.Equal("refused", form.Descr);
        Assert.Equal("Choose one of the offered values.", Field(form, "color").Errtxt);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("10")]
    [InlineData(" 7 ")]
    public async Task HandleForm_IntegerInRange_Taken(string value)
    {
        var form = await Submit(("count", value));

        Assert.Equal("handled", form.Descr);
        Assert.Equal(value.Trim(), Field(form, "count").Text);
    }

    [Theory]
    [InlineData("0", "The smallest allowed value is 1.")]
    [InlineData("11", "The largest allowed value is 10.")]
    [InlineData("-3", "The smallest allowed value is 1.")]
    [InlineData("abc", "Enter a whole number.")]
    [InlineData("5.5", "Enter a whole number.")]
    [InlineData("5.0", "Enter a whole number.")]
    [InlineData("0x5", "Enter a whole number.")]
    public async Task HandleForm_IntegerOutOfRangeOrNotWhole_Refused(string value, string message)
    {
        var form = await Submit(("count", value));

        Assert.Equal("refused", form.Descr);
        Assert.Equal(message, Field(form, "count").Errtxt);
    }

    [Fact]
    public async Task HandleForm_NestedIntegerOutOfRange_RefusedOnNestedField()
    {
        var form = await Submit(("net.inner.port", "70000"));

        Assert.Equal("refused", form.Descr);
        Assert.Equal("The largest allowed value is 65535.", Field(form, "net.inner.port").Errtxt);
        Assert.True(form.HasFieldErrors);
    }

    [Fact]
    public async Task Fail_DottedFieldNames_ErrtxtOnNestedFieldsAndForm()
    {
        var result = await _host.RunAsync(ModuleTestHost.Guest, "cfeprobe", "form", "fail", ModuleTestHost.Submit("Save"));

        var form = result.Entity!;
        Assert.Equal("Address refused.", Field(form, "net.addr").Errtxt);
        Assert.Equal("Port refused.", Field(form, "net.inner.port").Errtxt);
        Assert.Equal("Form refused.", form.Errtxt);
        Assert.True(form.Submitted);
        Assert.False(form.Succeeded);
    }

    [Fact]
    public async Task Fail_NoMessage_DefaultFormErrorAndUnknownNamesIgnored()
    {
        var result = await _host.RunAsync(ModuleTestHost.Guest, "cfeprobe", "form", "fail_default", ModuleTestHost.Submit("Save"));

        Assert.Equal(RunStatus.Ok, result.Status);
        var form = result.Entity!;
        Assert.Equal("Name refused.", Field(form, "name").Errtxt);
        Assert.Equal("Some values are not valid; nothing was saved.", form.Errtxt);
    }
}
