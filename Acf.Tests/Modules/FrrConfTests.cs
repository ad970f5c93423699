namespace Acf.Tests.Modules;

/// <summary>
/// frrconf.lua, the lossless model of /etc/frr/frr.conf, run in the sandbox through <see cref="LuaModelProbe"/> with
/// <c>frrconf</c> in scope.
/// </summary>
public class FrrConfTests() : LuaModelTests("frrconf")
{
    public static TheoryData<string> RoundTripCases() => new()
    {
        "",
        "frr version 8.4\r\nhostname a\r\n!\r\ninterface gre1\r\n ip nhrp network-id 1\r\nexit\r\n",
        "interface gre1\nip nhrp shortcut\n!\nrouter bgp 1\n neighbor x peer-group", // no indentation, no final newline
        "! only comments\n  !\n\t\n# hash\n",
        "router bgp 65000 vrf blue\n address-family ipv4\n  network 10.0.0.0/8\n exit-address-family\n!\nline vty\n exec-timeout 0 0\n!\n",
    };

    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public Task Text_OddFiles_RoundTripByteForByte(string text) => AssertRoundTripAsync(text);

    [Fact]
    public async Task Sync_SameLines_NothingChangesEvenWithOddSpacingAndExtraWords()
    {
        const string text = "interface gre1\n  ip   nhrp  network-id 1\n tunnel protection vici profile dmvpn fallback-profile x\nexit\n";

        var output = await EditAsync(text, """
            local scope = { { block = "interface gre1" } }
            m:sync(scope, function(w) return w[1] == "ip" and w[3] == "network-id" end, { "ip nhrp network-id 1" })
            m:sync(scope, function(w) return w[1] == "tunnel" end, { "tunnel protection vici profile dmvpn" })
            """);

        Assert.Equal(text, output);
    }

    [Fact]
    public async Task Sync_ChangedLine_RewrittenInPlaceKeepingIndentation_ExtraDropped_NewAddedAfterItsKind()
    {
        const string text = "interface gre1\n\tdescription x\n\tip nhrp nhs dynamic nbma 192.0.2.1\n\tip nhrp nhs dynamic nbma 192.0.2.2\n\tip nhrp shortcut\nexit\n";

        var output = await EditAsync(text, """
            local nhs = function(w) return w[1] == "ip" and w[3] == "nhs" end
            m:sync({ { block = "interface gre1" } }, nhs, { "ip nhrp nhs dynamic nbma 192.0.2.9" })
            m:sync({ { block = "interface gre1" } }, function(w) return w[3] == "holdtime" end, { "ip nhrp holdtime 60" })
            """);

        Assert.Equal("interface gre1\n\tdescription x\n\tip nhrp nhs dynamic nbma 192.0.2.9\n\tip nhrp shortcut\n\tip nhrp holdtime 60\nexit\n", output);
    }

    [Fact]
    public async Task Values_RouterBgp_AddressFamilyAndTopLevelAreSeparateScopes()
    {
        const string text = "router bgp 65000\n network 10.1.0.0/16\n address-family ipv4 unicast\n  network 10.2.0.0/16\n exit-address-family\nexit\n";

        var (result, _) = await RunTextAsync(text, """
            local m = frrconf.parse(text)
            local bgp = function(w) return w[1] == "router" and w[2] == "bgp" end
            local net = function(w) return w[1] == "network" end
            local top = m:values({ { block = bgp } }, net)
            local af = m:values({ { block = bgp, af = { "ipv4 unicast" } } }, net)
            local _, asn = m:bgp()
            return m, table.concat(top, ",") .. "|" .. table.concat(af, ",") .. "|" .. asn
            """);

        Assert.Equal("network 10.1.0.0/16|network 10.2.0.0/16|65000", result);
    }

    [Fact]
    public async Task EnsureBlock_NewInterface_GoesBeforeRouterAndLineBlocks()
    {
        const string text = "hostname a\n!\nrouter bgp 1\nexit\n!\nline vty\n!\n";

        var output = await EditAsync(text, """
            m:ensure_block("interface gre1")
            """);

        Assert.Equal("hostname a\n!\ninterface gre1\nexit\n!\nrouter bgp 1\nexit\n!\nline vty\n!\n", output);
    }

    [Theory]
    [InlineData("10.0.0.1\nrouter ospf")]
    [InlineData("a ! comment")]
    [InlineData("a # comment")]
    [InlineData("tab\there")]
    public async Task CheckWords_LineBreakCommentOrControl_Refused(string value)
    {
        var (result, _) = await RunTextAsync("", $"return frrconf.parse(''), select(2, frrconf.check_words({LuaString(value)}))");

        Assert.NotEqual("", result);
    }

    /// <summary>Parses <paramref name="text"/> as <c>m</c>, runs these edits on it and returns its text afterwards.</summary>
    private async Task<string> EditAsync(string text, string edits)
    {
        var (_, output) = await RunTextAsync(text, "local m = frrconf.parse(text)\n" + edits + "\nreturn m");
        return output;
    }

    private static string LuaString(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\t", "\\t") + "\"";
}
