using Acf.Broker.Text;

namespace Acf.Tests.Text;

/// <summary>The JSON codec behind acf.json: strict parsing into an ordered tree, one fixed output style, hostile input bounded.</summary>
public class OrderedJsonTests
{
    private static string Demo(string path) => File.ReadAllText(Path.Combine(Acf.Tests.Modules.ModuleTestHost.RepositoryRoot, "demo", path));

    private static string RoundTrip(string text)
    {
        var tree = OrderedJson.Parse(text, out var indent, out var error);
        Assert.True(tree is not null, error);
        return OrderedJson.Format(tree!, indent);
    }

    [Theory]
    [InlineData("etc/awall/optional/internet-gateway.json")]
    [InlineData("etc/awall/private/custom-services.json")]
    [InlineData("usr/share/awall/mandatory/services.json")]
    public void Format_OfParsedFileInAcfsStyle_SameBytes(string path)
    {
        var text = Demo(path);

        Assert.Equal(text, RoundTrip(text));
    }

    [Fact]
    public void Format_OfForeignFile_KeepsKeyOrderValuesAndIndentAndIsStable()
    {
        var text = Demo("etc/awall/optional/web-server.json");

        var once = RoundTrip(text);

        Assert.Equal(once, RoundTrip(once));
        Assert.StartsWith("{\n    \"description\": \"Publish the web server on 192.168.1.10 to the Internet\",\n    \"import\": \"custom-services\",\n    \"dnat\": [", once);
        Assert.Contains("{ \"in\": \"WAN\", \"service\": \"web-admin\", \"to-addr\": \"192.168.1.10\", \"to-port\": 8443, \"log\": \"info\" }", once);
    }

    [Fact]
    public void Parse_KeyOrder_IsTheFilesOrder()
    {
        var tree = (JsonObject)OrderedJson.Parse("{\"z\": 1, \"a\": 2, \"m\": 3}", out _, out _)!;

        Assert.Equal(["z", "a", "m"], tree.Members.Select(m => m.Key));
    }

    [Theory]
    [InlineData("{ \"a\": 1 // comment\n}")]
    [InlineData("{ /* comment */ \"a\": 1 }")]
    [InlineData("# comment\n{ \"a\": 1 }")]
    [InlineData("{ \"a\": 1, }")]
    [InlineData("[ 1, 2, ]")]
    [InlineData("{ \"a\": 1, \"a\": 2 }")]
    [InlineData("{ 'a': 1 }")]
    [InlineData("{ \"a\": 1 } { }")]
    [InlineData("")]
    [InlineData("{ \"a\": NaN }")]
    public void Parse_NotStrictJson_RefusedWithAReason(string text)
    {
        var tree = OrderedJson.Parse(text, out _, out var error);

        Assert.Null(tree);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Parse_TooDeep_Refused()
    {
        var text = new string('[', OrderedJson.MaxDepth + 1) + new string(']', OrderedJson.MaxDepth + 1);

        Assert.Null(OrderedJson.Parse(text, out _, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Parse_TooLarge_Refused()
    {
        var text = "\"" + new string('x', OrderedJson.MaxBytes) + "\"";

        Assert.Null(OrderedJson.Parse(text, out _, out var error));
        Assert.Contains("larger", error);
    }

    [Fact]
    public void Parse_TooManyValues_Refused()
    {
        var text = "[" + string.Join(",", Enumerable.Repeat("0", OrderedJson.MaxValues + 1)) + "]";

        Assert.Null(OrderedJson.Parse(text, out _, out var error));
        Assert.Contains("more than", error);
    }

    [Fact]
    public void Format_Numbers_IntegersStayIntegersRealsStayReals()
    {
        Assert.Contains("\"b\": [ 1, 1.0, 2.5, -7, 1E+300 ]", RoundTrip("{\"a\": {\"b\": [1, 1.0, 2.50, -7, 1e300]}}"));
    }

    [Fact]
    public void Format_Strings_EscapesQuotesBackslashesAndControlCharactersKeepsUnicode()
    {
        var text = OrderedJson.Format(new JsonString("a\"b\\c\nd\u0001é€"));

        Assert.Equal("\"a\\\"b\\\\c\\nd\\u0001é€\"\n", text);
    }

    [Fact]
    public void Format_EmptyContainers_AndTabIndent()
    {
        var tree = new JsonObject([new("a", new JsonObject([])), new("b", new JsonArray([])), new("c", new JsonArray([JsonNull.Instance, new JsonBool(true)]))]);

        Assert.Equal("{\n\t\"a\": {},\n\t\"b\": [],\n\t\"c\": [ null, true ]\n}\n", OrderedJson.Format(tree, "\t"));
    }

    [Theory]
    [InlineData("{\n    \"a\": 1\n}", "    ")]
    [InlineData("{\n\t\"a\": 1\n}", "\t")]
    [InlineData("{\n  \"a\": 1\n}", "  ")]
    [InlineData("{\"a\": 1}", "  ")]
    public void Parse_Indent_DetectedFromTheFirstIndentedLine(string text, string expected)
    {
        OrderedJson.Parse(text, out var indent, out _);

        Assert.Equal(expected, indent);
    }
}
