namespace Acf.Tests.Modules;

/// <summary>
/// squidconf.lua, the lossless squid.conf model, run in the sandbox through <see cref="LuaModelProbe"/>: each Lua chunk
/// has <c>conf</c> (the input parsed by squidconf) and <c>lines</c> in scope and returns its result; the probe writes
/// the model's text. Files are compared byte for byte.
/// </summary>
public class SquidConfTests
{
    /// <summary>Before each chunk: the model, and <c>lines(items, fn)</c>, each of items as fn writes it, one a line.
    /// The chunk runs as a function whose result the probe returns beside the model.</summary>
    private const string Prelude = """
        local conf = squidconf.parse(text)
        local function lines(items, fn)
          local out = {}
          for _, item in ipairs(items) do out[#out + 1] = fn(item) end
          return table.concat(out, "\n")
        end
        return conf, (function()
        """;

    private static readonly ModuleFixtureFiles Files = new("squid");

    private static byte[] Fixture(string name) => Files.Bytes(name);

    private static Task<LuaModelProbe.Outcome> RunAsync(byte[] input, string code) =>
        LuaModelProbe.RunAsync(input, Prelude + "\n" + code + "\nend)()", "squidconf");

    private static Task<LuaModelProbe.Outcome> RunAsync(string input, string code) => RunAsync(Encoding.UTF8.GetBytes(input), code);

    [Theory]
    [InlineData("debian-squid.conf")]
    [InlineData("alpine-squid.conf")]
    public async Task Text_StockFile_RoundTripsByteForByte(string fixture)
    {
        var bytes = Fixture(fixture);

        var outcome = await RunAsync(bytes, "return #conf:entries()");

        Assert.Equal(bytes, outcome.Output);
        Assert.True(int.Parse(outcome.Result) > 20);
    }

    [Fact]
    public async Task Text_OddBytes_RoundTripsByteForByte()
    {
        var odd = "# crlf\r\nhttp_port 3128 \t \r\n\tacl x src 10.0.0.1\r\nmixed line\n  \n\nacl y dstdomain .a \\\n .b\nvisible_hostname h\rjunk\nüñí # comment\nlast line without newline  ";

        var outcome = await RunAsync(odd, "return ''");

        Assert.Equal(Encoding.UTF8.GetBytes(odd), outcome.Output);
    }

    public static TheoryData<string> EditCases() => Files.EditCases();

    [Theory]
    [MemberData(nameof(EditCases))]
    public Task Edit_FixtureCase_ProducesExpectedFile(string name)
        => Files.AssertEditAsync(name, async (before, code) => (await RunAsync(before, code)).Output, ".conf");

    [Fact]
    public async Task Set_CrlfFile_ChangedAndNewLinesKeepCrlf()
    {
        const string before = "http_port 3128\r\ncache_mem 64 MB\r\n";

        var outcome = await RunAsync(before, """
            conf:set("cache_mem", "256 MB")
            conf:set("visible_hostname", "proxy")
            conf:set_acl("lan", "src", { "192.168.0.0/16" })
            """);

        Assert.Equal("http_port 3128\r\ncache_mem 256 MB\r\nvisible_hostname proxy\r\nacl lan src 192.168.0.0/16\r\n",
            Encoding.UTF8.GetString(outcome.Output));
    }

    [Fact]
    public async Task Set_SameWordsOnDebianFile_ChangesNothing()
    {
        var bytes = Fixture("debian-squid.conf");

        var outcome = await RunAsync(bytes, """
            local changed = conf:set("http_port", "3128")
            changed = conf:set_all("http_access", { "deny !Safe_ports", "deny CONNECT !SSL_ports", "allow localhost manager",
              "deny manager", "allow localhost", "deny all" }) or changed
            changed = conf:set_acl("Safe_ports", "port", { "80", "21", "443", "70", "210", "1025-65535", "280", "488", "591", "777" }) or changed
            changed = conf:set("cache_dir", nil) or changed
            return tostring(changed)
            """);

        Assert.Equal("false", outcome.Result);
        Assert.Equal(bytes, outcome.Output);
    }

    [Fact]
    public async Task Directives_DebianFile_ActiveLinesInOrderWithLineNumbers()
    {
        var outcome = await RunAsync(Fixture("debian-squid.conf"), """
            return lines(conf:directives("http_access"), function(d) return d.index .. " " .. d.name .. " " .. d.args end) .. "\n"
              .. tostring(conf:get("http_port")) .. "|" .. tostring(conf:get("cache_dir")) .. "|" .. tostring(conf:get("coredump_dir"))
            """);

        Assert.Equal("""
            1529 http_access deny !Safe_ports
            1532 http_access deny CONNECT !SSL_ports
            1535 http_access allow localhost manager
            1536 http_access deny manager
            1552 http_access allow localhost
            1555 http_access deny all
            3128|nil|/var/spool/squid
            """, outcome.Result);
    }

    [Fact]
    public async Task Directives_KeyOfSeveralWords_MatchesItsLeadingArguments()
    {
        const string file = "auth_param basic program /usr/lib/squid/basic_ncsa_auth /etc/squid/passwd\n"
            + "auth_param basic realm  Squid proxy # shown\nauth_param digest realm Other\n";

        var outcome = await RunAsync(file, """
            return conf:get("auth_param basic realm") .. "|" .. #conf:directives("auth_param") .. "|" .. #conf:directives("auth_param basic")
            """);

        Assert.Equal("Squid proxy # shown|3|2", outcome.Result);
    }

