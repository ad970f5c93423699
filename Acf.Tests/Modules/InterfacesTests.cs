namespace Acf.Tests.Modules;

/// <summary>
/// interfaces.lua and resolvconf.lua, the lossless models of /etc/network/interfaces and /etc/resolv.conf, run in the
/// sandbox through <see cref="LuaModelProbe"/> with <c>interfaces</c> and <c>resolvconf</c> in scope. Fixture pairs
/// (<c>edits/NAME.before</c>, <c>NAME.lua</c>, <c>NAME.after</c>) are compared byte for byte.
/// </summary>
public class InterfacesTests() : LuaModelTests("interfaces", "resolvconf")
{
    private static readonly ModuleFixtureFiles Files = new("alpine-baselayout", "interfaces");

    private static byte[] Fixture(string name) => Files.Bytes(name);

    public static TheoryData<string> RoundTripCases() => new()
    {
        "auto lo\niface lo inet loopback\n",
        "auto lo\r\niface lo inet loopback\r\n\r\nauto eth0\r\niface eth0 inet dhcp\r\n",
        "auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet dhcp", // no final newline
        "\n\n# only comments  \n\t\n",
        "",
        "iface eth0 inet static\naddress 10.0.0.1\n  \t netmask   255.0.0.0  \nweird line \\\n  continued\nüñí\n",
    };

    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public Task Text_OddFiles_RoundTripByteForByte(string text) => AssertRoundTripAsync(text);

    [Theory]
    [InlineData("alpine-default.interfaces", 2)]
    [InlineData("router.interfaces", 7)]
    public async Task Text_RealisticFile_RoundTripsAndLists(string fixture, int stanzas)
    {
        var bytes = Fixture(fixture);

        var outcome = await RunAsync(bytes, "local m = interfaces.parse(text) return m, #m:list()");

        Assert.Equal(bytes, outcome.Output);
        Assert.Equal(stanzas.ToString(), outcome.Result);
    }

    [Fact]
    public async Task List_Router_GivesStanzasOptionsAutoAndSources()
    {
        var outcome = await RunAsync(Fixture("router.interfaces"), """
            local m = interfaces.parse(text)
            local parts = {}
            for _, s in ipairs(m:list()) do
              local keys = {}
              for _, o in ipairs(s.options) do keys[#keys + 1] = o.key .. "=" .. o.value end
              parts[#parts + 1] = s.name .. "/" .. s.family .. "/" .. s.method .. "/" .. tostring(s.auto) .. "[" .. table.concat(keys, ";") .. "]"
            end
            for _, src in ipairs(m:sources()) do parts[#parts + 1] = src.kind .. ":" .. src.path end
            parts[#parts + 1] = tostring(m:get("eth1", "inet6").options[2].value)
            parts[#parts + 1] = tostring(m:get("eth1", "ipx"))
            return m, table.concat(parts, "\n")
            """);

        Assert.Equal("""
            lo/inet/loopback/true[]
            eth0/inet/dhcp/true[hostname=edge;udhcpc_opts=-O search]
            eth1/inet/static/true[address=192.168.10.1;netmask=255.255.255.0;mtu=1500;up=ip route add 10.99.0.0/16 via 192.168.10.254;up=ip route add 10.98.0.0/16 via 192.168.10.254;post-down=ip route del 10.99.0.0/16]
            eth1/inet6/static/true[address=2001:db8:10::1/64;dns-nameservers=2001:db8::53 2001:db8::54]
            eth1.20/inet/static/true[vlan-raw-device=eth1;address=192.168.20.1/24]
            br0/inet/static/true[bridge-ports=eth2 eth3;bridge-stp=off;address=172.16.0.1/24]
            gre1/inet/static/true[tunnel-mode=gre;tunnel-dev=eth0;tunnel-local=198.51.100.2;tunnel-remote=203.0.113.9;tunnel-ttl=64;address=10.255.0.1;netmask=255.255.255.252;mtu=1400;pre-up=modprobe ip_gre]
            source:/etc/network/interfaces.d/*
            source-directory:/etc/network/extra.d
            2001:db8::53 2001:db8::54
            nil
            """.ReplaceLineEndings("\n"), outcome.Result);
    }

