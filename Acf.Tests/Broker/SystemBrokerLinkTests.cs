namespace Acf.Tests.Broker;

/// <summary>
/// Symbolic links through the broker (what <c>awall enable</c> makes): the link and its target within the write
/// capability (the target also under the manifest's linkTargets), never over a real file, atomic, audited, and the
/// previous target handed back for a rollback.
/// </summary>
public sealed class SystemBrokerLinkTests : CapabilityProbeTests
{
    private const string Module = "links";

    private static readonly BrokerCaller Caller = new("alice", Module);

    public SystemBrokerLinkTests() : base(Module, """
        { "read": [ "/etc/readable" ], "write": [ "/etc/pol/" ], "linkTargets": [ "/usr/share/zoneinfo/" ] }
        """)
    {
        Host.WriteRootFile("/etc/pol/optional/a.json", "{}");
        Host.WriteRootFile("/etc/pol/optional/b.json", "{ \"b\": 1 }");
        Host.WriteRootFile("/etc/readable", "root:secret");
        Host.WriteRootFile("/usr/share/zoneinfo/Europe/Berlin", "TZif");
        Host.WriteRootFile("/usr/share/zoneinfo-old/Europe/Berlin", "TZif");
        File.CreateSymbolicLink(Host.RootPath("/usr/share/zoneinfo/Secret"), "/etc/readable");
    }

    private string? TargetOf(string path) => new FileInfo(Host.RootPath(path)).LinkTarget;

    [Fact]
    public void Link_ToFileWithinWriteCapability_MakesLinkAndAudits()
    {
        var result = Broker.Send(Caller, new LinkRequest("/etc/pol/a.json", "optional/a.json"));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Equal(new LinkResult("/etc/pol/a.json", null, true), result.Value);
        Assert.Equal("optional/a.json", TargetOf("/etc/pol/a.json"));
        Assert.Contains(Host.Audit.ReadAll(), e => e.Action == "link" && e.Target == "/etc/pol/a.json" && e.User == "alice");
        Assert.Empty(Directory.GetFiles(Host.RootPath("/etc/pol"), "*.tmp", SearchOption.AllDirectories));
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
        var entries = Host.Audit.ReadAll().Count;

        var result = Broker.Send(Caller, new LinkRequest("/etc/pol/a.json", "optional/a.json"));

        Assert.False(result.Value!.Changed);
        Assert.Equal(entries, Host.Audit.ReadAll().Count);
    }

    [Fact]
    public void Link_NullTarget_RemovesOnlyTheLink()
    {
        Broker.Send(Caller, new LinkRequest("/etc/pol/a.json", "optional/a.json"));

        var result = Broker.Send(Caller, new LinkRequest("/etc/pol/a.json", null));

        Assert.Equal(new LinkResult("/etc/pol/a.json", "optional/a.json", true), result.Value);
        Assert.False(File.Exists(Host.RootPath("/etc/pol/a.json")));
        Assert.True(File.Exists(Host.RootPath("/etc/pol/optional/a.json")));
        Assert.Contains(Host.Audit.ReadAll(), e => e.Action == "unlink" && e.Target == "/etc/pol/a.json");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("optional/a.json")]
    public void Link_OverARealFile_FailsAndKeepsTheFile(string? target)
    {
        Host.WriteRootFile("/etc/pol/c.json", "mandatory");

        var result = Broker.Send(Caller, new LinkRequest("/etc/pol/c.json", target));

        Assert.Equal(BrokerErrorKind.Failed, result.Error!.Kind);
        Assert.Equal("mandatory", Encoding.UTF8.GetString(File.ReadAllBytes(Host.RootPath("/etc/pol/c.json"))));
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
        Assert.False(File.Exists(Host.RootPath("/etc/other.json")));
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
