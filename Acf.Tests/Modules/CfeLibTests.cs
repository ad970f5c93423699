namespace Acf.Tests.Modules;

/// <summary>
/// <c>modules-lua/lib/cfe.lua</c>: handle_form's submit rules and cfe.fail, through a small test module whose form
/// has one field of each kind. <c>form/submit</c> returns the form with <c>descr</c> "handled" or "refused" (what
/// handle_form returned); <c>form/fail</c> applies the input, then fails the form on a nested field.
/// </summary>
public sealed class CfeLibTests : IDisposable
{
    private const string Manifest = """
        { "title": "CFE probe", "roles": { "GUEST": [ "form/submit", "form/fail", "form/fail_default", "form/types" ] } }
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

        function M.types(ctx, input)
          return cfe.raw{ value = table.concat(cfe.types, " ") }
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

    /// <summary>Submits several values for the multi field "choices", as a browser sends ticked boxes.</summary>
    private async Task<CfeNode> SubmitChoices(params string[] choices)
    {
        var input = ModuleTestHost.SubmitMany("Save", ("choices", choices));
        var result = await _host.RunAsync(ModuleTestHost.Guest, "cfeprobe", "form", "submit", input);
        Assert.Equal(RunStatus.Ok, result.Status);
        return result.Entity!;
    }

    private static CfeNode Field(CfeNode form, string dottedName) =>
        form.Find(dottedName) ?? throw new Xunit.Sdk.XunitException($"no field {dottedName}");

    /// <summary>A new CFE type has its constructor here and its name in <see cref="CfeTypes.All"/> (the renderer's table
    /// has a row for each of those: CfeFieldsTests); the two lists are one list.</summary>
    [Fact]
    public async Task Types_TheConstructors_AreTheTypesTheAppKnows()
    {
        var result = await _host.RunAsync(ModuleTestHost.Guest, "cfeprobe", "form", "types", ModuleInput.Empty);

        Assert.Equal(RunStatus.Ok, result.Status);
        Assert.Equal(CfeTypes.All, result.Entity!.Text!.Split(' '));
    }

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
    [InlineData("off", "true", true)] // a true word ticks a box that was off
    [InlineData("off", "on", true)]
    [InlineData("off", "yes", true)]
    [InlineData("off", "1", true)]
    [InlineData("flag", "false", false)] // any other word leaves the box off
    [InlineData("flag", "0", false)]
    [InlineData("flag", "TRUE ", false)]
    public async Task HandleForm_BooleanWord_CheckedOnlyForTrueWords(string field, string word, bool expected)
    {
        var form = await Submit((field, word));

        Assert.Equal(expected, Field(form, field).Checked);
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
        var form = await SubmitChoices("b", "c");

        Assert.Equal(["b", "c"], Field(form, "choices").Items);
        Assert.Equal("handled", form.Descr);
    }

    [Fact]
    public async Task HandleForm_MultiValueNotOffered_Refused()
    {
        var form = await SubmitChoices("a", "z");

        Assert.Equal("refused", form.Descr);
        Assert.Equal("'z' is not one of the offered values.", Field(form, "choices").Errtxt);
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

    [Theory]
    [InlineData("name", "new name é", "new name é")] // plain text
    [InlineData("notes", "line one\r\nline two\n\tindented", "line one\r\nline two\n\tindented")] // longtext with line breaks
    [InlineData("color", "green", "green")] // select, an offered value
    [InlineData("color", "blue", "blue")] // select, another offered value
    [InlineData("count", "1", "1")] // integer, the smallest in range
    [InlineData("count", "10", "10")] // integer, the largest in range
    [InlineData("count", " 7 ", "7")] // integer with spaces round it, trimmed
    public async Task HandleForm_ValidValue_Taken(string field, string value, string expected)
    {
        var form = await Submit((field, value));

        Assert.Equal("handled", form.Descr);
        Assert.Equal(expected, Field(form, field).Text);
        Assert.Null(Field(form, field).Errtxt);
    }

    [Theory]
    [InlineData("items", "a\tb\nc", "An item contains a control character.")] // list with a control character in an item
    [InlineData("name", "a\nb", "Line breaks and control characters are not allowed here.")] // text with a line feed
    [InlineData("name", "a\rb", "Line breaks and control characters are not allowed here.")] // text with a carriage return
    [InlineData("name", "a\0b", "Line breaks and control characters are not allowed here.")] // text with NUL
    [InlineData("name", "a\tb", "Line breaks and control characters are not allowed here.")] // text with a tab
    [InlineData("name", "a\u007fb", "Line breaks and control characters are not allowed here.")] // text with DEL
    [InlineData("notes", "line\0two", "The text contains control characters.")] // longtext with NUL
    [InlineData("color", "purple", "Choose one of the offered values.")] // select, a value not offered
    [InlineData("count", "0", "The smallest allowed value is 1.")] // integer below the range
    [InlineData("count", "11", "The largest allowed value is 10.")] // integer above the range
    [InlineData("count", "-3", "The smallest allowed value is 1.")] // negative integer
    [InlineData("count", "abc", "Enter a whole number.")] // integer, not a number
    [InlineData("count", "5.5", "Enter a whole number.")] // integer, a fraction
    [InlineData("count", "5.0", "Enter a whole number.")] // integer, a whole number written as a decimal
    [InlineData("count", "0x5", "Enter a whole number.")] // integer, hexadecimal
    [InlineData("net.inner.port", "70000", "The largest allowed value is 65535.")] // nested integer above its range
    public async Task HandleForm_InvalidValue_RefusedWithErrtxtOnTheField(string field, string value, string message)
    {
        var form = await Submit((field, value));

        Assert.Equal("refused", form.Descr);
        Assert.Equal(message, Field(form, field).Errtxt);
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
