namespace Acf.Tests.Auth;

public sealed class RolesFileTests
{
    private static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(ModuleTestHost.RepositoryRoot, "Acf.Tests", "Fixtures", "roles", name));

    [Fact]
    public void ToText_Unchanged_SameBytes()
    {
        var text = Fixture("roles.before");

        var file = RolesFile.Parse(text);

        Assert.Equal(text, file.ToText());
    }

    [Fact]
    public void Set_ExistingAndNewRole_ChangesOnlyThoseLines()
    {
        var file = RolesFile.Parse(Fixture("roles.before"));

        file.Set("SQUIDVIEW", ["/squid/logs/view", "/squid/logs/stats"]);
        file.Set("AUDITOR", ["/alpine-conf/lbu/status"]);

        Assert.Equal(Fixture("roles.after"), file.ToText());
    }

    [Fact]
    public void Parse_BothSeparatorsAndUnreadableLines_ReadsRolesAsAcf()
    {
        var file = RolesFile.Parse(Fixture("roles.before"));

        Assert.Equal(["GUEST", "SQUIDVIEW", "OLD"], file.Roles.Select(r => r.Name));
        Assert.Equal(["/squid/logs/view", "/squid/status/view"], file.Find("SQUIDVIEW")!.Permissions);
    }

    [Theory]
    [InlineData("/squid/logs/view", "squid/logs/view")]
    [InlineData("squid/logs/view", "squid/logs/view")]
    [InlineData("/usr/share/acf/app/squid/logs/view", "squid/logs/view")]
    [InlineData("/squid/logs", null)]
    [InlineData("/squid/logs/../view", null)]
    [InlineData("/Squid/logs/view", null)]
    public void Normalize_AsAcfParsePathInfo(string permission, string? expected)
    {
        var normalized = RolesFile.Normalize(permission);

        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("bad name")]
    [InlineData("lower")]
    [InlineData("A:B")]
    [InlineData("A\nB")]
    [InlineData("")]
    public void Set_InvalidName_Throws(string name)
    {
        var file = RolesFile.Parse("");

        Assert.Throws<ArgumentException>(() => file.Set(name, []));
    }

    [Fact]
    public void Set_PermissionWithSeparator_Throws()
    {
        var file = RolesFile.Parse("");

        Assert.Throws<ArgumentException>(() => file.Set("X", ["/squid/logs/view,/alpine-conf/lbu/commit"]));
    }
}
