namespace Acf.Tests.Broker.Lbu;

/// <summary>fnmatch for one path component, as apk and the shell match protected paths and archive names.</summary>
public sealed class GlobTests
{
    [Theory]
    [InlineData("etc", "etc", true)]
    [InlineData("etc", "etcx", false)]
    [InlineData("*", ".ssh", true)] // no FNM_PERIOD
    [InlineData("ca-cert-*.pem", "ca-cert-ISRG_Root_X1.pem", true)]
    [InlineData("ca-cert-*.pem", "ca-cert-x.crt", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("[a-c]*", "bird", true)]
    [InlineData("[!a-c]*", "bird", false)]
    [InlineData("[^a-c]*", "dhcp", true)]
    [InlineData("[]]", "]", true)]
    [InlineData("[ab", "[ab", true)] // an unclosed bracket is literal
    [InlineData("a\\*", "a*", true)]
    [InlineData("a\\*", "ab", false)]
    [InlineData("*.[0-9][0-9]*[0-9][0-9].tar.gz*", "alpine.20240102030405.tar.gz", true)]
    [InlineData("*.[0-9][0-9]*[0-9][0-9].tar.gz*", "alpine.20240102030405.tar.gz.aes-256-cbc", true)]
    [InlineData("*.[0-9][0-9]*[0-9][0-9].tar.gz*", "alpine.apkovl.tar.gz", false)]
    [InlineData("**x", "abx", true)]
    public void Match_Pattern_AsFnmatch(string pattern, string name, bool expected)
    {
        var matched = Glob.Match(pattern, name);

        Assert.Equal(expected, matched);
    }
}
