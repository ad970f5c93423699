namespace Acf.Tests.Broker;

/// <summary>
/// Making folders through the broker (a share's folder): every folder made lies within the write capability, a
/// symlink cannot lead the new folder outside it, nothing is made on a refusal, and each folder made is audited.
/// </summary>
public sealed class SystemBrokerFolderTests : CapabilityProbeTests
{
    private const string Module = "folders";

    private static readonly BrokerCaller Caller = new("alice", Module);

    public SystemBrokerFolderTests() : base(Module, """{ "write": [ "/srv/share/" ] }""")
    {
        Directory.CreateDirectory(Host.RootPath("/srv/share"));
        Directory.CreateDirectory(Host.RootPath("/etc"));
    }

    [Fact]
    public void MakeDirectory_WithinCapability_MakesEachMissingFolderWithTheModeAndAuditsIt()
    {
        var result = Broker.Send(Caller, new MakeDirectoryRequest("/srv/share/office/2026", 0b111_111_000));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Equal(["/srv/share/office", "/srv/share/office/2026"], result.Value!.Created);
        Assert.True(Directory.Exists(Host.RootPath("/srv/share/office/2026")));
        Assert.Equal((UnixFileMode)0b111_111_000, File.GetUnixFileMode(Host.RootPath("/srv/share/office/2026")) & (UnixFileMode)0x1ff);
        Assert.Equal(["/srv/share/office", "/srv/share/office/2026"],
            Host.Audit.ReadAll().Where(e => e.Action == "mkdir" && e.User == "alice").Select(e => e.Target));
    }

    [Fact]
    public void MakeDirectory_Existing_NoChangeNoAudit()
    {
        Directory.CreateDirectory(Host.RootPath("/srv/share/public"));

        var result = Broker.Send(Caller, new MakeDirectoryRequest("/srv/share/public"));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Empty(result.Value!.Created);
        Assert.DoesNotContain(Host.Audit.ReadAll(), e => e.Action == "mkdir");
    }

    [Theory]
    [InlineData("/srv/other")]
    [InlineData("/srv/share/../other")]
    [InlineData("/etc/evil")]
    public void MakeDirectory_OutsideCapability_RefusedAndNothingMade(string path)
    {
        var result = Broker.Send(Caller, new MakeDirectoryRequest(path));

        Assert.False(result.Ok);
        Assert.False(Directory.Exists(Host.RootPath("/srv/other")));
        Assert.False(Directory.Exists(Host.RootPath("/etc/evil")));
    }

    [Fact]
    public void MakeDirectory_ThroughALinkOutOfTheCapability_Refused()
    {
        File.CreateSymbolicLink(Host.RootPath("/srv/share/etc"), "../../etc");

        var result = Broker.Send(Caller, new MakeDirectoryRequest("/srv/share/etc/evil"));

        Assert.False(result.Ok);
        Assert.Equal(BrokerErrorKind.Denied, result.Error!.Kind);
        Assert.False(Directory.Exists(Host.RootPath("/etc/evil")));
    }

    [Fact]
    public void MakeDirectory_FolderAboveTheCapabilityMissing_RefusedAndNothingMade()
    {
        Directory.Delete(Host.RootPath("/srv"), recursive: true);

        var result = Broker.Send(Caller, new MakeDirectoryRequest("/srv/share/office"));

        Assert.False(result.Ok);
        Assert.Equal(BrokerErrorKind.Denied, result.Error!.Kind);
        Assert.False(Directory.Exists(Host.RootPath("/srv")));
    }

    [Fact]
    public void MakeDirectory_TheCapabilityFolderItselfMissing_Made()
    {
        Directory.Delete(Host.RootPath("/srv/share"));

        var result = Broker.Send(Caller, new MakeDirectoryRequest("/srv/share/office"));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Equal(["/srv/share", "/srv/share/office"], result.Value!.Created);
    }

    [Fact]
    public void MakeDirectory_ModeBeyondPermissionBits_Refused()
    {
        var result = Broker.Send(Caller, new MakeDirectoryRequest("/srv/share/office", 0b100_111_101_101));

        Assert.False(result.Ok);
        Assert.False(Directory.Exists(Host.RootPath("/srv/share/office")));
    }
}