    [Fact]
    public async Task Set_SameValues_ChangesNothing()
    {
        var bytes = Fixture("router.interfaces");

        var outcome = await RunAsync(bytes, """
            local m = interfaces.parse(text)
            local changed = false
            for _, s in ipairs(m:list()) do
              changed = assert(m:set(s.name, s.family, s.method, s.options, s.auto) ~= nil) and (m:text() ~= text) or changed
            end
            return m, tostring(changed)
            """);

        Assert.Equal("false", outcome.Result);
        Assert.Equal(bytes, outcome.Output);
    }

    public static TheoryData<string> EditCases() => Files.EditCases();

    [Theory]
    [MemberData(nameof(EditCases))]
    public Task Edit_FixtureCase_ProducesExpectedFile(string name)
        => Files.AssertEditAsync(name, async (before, code) => (await RunAsync(before, code)).Output);

    public static TheoryData<string, string, string> RefusedOptions => new()
    {
        { "address", "10.0.0.1\niface evil inet dhcp", "Line breaks" },
        { "address", "10.0.0.1\rx", "Line breaks" },
        { "up", "echo\u0001", "Control characters" },
        { "up", "echo\u001bx", "Control characters" },
        { "up", "", "needs a value" },
        { "up", "   ", "needs a value" },
        { "up", "echo \\", "cannot end with" },
        { "bad key", "x", "not an option name" },
        { "key\n", "x", "not an option name" },
        { "iface", "eth9 inet dhcp", "starts a new stanza" },
        { "auto", "eth9", "starts a new stanza" },
        { "allow-hotplug", "eth9", "starts a new stanza" },
    };

    [Theory]
    [MemberData(nameof(RefusedOptions))]
    public async Task Set_RefusedOption_ChangesNothing(string key, string value, string message)
    {
        var bytes = Fixture("alpine-default.interfaces");
        var code = "local m = interfaces.parse(text)\n"
            + "local ok, why = m:set(\"eth0\", \"inet\", \"static\", { { key = " + Lua(key) + ", value = " + Lua(value) + " } }, true)\n"
            + "local ok2, why2 = interfaces.check_option(" + Lua(key) + ", " + Lua(value) + ")\n"
            + "return m, tostring(ok) .. \"|\" .. tostring(ok2) .. \"|\" .. why .. \"|\" .. tostring(why == why2)";

        var outcome = await RunAsync(bytes, code);

        Assert.StartsWith("nil|nil|", outcome.Result);
        Assert.Contains(message, outcome.Result);
        Assert.EndsWith("|true", outcome.Result);
        Assert.Equal(bytes, outcome.Output);
    }

    [Theory]
    [InlineData("eth0\nauto", "inet", "static")]
    [InlineData("eth0", "inet x", "static")]
    [InlineData("eth0", "inet", "static\r")]
    public async Task Set_BadStanzaWords_ChangesNothing(string name, string family, string method)
    {
        var bytes = Fixture("alpine-default.interfaces");

        var outcome = await RunAsync(bytes, $"local m = interfaces.parse(text) local ok, why = m:set({Lua(name)}, {Lua(family)}, {Lua(method)}, {{}}, true) return m, tostring(ok) .. tostring(why)");

        Assert.StartsWith("nil", outcome.Result);
        Assert.Equal(bytes, outcome.Output);
    }

    [Fact]
    public async Task Resolv_Get_ReadsServersSearchAndOptions()
    {
        var outcome = await RunAsync("# c\nnameserver 10.0.0.1\n; other\nsearch a.example b.example\nnameserver ::1\noptions rotate\n", """
            local c = resolvconf.parse(text)
            local r = c:get()
            return c, table.concat(r.nameservers, ",") .. "|" .. table.concat(r.search, ",") .. "|" .. table.concat(r.options, ",")
            """);

        Assert.Equal("10.0.0.1,::1|a.example,b.example|rotate", outcome.Result);
    }

    [Fact]
    public async Task Resolv_Refused_ChangesNothing()
    {
        const string text = "nameserver 10.0.0.1\n";

        var outcome = await RunAsync(text, """
            local c = resolvconf.parse(text)
            local a = c:set_nameservers({ "10.0.0.2\nnameserver 6.6.6.6" })
            local b = c:set_search({ "a b" })
            return c, tostring(a) .. tostring(b)
            """);

        Assert.Equal("nilnil", outcome.Result);
        Assert.Equal(text, Encoding.UTF8.GetString(outcome.Output));
    }

    private static string Lua(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when c < 32 || c == 127 => $"\\{(int)c:D3}",
                _ => c.ToString(),
            });
        return builder.Append('"').ToString();
    }
}
