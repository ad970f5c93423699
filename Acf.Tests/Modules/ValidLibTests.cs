namespace Acf.Tests.Modules;

/// <summary>
/// The shared checks of <c>modules-lua/lib/valid.lua</c> that modules once each wrote again (ports in squid, openssh,
/// wireguard, dnsmasq and awall; address prefixes in routes, awall and opennhrp), run in the sandbox.
/// </summary>
public class ValidLibTests
{
    private const string Manifest = """{ "title": "valid probe", "roles": { "GUEST": [ "ctl/run" ] } }""";

    /// <summary>Each text of <paramref name="texts"/> as "text=answer", the answer of <c>valid.FUNCTION(text)</c>.</summary>
    private static async Task<string> AnswersAsync(string function, params string[] texts)
    {
        using var host = new ModuleTestHost();
        var list = string.Join(", ", texts.Select(t => $"\"{t}\""));
        host.AddModule("mod", Manifest, ("ctl", $$"""
            local valid = require("valid")
            return { run = function()
              local out = {}
              for _, text in ipairs{ {{list}} } do out[#out + 1] = text .. "=" .. tostring((valid.{{function}}(text))) end
              return { type = "text", value = table.concat(out, " ") }
            end }
            """));
        return (await host.RunOkAsync(ModuleTestHost.Guest, "mod", "ctl", "run")).Text!;
    }

    [Fact]
    public async Task Port_OneTo65535DigitsOnly()
    {
        Assert.Equal("22=22 1=1 65535=65535 0=nil 65536=nil 8080x=nil =nil  22=nil -1=nil 99999999999999999999=nil",
            await AnswersAsync("port", "22", "1", "65535", "0", "65536", "8080x", "", " 22", "-1", "99999999999999999999"));
    }

    [Fact]
    public async Task IsPortRange_APortOrLowNotAboveHigh()
    {
        Assert.Equal("80=true 1025-65535=true 8000-8000=true 8010-8000=false 0-10=false 1-65536=false 80-=false -80=false a-b=false",
            await AnswersAsync("is_port_range", "80", "1025-65535", "8000-8000", "8010-8000", "0-10", "1-65536", "80-", "-80", "a-b"));
    }

    [Fact]
    public async Task IsPrefix_AddressOrNetworkOfItsFamily()
    {
        Assert.Equal("10.0.0.1=true 10.0.0.0/8=true 10.0.0.0/33=false 2001:db8::/32=true 2001:db8::/129=false fe80::1/64=true "
            + "10.0.0.0/=false 10.0.0.0/8/8=false example.com=false",
            await AnswersAsync("is_prefix", "10.0.0.1", "10.0.0.0/8", "10.0.0.0/33", "2001:db8::/32", "2001:db8::/129",
                "fe80::1/64", "10.0.0.0/", "10.0.0.0/8/8", "example.com"));
    }

    [Fact]
    public async Task IsInterface_OneToFifteenOfLettersDigitsDotUnderscoreDashNotDotsOnly()
    {
        Assert.Equal("eth0=true eth0.10=true br-lan=true gre_1=true abcdefghijklmno=true abcdefghijklmnop=false =false "
            + ".=false ..=false .x=true eth0;reboot=false eth 0=false wlan*=false",
            await AnswersAsync("is_interface", "eth0", "eth0.10", "br-lan", "gre_1", "abcdefghijklmno", "abcdefghijklmnop", "",
                ".", "..", ".x", "eth0;reboot", "eth 0", "wlan*"));
    }
}
