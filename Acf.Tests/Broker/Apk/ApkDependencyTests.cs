namespace Acf.Tests.Broker.Apk;

public sealed class ApkDependencyTests
{
    [Theory]
    [InlineData("busybox", "busybox", ApkVersionOp.Any, null, null, false)]
    [InlineData("so:libc.musl-x86_64.so.1", "so:libc.musl-x86_64.so.1", ApkVersionOp.Any, null, null, false)]
    [InlineData("cmd:sh=1.37.0-r18", "cmd:sh", ApkVersionOp.Equal, "1.37.0-r18", null, false)]
    [InlineData("nginx>=1.26", "nginx", ApkVersionOp.Greater | ApkVersionOp.Equal, "1.26", null, false)]
    [InlineData("openrc>0.13", "openrc", ApkVersionOp.Greater, "0.13", null, false)]
    [InlineData("foo<2", "foo", ApkVersionOp.Less, "2", null, false)]
    [InlineData("busybox~1.36", "busybox", ApkVersionOp.Fuzzy | ApkVersionOp.Equal, "1.36", null, false)]
    [InlineData("foo@testing", "foo", ApkVersionOp.Any, null, "testing", false)]
    [InlineData("foo@edge>=1.2", "foo", ApkVersionOp.Greater | ApkVersionOp.Equal, "1.2", "edge", false)]
    [InlineData("foo>=1.2@edge", "foo", ApkVersionOp.Greater | ApkVersionOp.Equal, "1.2", "edge", false)]
    [InlineData("!busybox-initscripts", "busybox-initscripts", ApkVersionOp.Any, null, null, true)]
    public void Parse_Word_SplitsNameOpVersionTag(string text, string name, ApkVersionOp op, string? version, string? tag, bool conflict)
    {
        var dep = ApkDependency.Parse(text);

        Assert.Equal(new ApkDependency(name, op, version, tag, conflict), dep);
    }

    [Theory]
    [InlineData("busybox")]
    [InlineData("nginx>=1.26")]
    [InlineData("busybox~1.36")]
    [InlineData("foo@testing")]
    [InlineData("!foo<2")]
    public void ToString_Parsed_WritesItBack(string text)
    {
        var dep = ApkDependency.Parse(text);

        var written = dep.ToString();

        Assert.Equal(text, written);
    }

    [Theory]
    [InlineData("busybox", "1.0", true)]
    [InlineData("busybox=1.37.0-r18", "1.37.0-r18", true)]
    [InlineData("busybox=1.37.0-r18", "1.37.0-r19", false)]
    [InlineData("busybox>=1.37.0-r19", "1.37.0-r19", true)]
    [InlineData("busybox>1.37.0-r19", "1.37.0-r19", false)]
    [InlineData("busybox<1.37", "1.36.1-r2", true)]
    [InlineData("busybox<=1.36.1-r2", "1.36.1-r2", true)]
    [InlineData("busybox~1.36", "1.36.1-r2", true)]
    [InlineData("busybox~1.36", "1.37.0-r18", false)]
    [InlineData("busybox>1", null, false)]
    public void AcceptsVersion_Constraint_MatchesAsApk(string text, string? version, bool accepted)
    {
        var dep = ApkDependency.Parse(text);

        var result = dep.AcceptsVersion(version);

        Assert.Equal(accepted, result);
    }
}
