namespace Acf.Tests.Broker.Apk;

/// <summary>A query picks its part of the available packages where the index is: the newest version of each name,
/// filtered and paged, or every version of one name; the broker refuses a query that is not one.</summary>
public sealed class ApkQueryTests : IDisposable
{
    private readonly ApkTestRoot _root = new();

    public void Dispose() => _root.Dispose();

    private static string Names(ApkListing listing) => string.Join(", ", listing.Packages.Select(p => $"{p.Name} {p.Version}"));

    [Theory]
    [InlineData("", 0, 1000, 6, "alpine-baselayout-data 3.7.0-r0, busybox 1.37.0-r19, foo 2.1-r1, foo-doc 2.1-r1, libfoo 1.2.0-r0, musl 1.2.5-r10")]
    [InlineData("", 1, 2, 6, "busybox 1.37.0-r19, foo 2.1-r1")]
    [InlineData("FOO", 0, 1000, 3, "foo 2.1-r1, foo-doc 2.1-r1, libfoo 1.2.0-r0")]
    [InlineData("foo", 3, 1000, 3, "")]
    public void Select_Filter_NewestOfEachNameThatMatches(string filter, int offset, int limit, int total, string names)
    {
        var listing = new ApkQuery(Filter: filter, Offset: offset, Limit: limit).Select(_root.Demo().ReadState().Available);

        Assert.Equal(total, listing.Total);
        Assert.Equal(names, Names(listing));
    }

    [Fact]
    public void Select_Name_EveryVersionNewestFirst()
    {
        var listing = new ApkQuery(Name: "busybox").Select(_root.Demo().ReadState().Available);

        Assert.Equal(2, listing.Total);
        Assert.Equal("busybox 1.37.0-r19, busybox 1.37.0-r18", Names(listing));
    }

    [Fact]
    public void Select_FilterMatchesOnlyAnOlderVersion_ThePackageIsNotListed()
    {
        var newer = Package("tool", "2.0-r0", "a tool");
        var older = Package("tool", "1.0-r0", "the old gadget");

        var listing = new ApkQuery(Filter: "gadget").Select([newer, older]);

        Assert.Equal(0, listing.Total);
    }

    [Theory]
    [InlineData(-1, 10, "", "the offset must be 0 or more")]
    [InlineData(0, 0, "", "the limit must be 1 to 1000")]
    [InlineData(0, 1001, "", "the limit must be 1 to 1000")]
    [InlineData(0, 10, "a\nb", "the name and the filter may not hold control characters")]
    public void Broker_InvalidQuery_IsRefused(int offset, int limit, string filter, string problem)
    {
        using var host = ModuleTestHost.Demo();

        var result = host.ReadyBroker.Send(new BrokerCaller("root", "apk-tools"), new ReadPackagesRequest(ApkList.Available, new ApkQuery(Filter: filter, Offset: offset, Limit: limit)));

        Assert.False(result.Ok);
        Assert.Equal(BrokerErrorKind.Invalid, result.Error!.Kind);
        Assert.Equal("apk: " + problem, result.Error.Message);
    }

    private static ApkPackage Package(string name, string version, string description) =>
        new(name, version, "x86_64", 0, 0, description, "", "", "", "", [], [], null);
}