    [Fact]
    public async Task Acls_SeveralLinesOfOneName_MergedInFileOrderWithoutComments()
    {
        var outcome = await RunAsync(Fixture("debian-squid.conf"), """
            return lines(conf:acls(), function(a) return a.name .. " " .. a.type .. ": " .. table.concat(a.values, " ") end)
            """);

        Assert.Equal("""
            localnet src: 0.0.0.1-0.255.255.255 10.0.0.0/8 100.64.0.0/10 169.254.0.0/16 172.16.0.0/12 192.168.0.0/16 fc00::/7 fe80::/10
            SSL_ports port: 443
            Safe_ports port: 80 21 443 70 210 1025-65535 280 488 591 777
            """, outcome.Result);
    }

    [Fact]
    public async Task Acls_OptionsAndTimeSpecs_SplitFromValues()
    {
        const string file = "acl sites dstdomain -n .a.example .b.example\nacl work time MTWHF 08:00-17:00 A 10:00-12:00\n"
            + "acl agents browser -i ^Mozilla\n";

        var outcome = await RunAsync(file, """
            return lines(conf:acls(), function(a) return a.name .. "|" .. tostring(a.options) .. "|" .. table.concat(a.values, ",") end)
            """);

        Assert.Equal("sites|-n|.a.example,.b.example\nwork|nil|MTWHF 08:00-17:00,A 10:00-12:00\nagents|-i|^Mozilla", outcome.Result);
    }

    [Fact]
    public async Task Includes_DebianFile_ListedNotFollowed()
    {
        var outcome = await RunAsync(Fixture("debian-squid.conf"), """
            return table.concat(conf:includes(), ";") .. "|" .. #conf:directives("logfile_rotate")
            """);

        Assert.Equal("/etc/squid/conf.d/*.conf|0", outcome.Result);
    }

    [Fact]
    public async Task AclUses_PlainNegatedAndGrouped_FoundOtherWordsIgnored()
    {
        const string file = "acl lan src 10.0.0.0/8\nacl both any-of lan other\nhttp_access deny !lan\ncache deny lan\n"
            + "visible_hostname lan\nhttp_access allow lanx\nhttp_reply_access allow all # lan\n";

        var outcome = await RunAsync(file, """
            return lines(conf:acl_uses("lan"), function(u) return u.index .. " " .. u.name .. " " .. u.args end)
            """);

        Assert.Equal("2 acl both any-of lan other\n3 http_access deny !lan\n4 cache deny lan", outcome.Result);
    }

    public static TheoryData<string, string> RefusedValues => new()
    {
        { "\"3128\\nhttp_access allow all\"", "Line breaks" },
        { "\"proxy\\rhttp_access allow all\"", "Line breaks" },
        { "\"proxy\\0x\"", "Control characters" },
        { "\"a\\tb\"", "Control characters" },
        { "\"#3128\"", "start with '#'" },
        { "\"  # x\"", "start with '#'" },
        { "\"3128 \\\\\"", "end with '\\'" },
        { "\"\"", "Enter a value" },
        { "\"   \"", "Enter a value" },
        { "\"\\xff\\xfe\"", "UTF-8" },
        { "string.rep(\"a\", 4001)", "at most 4000" },
    };

    [Theory]
    [MemberData(nameof(RefusedValues))]
    public async Task CheckArgs_Injection_RefusedWithMessage(string luaValue, string message)
    {
        var outcome = await RunAsync("", $"return squidconf.check_args({luaValue}) or 'accepted'");

        Assert.Contains(message, outcome.Result);
    }

    [Fact]
    public async Task CheckWordAndArgs_OrdinaryValues_AcceptedSpacesOnlyInArgs()
    {
        var outcome = await RunAsync("", """
            return tostring(squidconf.check_args("192.168.1.1:3128 intercept # lan")) .. "|"
              .. tostring(squidconf.check_word("proxy.example.com")) .. "|" .. tostring(squidconf.check_word("a b"))
            """);

        Assert.Equal("nil|nil|One word only, without spaces.", outcome.Result);
    }

    [Fact]
    public async Task Datatypes_AddressesAndNames_CheckedAsSquidWrites()
    {
        var outcome = await RunAsync("", """
            local out = {}
            for _, v in ipairs{ "10.0.0.1", "256.1.1.1", "1.2.3", "::1", "fe80::/10", "2001:db8::1:2:3:4:5", "2001:db8:0:0:0:0:2:1",
                "::ffff:192.0.2.1", "1::2::3", "12345::" } do
              out[#out + 1] = v .. "=" .. tostring(squidconf.is_ipv4(v) or squidconf.is_ipv6(v))
            end
            for _, v in ipairs{ "proxy.example.com", "a_b", "-bad.example", "ok-", "" } do
              out[#out + 1] = v .. "=" .. tostring(squidconf.is_hostname(v))
            end
            return table.concat(out, " ")
            """);

        Assert.Equal("10.0.0.1=true 256.1.1.1=false 1.2.3=false ::1=true fe80::/10=false 2001:db8::1:2:3:4:5=true "
            + "2001:db8:0:0:0:0:2:1=true ::ffff:192.0.2.1=true 1::2::3=false 12345::=false "
            + "proxy.example.com=true a_b=true -bad.example=false ok-=false =false", outcome.Result);
    }
}
