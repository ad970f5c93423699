namespace Acf.Tests.Broker;

/// <summary>
/// Write-ahead, then change (issue 15): the records of a change are on disk before the file is touched, a record that
/// cannot be written leaves the file as it was (and no empty history version), and recovery at start removes Acf's own
/// stale temp files only and reports a broken audit chain.
/// </summary>
public sealed class WriteAheadTests : CapabilityProbeTests
{
    private static readonly BrokerCaller Caller = new("alice", "sys");

    public WriteAheadTests() : base("sys", """{ "write": [ "/etc/hostname", "/etc/app/" ] }""")
    {
        Host.WriteRootFile("/etc/hostname", "old\n");
        Directory.CreateDirectory(Host.RootPath("/etc/app"));
    }

    private new SystemBroker Broker => (SystemBroker)Host.ReadyBroker;

    private string HistoryFolder => Path.Combine(Host.DataPath, "history", "etc", "hostname");

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void WriteFile_JournalCannotBeWritten_FileUntouchedNoHistoryVersionAndSaysWhy()
    {
        _ = Broker;
        File.WriteAllText(Path.Combine(Host.DataPath, "intents"), "a file where the journal's folder belongs");

        var result = Broker.Send(Caller, new WriteFileRequest("/etc/hostname", Bytes("new\n")));

        Assert.False(result.Ok);
        Assert.Equal(BrokerErrorKind.Failed, result.Error!.Kind);
        Assert.Contains("was not written: the record of the change", result.Error.Message);
        Assert.Equal("old\n", Host.ReadRootFile("/etc/hostname"));
        Assert.False(Directory.Exists(HistoryFolder) && Directory.EnumerateFiles(HistoryFolder).Any());
        Assert.Empty(Directory.EnumerateFiles(Host.RootPath("/etc"), ".*.tmp"));
        Assert.DoesNotContain(Host.Audit.ReadAll(), e => e.Action == "write");
    }

    [Fact]
    public void RemoveFile_JournalCannotBeWritten_FileStays()
    {
        _ = Broker;
        File.WriteAllText(Path.Combine(Host.DataPath, "intents"), "blocked");

        var result = Broker.Send(Caller, new RemoveFileRequest("/etc/hostname"));

        Assert.False(result.Ok);
        Assert.Contains("was not removed", result.Error!.Message);
        Assert.Equal("old\n", Host.ReadRootFile("/etc/hostname"));
    }

    [Fact]
    public void WriteFile_AuditLogCannotBeWritten_OldContentPutBack()
    {
        _ = Broker;
        Directory.CreateDirectory(Path.Combine(Host.DataPath, "audit.log")); // appending to it fails as a full disk would

        var result = Broker.Send(Caller, new WriteFileRequest("/etc/hostname", Bytes("new\n")));

        Assert.False(result.Ok);
        Assert.Contains("the audit log cannot be written", result.Error!.Message);
        Assert.Equal("old\n", Host.ReadRootFile("/etc/hostname"));
        Assert.False(Directory.Exists(HistoryFolder) && Directory.EnumerateFiles(HistoryFolder).Any());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(Host.DataPath, "intents")));
    }

    [Fact]
    public void WriteFile_Success_HistoryAuditCarryTheIntentAndJournalIsEmpty()
    {
        var result = Broker.Send(Caller, new WriteFileRequest("/etc/hostname", Bytes("new\n")));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Equal("old\n", File.ReadAllText(Directory.EnumerateFiles(HistoryFolder).Single()));
        var entry = Host.Audit.ReadAll().Single(e => e.Action == "write");
        Assert.NotNull(entry.Intent);
        Assert.True(Host.Audit.HasIntent(entry.Intent!));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(Host.DataPath, "intents")));
    }

    [Fact]
    public void Recover_StaleTempFiles_RemovesOnlyAcfsOwnPattern()
    {
        var ours = Host.WriteRootFile($"/etc/app/.app.conf.acf-{Guid.NewGuid():N}.tmp", "secret config\n");
        var inHistory = Path.Combine(Host.DataPath, "history", $".x.acf-{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(Path.GetDirectoryName(inHistory)!);
        File.WriteAllText(inHistory, "x");
        var theirs = Host.WriteRootFile("/etc/app/.app.conf.swp.tmp", "an editor's file\n");
        var lookalike = Host.WriteRootFile("/etc/app/.app.conf.acf-notaguid.tmp", "not ours\n");

        var report = Broker.Recover();

        Assert.False(File.Exists(ours));
        Assert.False(File.Exists(inHistory));
        Assert.True(File.Exists(theirs));
        Assert.True(File.Exists(lookalike));
        Assert.Equal(2, report.TempFilesRemoved.Count);
        Assert.Contains(Host.Audit.ReadAll(), e => e.Action == "remove-temp");
    }

    [Fact]
    public void Recover_EditedAuditLine_ReportsBrokenChain()
    {
        Assert.True(Broker.Send(Caller, new WriteFileRequest("/etc/hostname", Bytes("new\n"))).Ok);
        var log = Path.Combine(Host.DataPath, "audit.log");
        File.WriteAllText(log, File.ReadAllText(log).Replace("alice", "mallory"));

        var report = Broker.Recover();

        Assert.False(report.Chain.Intact);
        Assert.Equal(1, report.Chain.FirstBad);
    }
}
