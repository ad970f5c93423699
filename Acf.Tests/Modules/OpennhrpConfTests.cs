namespace Acf.Tests.Modules;

/// <summary>
/// opennhrpconf.lua, the lossless model of /etc/opennhrp/opennhrp.conf, run in the sandbox through
/// <see cref="LuaModelProbe"/> with <c>opennhrpconf</c> in scope. Fixture pairs in <c>modules-lua/dmvpn/fixtures/_parser/opennhrp/edits</c>
/// (<c>NAME.before</c>, <c>NAME.lua</c>, <c>NAME.after</c>) are compared byte for byte.
/// </summary>
public class OpennhrpConfTests
{
    private static readonly ModuleFixtureFiles Files = new("dmvpn", "opennhrp");

    private static byte[] Fixture(string name) => Files.Bytes(name);

    private static Task<LuaModelProbe.Outcome> RunAsync(byte[] input, string code) =>
        LuaModelProbe.RunAsync(input, code, "opennhrpconf");

    /// <summary>Sets every block to what list() read from it: nothing may change.</summary>
    private const string SetAllUnchanged = """
        local m = opennhrpconf.parse(text)
        for _, item in ipairs(m:list()) do if item.name ~= "" then assert(m:set(item.name, item)) end end
        return m, #m:list()
        """;

    [Theory]
    [InlineData("spoke.conf", 2)]
    [InlineData("odd.conf", 2)]
    [InlineData("crlf.conf", 1)]
    [InlineData("no-final-newline.conf", 1)]
    public async Task Set_EveryBlockUnchanged_WritesSameBytes(string fixture, int blocks)
    {
        var bytes = Fixture(fixture);

        var outcome = await RunAsync(bytes, SetAllUnchanged);

        Assert.Equal(bytes, outcome.Output);
        Assert.Equal(blocks.ToString(), outcome.Result);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n# nothing but comments\t\n")]
    [InlineData("map 10.0.0.1 192.0.2.1 # before any interface\ninterface")]
    public async Task Parse_OddFiles_RoundTripByteForByte(string text)
    {
        var outcome = await RunAsync(Encoding.UTF8.GetBytes(text), SetAllUnchanged);

        Assert.Equal(Encoding.UTF8.GetBytes(text), outcome.Output);
    }

    [Fact]
    public async Task List_OddFile_ReadsEntriesAndKeepsWhatItDoesNotKnowAsOther()
    {
        var outcome = await RunAsync(Fixture("odd.conf"), """
            local m = opennhrpconf.parse(text)
            local out = {}
            for _, item in ipairs(m:list()) do
              out[#out + 1] = item.name .. " map=" .. table.concat(item.map, ";") .. " mc=" .. table.concat(item.multicast, ";")
                .. " ht=" .. tostring(item["holding-time"]) .. " rt=" .. tostring(item["route-table"])
                .. " auth=" .. tostring(item["cisco-authentication"]) .. " redirect=" .. tostring(item.redirect)
                .. " shortcut=" .. tostring(item.shortcut) .. " dest=" .. tostring(item["shortcut-destination"])
                .. " other=" .. table.concat(item.other, ";")
            end
            return m, table.concat(out, "\n")
            """);

        Assert.Equal(string.Join("\n",
            "gre1 map=10.255.0.2/16 203.0.113.2 register;10.255.0.3 203.0.113.3 mc=dynamic;10.255.0.2 ht=600 rt=10 auth=s3cr "
                + "redirect=true shortcut=nil dest=nil other=shortcut  non-caching;map 10.255.0.9/16;198.51.100.9 register;some-future-option yes",
            "eth1 map= mc= ht=nil rt=nil auth=nil redirect=nil shortcut=nil dest=true other="), outcome.Result);
    }

    public static TheoryData<string> EditCases() => Files.EditCases();

    [Theory]
    [MemberData(nameof(EditCases))]
    public Task Edit_FixtureCase_ChangesOnlyItsLines(string name)
        => Files.AssertEditAsync(name, async (before, code) => (await RunAsync(before, code)).Output);

    [Theory]
    [InlineData("map = { \"10.0.0.1 192.0.2.1\\ninterface evil\" }", "control characters")]
    [InlineData("map = { \"10.0.0.1 192.0.2.1 # x\" }", "'#' is not allowed")]
    [InlineData("[\"cisco-authentication\"] = \"a\\rb\"", "control characters")]
    [InlineData("[\"holding-time\"] = \"60 shortcut\"", "not in opennhrp's form")]
    [InlineData("multicast = { \"\" }", "needs a value")]
    public async Task Set_ValueThatWouldInjectADirective_RefusedAndNothingChanges(string spec, string message)
    {
        var bytes = Fixture("spoke.conf");

        var outcome = await RunAsync(bytes, "local m = opennhrpconf.parse(text)\nlocal ok, why = m:set(\"gre1\", { " + spec
            + " })\nreturn m, tostring(ok) .. \"|\" .. tostring(why)");

        Assert.StartsWith("nil|", outcome.Result);
        Assert.Contains(message, outcome.Result);
        Assert.Equal(bytes, outcome.Output);
    }

    [Theory]
    [InlineData("gre1\ninterface x")]
    [InlineData("gre 1")]
    [InlineData("")]
    public async Task SetAndRename_BadInterfaceName_Refused(string name)
    {
        var bytes = Fixture("spoke.conf");
        var lua = "\"" + name.Replace("\n", "\\n") + "\"";

        var outcome = await RunAsync(bytes, $"local m = opennhrpconf.parse(text)\nlocal a = m:set({lua}, {{ shortcut = true }})\n"
            + $"local b = m:rename(\"gre1\", {lua})\nreturn m, tostring(a) .. \"|\" .. tostring(b)");

        Assert.Equal("nil|nil", outcome.Result);
        Assert.Equal(bytes, outcome.Output);
    }
}
