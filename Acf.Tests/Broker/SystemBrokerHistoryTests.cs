namespace Acf.Tests.Broker;

/// <summary>Kept versions: listed, read and restored through the broker, within the manifests' write capabilities.</summary>
public sealed class SystemBrokerHistoryTests : CapabilityProbeTests
{
    private static readonly BrokerCaller Module = new("alice", "sys");
    private static readonly BrokerCaller HostCaller = new("root", ModuleCatalog.Host.Prefix, "192.0.2.9", "history/restore");

    public SystemBrokerHistoryTests() : base("sys", """{ "read": [ "/etc/hostname" ], "write": [ "/etc/hostname" ] }""")
    {
        Host.WriteRootFile("/etc/hostname", "first\n");
        Host.WriteRootFile("/etc/shadow", "root:secret\n");
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private void Save(string text) => Assert.True(Broker.Send(Module, new WriteFileRequest("/etc/hostname", Bytes(text))).Ok);

    private string CurrentTag => Broker.Send(HostCaller, new VersionRequest("/etc/hostname", null)).Value!.Tag;

    [Fact]
    public void ListHistory_TwoSaves_NewestFirstWithHashes()
    {
        Save("second\n");
        Save("third\n");

        var versions = Broker.Send(HostCaller, new HistoryRequest("/etc/hostname")).Value!;

        Assert.Equal(2, versions.Count);
        Assert.Equal(SystemBroker.Sha256(Bytes("second\n")), versions[0].Sha256);
        Assert.Equal(SystemBroker.Sha256(Bytes("first\n")), versions[1].Sha256);
        Assert.True(versions[0].Replaced >= versions[1].Replaced);
    }

    [Fact]
    public void RestoreFile_HostCaller_PutsVersionBackAndAuditsRestore()
    {
        Save("second\n");
        var oldest = Broker.Send(HostCaller, new HistoryRequest("/etc/hostname")).Value!.Single();

        var result = Broker.Send(HostCaller, new RestoreFileRequest("/etc/hostname", oldest.Version, CurrentTag));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Equal("first\n", Host.ReadRootFile("/etc/hostname"));
        var entry = Host.Audit.ReadAll()[^1];
        Assert.Equal(("restore", "root", "192.0.2.9", "history/restore"), (entry.Action, entry.User, entry.Client, entry.Request));
        Assert.Equal(new AuditFile("/etc/hostname", SystemBroker.Sha256(Bytes("second\n")), oldest.Sha256), Assert.Single(entry.Files!));
        Assert.Equal(2, Broker.Send(HostCaller, new HistoryRequest("/etc/hostname")).Value!.Count);
        Assert.True(Host.Audit.Verify().Intact);
    }

    [Fact]
    public void RestoreFile_FileChangedSinceShown_ConflictAndUnchanged()
    {
        Save("second\n");
        var version = Broker.Send(HostCaller, new HistoryRequest("/etc/hostname")).Value!.Single().Version;
        var shown = CurrentTag;
        Save("third\n");

        var result = Broker.Send(HostCaller, new RestoreFileRequest("/etc/hostname", version, shown));

        Assert.Equal(BrokerErrorKind.Conflict, result.Error!.Kind);
        Assert.Equal("third\n", Host.ReadRootFile("/etc/hostname"));
    }

    [Fact]
    public void RestoreFile_FileNoModuleMayWrite_DeniedEvenWithPlantedHistory()
    {
        var planted = Path.Combine(Host.DataPath, "history", "etc", "shadow");
        Directory.CreateDirectory(planted);
        File.WriteAllText(Path.Combine(planted, "20260101T0000000000000Z"), "root::0:0\n");

        var result = Broker.Send(HostCaller, new RestoreFileRequest("/etc/shadow", "20260101T0000000000000Z", "absent"));

        Assert.Equal(BrokerErrorKind.Denied, result.Error!.Kind);
        Assert.Equal("root:secret\n", Host.ReadRootFile("/etc/shadow"));
        Assert.False(Broker.Send(HostCaller, new HistoryRequest("/etc/shadow")).Ok);
    }

    [Theory]
    [InlineData("../../../etc/shadow")]
    [InlineData("20260101T0000000000000Z/../x")]
    [InlineData("")]
    public void ReadVersion_MalformedVersionName_NotFound(string version)
    {
        Save("second\n");

        var result = Broker.Send(HostCaller, new VersionRequest("/etc/hostname", version));

        Assert.Equal(BrokerErrorKind.NotFound, result.Error!.Kind);
    }

    [Fact]
    public void ReadVersion_ModuleCaller_OnlyItsOwnFiles()
    {
        var result = Broker.Send(Module, new VersionRequest("/etc/shadow", null));

        Assert.Equal(BrokerErrorKind.Denied, result.Error!.Kind);
    }
}
