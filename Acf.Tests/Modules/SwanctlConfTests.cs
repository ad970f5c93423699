namespace Acf.Tests.Modules;

/// <summary>
/// swanctlconf.lua, the lossless model of /etc/swanctl/swanctl.conf, run in the sandbox through
/// <see cref="LuaModelProbe"/> with <c>swanctlconf</c> in scope.
/// </summary>
public class SwanctlConfTests() : LuaModelTests("swanctlconf")
{
    public static TheoryData<string> RoundTripCases() => new()
    {
        "",
        "connections {\r\n  a {\r\n    version = 2\r\n  }\r\n}\r\n",
        "connections{\nx : defaults {\nremote_addrs = 192.0.2.1 # office\n}\n}", // no indentation, no final newline
        "# only a comment\ninclude conf.d/*.conf\n",
        "secrets { ike-1 { secret = \"a b # not a comment\" } }\n",
    };

    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public Task Text_OddFiles_RoundTripByteForByte(string text) => AssertRoundTripAsync(text);

    [Fact]
    public async Task Set_ExistingKey_ValueReplacedKeepingSpacingAndComment()
    {
        const string text = "connections {\n   dmvpn {\n      proposals   =  aes128-sha1 # old one\n   }\n}\n";

        var (result, output) = await RunTextAsync(text, """
            local m = swanctlconf.parse(text)
            local before = m:get("connections.dmvpn.proposals")
            m:set("connections.dmvpn.proposals", "aes256-sha256")
            return m, before
            """);

        Assert.Equal("aes128-sha1", result);
        Assert.Equal("connections {\n   dmvpn {\n      proposals   =  aes256-sha256 # old one\n   }\n}\n", output);
    }

    [Fact]
    public async Task Set_MissingSections_CreatedAtTheEndOfTheirParentWithTheFilesIndentation()
    {
        const string text = "connections {\n  other {\n    version = 1\n  }\n}\n\nsecrets {\n}\n";

        var (_, output) = await RunTextAsync(text, """
            local m = swanctlconf.parse(text)
            m:set("connections.dmvpn.children.dmvpn.mode", "transport")
            return m
            """);

        Assert.Equal("connections {\n  other {\n    version = 1\n  }\n  dmvpn {\n    children {\n      dmvpn {\n"
            + "        mode = transport\n      }\n    }\n  }\n}\n\nsecrets {\n}\n", output);
    }

    [Fact]
    public async Task Set_SameValue_NothingChanges()
    {
        const string text = "connections {\n\tdmvpn {\n\t\tmobike = no\n\t}\n}\n";

        var (result, output) = await RunTextAsync(text, """
            local m = swanctlconf.parse(text)
            return m, tostring(m:set("connections.dmvpn.mobike", "no"))
            """);

        Assert.Equal("false", result);
        Assert.Equal(text, output);
    }

    [Fact]
    public async Task Get_OneLineSections_DoNotConfuseTheSectionsAfterThem()
    {
        const string text = "connections {\n  a { children { c { mode = tunnel } } }\n  dmvpn {\n    version = 2\n  }\n}\n";

        var (result, _) = await RunTextAsync(text, """
            local m = swanctlconf.parse(text)
            return m, tostring(m:get("connections.dmvpn.version"))
            """);

        Assert.Equal("2", result);
    }

    [Theory]
    [InlineData("aes256\n}")]
    [InlineData("a { b")]
    [InlineData("x # y")]
    [InlineData("a \"b\"")]
    [InlineData("a = b")]
    [InlineData(" lead")]
    public async Task CheckValue_BracesCommentsQuotesOrBreaks_Refused(string value)
    {
        var code = "return swanctlconf.parse(''), select(2, swanctlconf.check_value(\""
            + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"))";

        var (result, _) = await RunTextAsync("", code);

        Assert.NotEqual("", result);
    }
}
