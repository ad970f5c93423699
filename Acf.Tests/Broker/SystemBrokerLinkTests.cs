namespace Acf.Tests.Broker;

/// <summary>
/// Symbolic links through the broker (what <c>awall enable</c> makes): the link and its target within the write
/// capability (the target also under the manifest's linkTargets), never over a real file, atomic, audited, and the
/// previous target handed back for a rollback.
/// </summary>
public sealed class SystemBrokerLinkTests : IDisposable
{
    private const string Module = "links";

    private static readonly BrokerCaller Caller = new("alice", Module);

    private readonly ModuleTestHost _host = new();

    public SystemBrokerLinkTests()
    {
        _host.AddCapabilityProbe(Module, """
            { "read": [ "/etc/readable" ], "write": [ "/etc/pol/" ], "linkTargets": [ "/usr/share/zoneinfo/" ] }
            """);
        _host.WriteRootFile("/etc/pol/optional/a.json", "{}");
        _host.WriteRootFile("/etc/pol/optional/b.json", "{ \"b\": 1 }");
        _host.WriteRootFile("/etc/readable", "root:secret");
        _host.WriteRootFile("/usr/share/zoneinfo/Europe/Berlin", "TZif");
        _host.WriteRootFile("/usr/share/zoneinfo-old/Europe/Berlin", "TZif");
        File.CreateSymbolicLink(_host.RootPath("/usr/share/zoneinfo/Secret"), "/etc/readable");
    }

    private ISystemBroker Broker => _host.ReadyBroker;

    private string? TargetOf(string path) => new FileInfo(_host.RootPath(path)).LinkTarget;

    public void Dispose() => _host.Dispose();

    [Fact]
    public void Link_ToFileWithinWriteCapability_MakesLinkAndAudits()
    {
        var result = Broker.Send(Caller, new LinkRequest("/etc/pol/a.json", "optional/a.json"));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Equal(new LinkResult("/etc/pol/a.json", null, true), result.Value);
        Assert.Equal("optional/a.json", TargetOf("/etc/pol/a.json"));
        Assert.Contains(_host.Audit.ReadAll(), e => e.Action == "link" && e.Target == "/etc/pol/a.json" && e.User == "alice");
        Assert.Empty(Directory.GetFiles(_host.RootPath("/etc/pol"), "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Link_Replaced_AnswersThePreviousTarget()
    {
        Broker.Send(Caller, new LinkRequest("/etc/pol/a.json", "optional/a.json"));

        var result = Broker.Send(Caller, new LinkRequest("/etc/pol/a.json", "/etc/pol/optional/b.json"));

        Assert.Equal(new LinkResult("/etc/pol/a.json", "optional/a.json", true), result.Value);
        Assert.Equal("/etc/pol/optional/b.json", TargetOf("/etc/pol/a.json"));
    }

    [Fact]
    public void Link_SameTargetAgain_NothingChangesOrIsAudited()
    {
        Broker.Send(Caller, new LinkRequest("/etc/pol/a.json", "optional/a.json"));
        var entries = _host.Audit.ReadAll().Count;

        var result = Broker.Send(Caller, new LinkRequest("/etc/pol/a.json", "optional/a.json"));

        Assert.False(result.Value!.Changed);
        Assert.Equal(entries, _host.Audit.ReadAll().Count);
    }

    [Fact]
    public void Link_NullTarget_RemovesOnlyTheLink()
    {
        Broker.Send(Caller, new LinkRequest("/etc/pol/a.json", "optional/a.json"));

        var result = Broker.Send(Caller, new LinkRequest("/etc/pol/a.json", null));

        Assert.Equal(new LinkResult("/etc/pol/a.json", "optional/a.json", true), result.Value);
        Assert.False(File.Exists(_host.RootPath("/etc/pol/a.json")));
        Assert.True(File.Exists(_host.RootPath("/etc/pol/optional/a.json")));
        Assert.Contains(_host.Audit.ReadAll(), e => e.Action == "unlink" && e.Target == "/etc/pol/a.json");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("optional/a.json")]
    public void Link_OverARealFile_FailsAndKeepsTheFile(string? target)
    {
        _host.WriteRootFile("/etc/pol/c.json", "mandatory");

        var result = Broker.Send(Caller, new LinkRequest("/etc/pol/c.json", target));

        Assert.Equal(BrokerErrorKind.Failed, result.Error!.Kind);
        Assert.Equal("mandatory", Encoding.UTF8.GetString(File.ReadAllBytes(_host.RootPath("/etc/pol/c.json"))));
    }

    [Theory]
    [InlineData("/etc/readable")] // readable by the module, but a link would let a root tool read it as a policy
    [InlineData("/etc/shadow")]
    public void Link_TargetOutsideWriteCapability_Denied(string target)
    {
        var result = Broker.Send(Caller, new LinkRequest("/etc/pol/a.json", target));

        Assert.Equal(BrokerErrorKind.Denied, result.Error!.Kind);
        Assert.Null(TargetOf("/etc/pol/a.json"));
    }

    [Theory]
    [InlineData("../readable")]
    [InlineData("optional/./a.json")]
    [InlineData("optional/a.json\n")]
    [InlineData("")]
    public void Link_MalformedTarget_Invalid(string target)
    {
        var result = Broker.Send(Caller, new LinkRequest("/etc/pol/a.json", target));

        Assert.Equal(BrokerErrorKind.Invalid, result.Error!.Kind);
        Assert.Null(TargetOf("/etc/pol/a.json"));
    }

    [Fact]
    public void Link_TargetMissing_NotFound()
    {
        var result = Broker.Send(Caller, new LinkRequest("/etc/pol/a.json", "optional/none.json"));

        Assert.Equal(BrokerErrorKind.NotFound, result.Error!.Kind);
    }

    [Fact]
    public void Link_PathOutsideWriteCapability_Denied()
    {
        var result = Broker.Send(Caller, new LinkRequest("/etc/other.json", "/etc/pol/optional/a.json"));

        Assert.Equal(BrokerErrorKind.Denied, result.Error!.Kind);
        Assert.False(File.Exists(_host.RootPath("/etc/other.json")));
    }

    [Fact]
    public void Link_ToADeclaredLinkTarget_Made()
    {
        var result = Broker.Send(Caller, new LinkRequest("/etc/pol/localtime", "/usr/share/zoneinfo/Europe/Berlin"));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Equal("/usr/share/zoneinfo/Europe/Berlin", TargetOf("/etc/pol/localtime"));
    }

    [Theory]
    [InlineData("/usr/share/zoneinfo-old/Europe/Berlin")] // beside the declared folder, not in it
    [InlineData("/usr/share/zoneinfo/Secret")] // in it, but a link out of it to a file the module may not write
    public void Link_OutsideTheDeclaredLinkTargets_Denied(string target)
    {
        var result = Broker.Send(Caller, new LinkRequest("/etc/pol/localtime", target));

        Assert.Equal(BrokerErrorKind.Denied, result.Error!.Kind);
        Assert.Null(TargetOf("/etc/pol/localtime"));
    }
}
