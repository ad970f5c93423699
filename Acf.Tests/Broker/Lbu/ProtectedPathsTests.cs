namespace Acf.Tests.Broker.Lbu;

/// <summary>apk's protected paths as lbu sees them: built-in rules, the four symbols, deepest rule wins, the last
/// rule at the same depth wins, globs, and the .list files read in name order.</summary>
public sealed class ProtectedPathsTests : IDisposable
{
    private readonly LbuTestRoot _root = new();

    public void Dispose() => _root.Dispose();

    private static ProtectedPaths With(string rules) =>
        ProtectedPaths.FromLines(ProtectedPaths.BuiltIn.Concat(rules.Length == 0 ? [] : rules.Split('|')));

    [Theory]
    [InlineData("", "etc/hostname", "Changed")]
    [InlineData("", "etc/network/interfaces", "Changed")]
    [InlineData("", "etc/init.d/sshd", "SymlinksOnly")]
    [InlineData("", "etc/apk/world", "All")]
    [InlineData("", "etc/apk/keys/alpine.rsa.pub", "All")]
    [InlineData("", "root/.ssh/authorized_keys", "None")]
    [InlineData("", "usr/bin/lbu", "None")]
    [InlineData("+etc", "hostname", "None")] // files right under / are never protected
    [InlineData("+root/.ssh", "root/.ssh/authorized_keys", "Changed")]
    [InlineData("+root/.ssh", "root/.profile", "None")]
    [InlineData("root/.ssh", "root/.ssh/authorized_keys", "Changed")] // no symbol means +
    [InlineData("+/usr/local/bin/", "usr/local/bin/backup.sh", "Changed")] // slashes trimmed
    [InlineData("#+root/.ssh", "root/.ssh/authorized_keys", "None")]
    [InlineData("-etc/motd", "etc/motd", "None")]
    [InlineData("-etc/motd", "etc/motd.d/welcome", "Changed")]
    [InlineData("-etc/ssl", "etc/ssl/private/key.pem", "None")]
    [InlineData("-etc/ssl|+etc/ssl/private", "etc/ssl/private/key.pem", "Changed")]
    [InlineData("+etc/ssl/private|-etc/ssl", "etc/ssl/private/key.pem", "Changed")] // deeper wins in any order
    [InlineData("+etc/ssl/private|-etc/ssl", "etc/ssl/openssl.cnf", "None")]
    [InlineData("-etc", "etc/apk/world", "All")] // !etc/apk is deeper than -etc
    [InlineData("-etc", "etc/hostname", "None")] // -etc comes after the built-in +etc
    [InlineData("+etc/foo|-etc/foo", "etc/foo", "None")] // same depth: the last one read
    [InlineData("-etc/foo|+etc/foo", "etc/foo", "Changed")]
    [InlineData("-etc/ssl/certs/ca-cert-*.pem", "etc/ssl/certs/ca-cert-Foo_Root.pem", "None")]
    [InlineData("-etc/ssl/certs/ca-cert-*.pem", "etc/ssl/certs/local.pem", "Changed")]
    [InlineData("+home/*/.ssh", "home/alice/.ssh/id_ed25519", "Changed")]
    [InlineData("+home/*/.ssh", "home/alice/.profile", "None")]
    [InlineData("@etc/conf.d", "etc/conf.d/sshd", "SymlinksOnly")]
    [InlineData("!etc/shadow", "etc/shadow", "All")]
    [InlineData("+var/lib/[a-c]*", "var/lib/bird/state", "Changed")]
    [InlineData("+var/lib/[!a-c]*", "var/lib/bird/state", "None")]
    public void ModeOfFile_Rules_ModeAsApkDecides(string rules, string path, string expected)
    {
        var paths = With(rules);

        var mode = paths.ModeOfFile(path);

        Assert.Equal(Enum.Parse<ProtectMode>(expected), mode);
    }

    [Fact]
    public void ModeOfDirectory_InitD_SymlinksOnly()
    {
        var paths = With("");

        var mode = paths.ModeOfDirectory("etc/init.d");

        Assert.Equal(ProtectMode.SymlinksOnly, mode);
    }

    [Theory]
    [InlineData("+etc/foo", "Changed", "etc/foo")]
    [InlineData("-etc/foo/", "None", "etc/foo")]
    [InlineData("@//etc/init.d", "SymlinksOnly", "etc/init.d")]
    [InlineData("!etc/apk", "All", "etc/apk")]
    [InlineData("etc/bar", "Changed", "etc/bar")]
    public void ParseLine_Symbols_ModeAndTrimmedPattern(string line, string mode, string pattern)
    {
        var rule = ProtectedPaths.ParseLine(line);

        Assert.Equal((Enum.Parse<ProtectMode>(mode), pattern), (rule!.Mode, rule.Pattern));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# a comment")]
    public void ParseLine_EmptyOrComment_Null(string line)
    {
        var rule = ProtectedPaths.ParseLine(line);

        Assert.Null(rule);
    }

    [Theory]
    [InlineData("a.list", "b.list", "None")]
    [InlineData("b.list", "a.list", "Changed")]
    public void Load_ListFiles_ReadInNameOrderAfterBuiltIns(string includeFile, string excludeFile, string expected)
    {
        _root.Write(ProtectedPaths.ListFolder + "/" + includeFile, "+opt/app\n");
        _root.Write(ProtectedPaths.ListFolder + "/" + excludeFile, "# managed by hand\n-opt/app\n");
        _root.Write(ProtectedPaths.ListFolder + "/ignored.txt", "!opt/app\n");

        var paths = ProtectedPaths.Load(_root.Root);

        Assert.Equal(Enum.Parse<ProtectMode>(expected), paths.ModeOfFile("opt/app/app.conf"));
        Assert.Equal(ProtectedPaths.BuiltIn.Count + 2, paths.Rules.Count);
    }
}
