namespace Acf.Tests.Broker; // not Acf.Tests.System: that would shadow the System namespace for the whole test project

/// <summary>
/// The broker as the only door to the machine: capability checks, path form, symlinks resolved inside the root,
/// atomic writes that keep the mode, history, audit and conflict tags, and commands on the demo host.
/// </summary>
public sealed class SystemBrokerTests : IDisposable
{
    private const string Module = "sys";

    private static readonly BrokerCaller Caller = new("alice", Module);

    private readonly string _touchTarget = Path.Combine(Path.GetTempPath(), $"acf-broker-test-{Guid.NewGuid():N}");
    private readonly ModuleTestHost _host;

    public SystemBrokerTests()
    {
        _host = new ModuleTestHost(system: new SystemOptions { Mode = "demo", DemoReadOnlyCommands = [["cat"]] });
        _host.AddCapabilityProbe(Module, $$"""
            { "read": [ "/etc/app/", "/etc/hostname", "/etc/readable" ],
              "write": [ "/etc/app.conf", "/etc/app/", "/etc/hostname" ],
              "exec": [ [ "touch", "{{_touchTarget}}" ], [ "cat" ] ] }
            """);
        Directory.CreateDirectory(_host.RootPath("/etc/app"));
    }

    private ISystemBroker Broker => _host.ReadyBroker;

    private IReadOnlyList<AuditEntry> AuditEntries() => _host.Audit.ReadAll();

    private string HistoryFolder(string path) => Path.Combine(_host.DataPath, "history", path.TrimStart('/'));

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The root's /etc/shadow, with a secret the tests make sure no link lets out.</summary>
    private void WriteSecretShadow() => _host.WriteRootFile("/etc/shadow", "root:secret\n");

    /// <summary>Makes the file <paramref name="link"/> in the root a symbolic link to <paramref name="target"/>.</summary>
    private void LinkInRoot(string link, string target) => File.CreateSymbolicLink(_host.RootPath(link), target);

    public void Dispose()
    {
        _host.Dispose();
        if (File.Exists(_touchTarget)) File.Delete(_touchTarget);
    }

    [Fact]
    public void ReadFile_AllowedPath_ReturnsBytesAndTag()
    {
        _host.WriteRootFile("/etc/readable", "hello\n");

        var result = Broker.Send(Caller, new ReadFileRequest("/etc/readable"));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Equal("hello\n", Encoding.UTF8.GetString(result.Value!.Bytes));
        Assert.Equal(FileTags.Of(Bytes("hello\n")), result.Value.Tag);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(SystemBroker.MaxReadBytes)]
    public void ReadFile_UpToTheCap_ReturnsEveryByte(int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        File.WriteAllBytes(_host.RootPath("/etc/readable"), bytes);

        var result = Broker.Send(Caller, new ReadFileRequest("/etc/readable"));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Equal(bytes, result.Value!.Bytes);
    }

    [Fact]
    public void ReadFile_PastTheCap_RefusedSayingSo()
    {
        File.WriteAllBytes(_host.RootPath("/etc/readable"), new byte[SystemBroker.MaxReadBytes + 1]);

        var result = Broker.Send(Caller, new ReadFileRequest("/etc/readable"));

        Assert.False(result.Ok);
        Assert.Contains("/etc/readable is larger than 16 MiB", result.Error!.Message);
    }

    /// <summary>A file whose size is not known before it is read (a pipe here, like a /proc file) is read to its end.</summary>
    [Fact]
    public async Task ReadFile_SizeNotKnownAhead_ReadToTheEnd()
    {
        var fifo = _host.RootPath("/etc/readable");
        File.Delete(fifo);
        Assert.Equal(0, Mkfifo(fifo, Convert.ToUInt32("600", 8)));
        var text = string.Concat(Enumerable.Range(0, 5000).Select(i => $"line {i}\n"));
        var writer = Task.Run(() => File.WriteAllText(fifo, text));

        var result = Broker.Send(Caller, new ReadFileRequest("/etc/readable"));

        await writer;
        Assert.True(result.Ok, result.Error?.Message);
        Assert.Equal(text, Encoding.UTF8.GetString(result.Value!.Bytes));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int Mkfifo(string path, uint mode);

    [Fact]
    public void ReadFile_OutsideCapabilities_DeniedNamingCapability()
    {
        WriteSecretShadow();

        var result = Broker.Send(Caller, new ReadFileRequest("/etc/shadow"));

        Assert.False(result.Ok);
        Assert.Equal(BrokerErrorKind.Denied, result.Error!.Kind);
        Assert.Equal("Module 'sys' may not read /etc/shadow: no 'read' capability in its manifest covers it.", result.Error.Message);
    }

    [Fact]
    public void WriteFile_ReadOnlyCapability_DeniedNamingCapability()
    {
        _host.WriteRootFile("/etc/readable", "keep\n");

        var result = Broker.Send(Caller, new WriteFileRequest("/etc/readable", Bytes("changed\n")));

        Assert.Equal(BrokerErrorKind.Denied, result.Error!.Kind);
        Assert.Contains("may not write /etc/readable", result.Error.Message);
        Assert.Contains("no 'write' capability", result.Error.Message);
        Assert.Equal("keep\n", _host.ReadRootFile("/etc/readable"));
    }

    [Fact]
    public void ReadFile_FolderCapability_DoesNotCoverSiblingWithSamePrefix()
    {
        _host.WriteRootFile("/etc/appendix", "x\n");

        var result = Broker.Send(Caller, new ReadFileRequest("/etc/appendix"));

        Assert.Equal(BrokerErrorKind.Denied, result.Error!.Kind);
    }

    [Fact]
    public void ReadFile_UnknownModule_Denied()
    {
        _host.WriteRootFile("/etc/hostname", "box\n");

        var result = Broker.Send(new BrokerCaller("alice", "nosuch"), new ReadFileRequest("/etc/hostname"));

        Assert.Equal(BrokerErrorKind.Denied, result.Error!.Kind);
    }

    [Theory]
    [InlineData("/etc/app/../shadow", "contains '.' or '..'")]
    [InlineData("/etc/app/./x", "contains '.' or '..'")]
    [InlineData("/..", "contains '.' or '..'")]
    [InlineData("etc/hostname", "is not absolute")]
    [InlineData("../etc/hostname", "is not absolute")]
    [InlineData("", "empty or too long")]
    [InlineData("/etc/app/x\n", "control characters")]
    [InlineData("/etc/app/x\0y", "control characters")]
    [InlineData("/etc/app/\u007fx", "control characters")]
    public void ReadAndWrite_MalformedPath_RefusedAsInvalid(string path, string message)
    {
        WriteSecretShadow();

        var read = Broker.Send(Caller, new ReadFileRequest(path));
        var write = Broker.Send(Caller, new WriteFileRequest(path, Bytes("x")));

        Assert.Equal(BrokerErrorKind.Invalid, read.Error!.Kind);
        Assert.Contains(message, read.Error.Message);
        Assert.Equal(BrokerErrorKind.Invalid, write.Error!.Kind);
        Assert.Equal("root:secret\n", _host.ReadRootFile("/etc/shadow"));
    }

    [Fact]
    public void WriteFile_TooLongPath_RefusedAsInvalid()
    {
        var path = "/etc/app/" + new string('a', 5000);

        var result = Broker.Send(Caller, new WriteFileRequest(path, Bytes("x")));

        Assert.Equal(BrokerErrorKind.Invalid, result.Error!.Kind);
    }

    [Theory]
    [InlineData("/etc/shadow")]
    [InlineData("../shadow")]
    [InlineData("../../../../../../etc/shadow")]
    public void ReadFile_SymlinkInAllowedFolderLeavingIt_Denied(string target)
    {
        WriteSecretShadow();
        LinkInRoot("/etc/app/link", target);

        var result = Broker.Send(Caller, new ReadFileRequest("/etc/app/link"));

        Assert.Equal(BrokerErrorKind.Denied, result.Error!.Kind);
        Assert.Contains("/etc/app/link is a link to /etc/shadow", result.Error.Message);
    }

    [Fact]
    public void WriteFile_SymlinkInAllowedFolderToShadow_DeniedAndTargetUnchanged()
    {
        WriteSecretShadow();
        LinkInRoot("/etc/app/link", "/etc/shadow");

        var result = Broker.Send(Caller, new WriteFileRequest("/etc/app/link", Bytes("root::0:0\n")));

        Assert.Equal(BrokerErrorKind.Denied, result.Error!.Kind);
        Assert.Contains("/etc/shadow", result.Error.Message);
        Assert.Equal("root:secret\n", _host.ReadRootFile("/etc/shadow"));
        Assert.Equal("/etc/shadow", new FileInfo(_host.RootPath("/etc/app/link")).LinkTarget);
        Assert.Empty(AuditEntries());
    }

    [Fact]
    public void ReadFile_SymlinkedFolderInPath_CheckedOnCanonicalPath()
    {
        WriteSecretShadow();
        Directory.CreateSymbolicLink(_host.RootPath("/etc/app/up"), "/etc");

        var result = Broker.Send(Caller, new ReadFileRequest("/etc/app/up/shadow"));

        Assert.Equal(BrokerErrorKind.Denied, result.Error!.Kind);
        Assert.Contains("/etc/shadow", result.Error.Message);
    }

    [Fact]
    public void ReadFile_AbsoluteSymlinkTarget_ResolvedInsideRoot() => AssertLinkReadsRootsHostname("/etc/hostname");

    [Fact]
    public void ReadFile_RelativeSymlinkClimbingAboveRoot_StopsAtRoot() =>
        AssertLinkReadsRootsHostname("../../../../../../../../etc/hostname");

    /// <summary>/etc/app/name links to <paramref name="target"/>: reading it gives the root's /etc/hostname, never the
    /// machine's.</summary>
    private void AssertLinkReadsRootsHostname(string target)
    {
        var unique = $"root-copy-{Guid.NewGuid():N}\n";
        _host.WriteRootFile("/etc/hostname", unique);
        LinkInRoot("/etc/app/name", target);

        var result = Broker.Send(Caller, new ReadFileRequest("/etc/app/name"));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Equal(unique, Encoding.UTF8.GetString(result.Value!.Bytes));
    }

    [Fact]
    public void ReadFile_SymlinkLoop_RefusedNotHung()
    {
        LinkInRoot("/etc/app/a", "/etc/app/b");
        LinkInRoot("/etc/app/b", "/etc/app/a");

        var result = Broker.Send(Caller, new ReadFileRequest("/etc/app/a"));

        Assert.Equal(BrokerErrorKind.Invalid, result.Error!.Kind);
        Assert.Contains("Too many symlinks", result.Error.Message);
    }

    [Fact]
    public void WriteFile_SymlinkToAllowedFile_WritesTargetAndKeepsLink()
    {
        _host.WriteRootFile("/etc/hostname", "old\n");
        LinkInRoot("/etc/app/name", "/etc/hostname");

        var result = Broker.Send(Caller, new WriteFileRequest("/etc/app/name", Bytes("new\n")));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Equal("new\n", _host.ReadRootFile("/etc/hostname"));
        Assert.Equal("/etc/hostname", new FileInfo(_host.RootPath("/etc/app/name")).LinkTarget);
    }

    [Fact]
    public void WriteFile_ExistingFile_ReplacesAndKeepsMode()
    {
        var file = _host.WriteRootFile("/etc/app.conf", "old content\n");
        const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(file, mode);

        var result = Broker.Send(Caller, new WriteFileRequest("/etc/app.conf", Bytes("new content\n")));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.True(result.Value!.Changed);
        Assert.Equal("new content\n", _host.ReadRootFile("/etc/app.conf"));
        Assert.Equal(mode, File.GetUnixFileMode(file));
        Assert.Equal(FileTags.Of(Bytes("new content\n")), result.Value.Tag);
    }

    [Fact]
    public void WriteFile_ExistingFile_ReplacedByRenameNotRewrittenInPlace()
    {
        var file = _host.WriteRootFile("/etc/app.conf", "old content\n");
        using var reader = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        Broker.Send(Caller, new WriteFileRequest("/etc/app.conf", Bytes("new content\n")));

        using var text = new StreamReader(reader);
        Assert.Equal("old content\n", text.ReadToEnd()); // a reader of the old file never sees a half-written one
        Assert.Equal("new content\n", _host.ReadRootFile("/etc/app.conf"));
    }

    [Fact]
    public void WriteFile_Success_LeavesNoTempFiles()
    {
        _host.WriteRootFile("/etc/app/one.conf", "a\n");

        Broker.Send(Caller, new WriteFileRequest("/etc/app/one.conf", Bytes("b\n")));
        Broker.Send(Caller, new WriteFileRequest("/etc/app/two.conf", Bytes("c\n")));

        Assert.Equal(["one.conf", "two.conf"],
            Directory.GetFileSystemEntries(_host.RootPath("/etc/app")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void WriteFile_NewFile_CreatedWithDefaultModeAndNoHistory()
    {
        var result = Broker.Send(Caller, new WriteFileRequest("/etc/app/new.conf", Bytes("fresh\n"), FileTags.Absent));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Equal(0, result.Value!.SizeBefore);
        Assert.Equal("fresh\n", _host.ReadRootFile("/etc/app/new.conf"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(_host.RootPath("/etc/app/new.conf")));
        Assert.False(Directory.Exists(HistoryFolder("/etc/app/new.conf")));
    }

    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public void WriteFile_NewFileWithMode0600_CreatedPrivate()
    {
        var result = Broker.Send(Caller, new WriteFileRequest("/etc/app/key.pem", Bytes("secret\n"), FileTags.Absent, Mode: 0b110_000_000));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Equal(Private, File.GetUnixFileMode(_host.RootPath("/etc/app/key.pem")));
    }

    [Fact]
    public void WriteFile_ExistingReadableFileWithMode0600_ReplacedPrivateAndItsHistoryCopyStaysReadableAsBefore()
    {
        var path = _host.WriteRootFile("/etc/app/key.pem", "old\n");
        File.SetUnixFileMode(path, Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = Broker.Send(Caller, new WriteFileRequest("/etc/app/key.pem", Bytes("new\n"), Mode: 0b110_000_000));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Equal(Private, File.GetUnixFileMode(path));
        Assert.Equal("new\n", _host.ReadRootFile("/etc/app/key.pem"));
    }

    [Fact]
    public void WriteFile_PrivateFileReplaced_HistoryCopyIsPrivateToo()
    {
        var path = _host.WriteRootFile("/etc/app/key.pem", "old key\n");
        File.SetUnixFileMode(path, Private);

        Broker.Send(Caller, new WriteFileRequest("/etc/app/key.pem", Bytes("new key\n")));

        var copy = Assert.Single(Directory.GetFiles(HistoryFolder("/etc/app/key.pem")));
        Assert.Equal("old key\n", File.ReadAllText(copy));
        Assert.Equal(Private, File.GetUnixFileMode(copy));
        Assert.Equal(Private, File.GetUnixFileMode(path));
    }

    [Fact]
    public void WriteFile_SameBytesWithMode0600_ModeFixedUnchangedAndAudited()
    {
        var path = _host.WriteRootFile("/etc/app/key.pem", "secret\n");
        File.SetUnixFileMode(path, Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = Broker.Send(Caller, new WriteFileRequest("/etc/app/key.pem", Bytes("secret\n"), Mode: 0b110_000_000));

        Assert.False(result.Value!.Changed);
        Assert.Equal(Private, File.GetUnixFileMode(path));
        Assert.Contains(AuditEntries(), e => e.Action == "chmod" && e.Target == "/etc/app/key.pem" && e.Detail == "600");
    }

    [Theory]
    [InlineData(0b100_111_101_101)] // setuid 4755
    [InlineData(-1)]
    public void WriteFile_ModeBeyondPermissionBits_InvalidAndNothingWritten(int mode)
    {
        var result = Broker.Send(Caller, new WriteFileRequest("/etc/app/tool", Bytes("x"), Mode: mode));

        Assert.Equal(BrokerErrorKind.Invalid, result.Error!.Kind);
        Assert.False(File.Exists(_host.RootPath("/etc/app/tool")));
    }

    [Fact]
    public void WriteFile_MissingFolder_NotFoundAndNothingCreated()
    {
        var result = Broker.Send(Caller, new WriteFileRequest("/etc/app/sub/x.conf", Bytes("x")));

        Assert.Equal(BrokerErrorKind.NotFound, result.Error!.Kind);
        Assert.False(Directory.Exists(_host.RootPath("/etc/app/sub")));
    }

    [Fact]
    public void WriteFile_ExistingFile_KeepsPreviousVersionInHistory()
    {
        _host.WriteRootFile("/etc/hostname", "old-box\n");

        Broker.Send(Caller, new WriteFileRequest("/etc/hostname", Bytes("new-box\n")));

        var versions = Directory.GetFiles(HistoryFolder("/etc/hostname"));
        var previous = Assert.Single(versions);
        Assert.Equal("old-box\n", File.ReadAllText(previous));
    }

    [Fact]
    public void WriteFile_TwoChanges_HistoryHoldsBothPreviousVersionsInOrder()
    {
        _host.WriteRootFile("/etc/hostname", "first\n");

        Broker.Send(Caller, new WriteFileRequest("/etc/hostname", Bytes("second\n")));
        Broker.Send(Caller, new WriteFileRequest("/etc/hostname", Bytes("third\n")));

        var versions = Directory.GetFiles(HistoryFolder("/etc/hostname")).Order(StringComparer.Ordinal).Select(File.ReadAllText);
        Assert.Equal(["first\n", "second\n"], versions);
    }

    [Fact]
    public void WriteFile_Change_AppendsOneAuditLine()
    {
        _host.WriteRootFile("/etc/hostname", "old-box\n");

        Broker.Send(Caller, new WriteFileRequest("/etc/hostname", Bytes("a-longer-name\n")));

        var lines = File.ReadAllLines(Path.Combine(_host.DataPath, "audit.log"));
        var line = Assert.Single(lines);
        using var json = JsonDocument.Parse(line);
        var entry = json.RootElement;
        Assert.Equal("alice", entry.GetProperty("user").GetString());
        Assert.Equal("sys", entry.GetProperty("module").GetString());
        Assert.Equal("write", entry.GetProperty("action").GetString());
        Assert.Equal("/etc/hostname", entry.GetProperty("target").GetString());
        Assert.Equal(8, entry.GetProperty("sizeBefore").GetInt64());
        Assert.Equal(14, entry.GetProperty("sizeAfter").GetInt64());
    }

    [Fact]
    public void WriteFile_ThroughSymlink_AuditsCanonicalPath()
    {
        _host.WriteRootFile("/etc/hostname", "old\n");
        LinkInRoot("/etc/app/name", "/etc/hostname");

        Broker.Send(Caller, new WriteFileRequest("/etc/app/name", Bytes("new\n")));

        var entry = Assert.Single(AuditEntries());
        Assert.Equal("/etc/hostname", entry.Target);
        Assert.True(Directory.Exists(HistoryFolder("/etc/hostname")));
    }

    [Fact]
    public void WriteFile_StaleTag_ConflictAndFileUnchanged()
    {
        _host.WriteRootFile("/etc/hostname", "first\n");
        var tag = Broker.Send(Caller, new ReadFileRequest("/etc/hostname")).Value!.Tag;
        _host.WriteRootFile("/etc/hostname", "changed elsewhere\n");

        var result = Broker.Send(Caller, new WriteFileRequest("/etc/hostname", Bytes("mine\n"), tag));

        Assert.Equal(BrokerErrorKind.Conflict, result.Error!.Kind);
        Assert.Contains("changed since it was read", result.Error.Message);
        Assert.Equal("changed elsewhere\n", _host.ReadRootFile("/etc/hostname"));
        Assert.Empty(AuditEntries());
        Assert.False(Directory.Exists(HistoryFolder("/etc/hostname")));
    }

    [Fact]
    public void WriteFile_MatchingTag_Written()
    {
        _host.WriteRootFile("/etc/hostname", "first\n");
        var tag = Broker.Send(Caller, new ReadFileRequest("/etc/hostname")).Value!.Tag;

        var result = Broker.Send(Caller, new WriteFileRequest("/etc/hostname", Bytes("mine\n"), tag));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Equal("mine\n", _host.ReadRootFile("/etc/hostname"));
    }

    [Fact]
    public void WriteFile_ExpectAbsentButFileExists_Conflict()
    {
        _host.WriteRootFile("/etc/app/x.conf", "someone was first\n");

        var result = Broker.Send(Caller, new WriteFileRequest("/etc/app/x.conf", Bytes("mine\n"), FileTags.Absent));

        Assert.Equal(BrokerErrorKind.Conflict, result.Error!.Kind);
        Assert.Equal("someone was first\n", _host.ReadRootFile("/etc/app/x.conf"));
    }

    [Fact]
    public void WriteFile_IdenticalContent_ChangesNothing()
    {
        var file = _host.WriteRootFile("/etc/hostname", "same\n");
        var before = File.GetLastWriteTimeUtc(file);

        var result = Broker.Send(Caller, new WriteFileRequest("/etc/hostname", Bytes("same\n")));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.False(result.Value!.Changed);
        Assert.Equal(before, File.GetLastWriteTimeUtc(file));
        Assert.False(Directory.Exists(HistoryFolder("/etc/hostname")));
        Assert.False(File.Exists(Path.Combine(_host.DataPath, "audit.log")));
    }

    [Fact]
    public void Exec_UndeclaredCommand_Denied()
    {
        var result = Broker.Send(Caller, new ExecRequest(["rm", "-rf", "/"]));

        Assert.Equal(BrokerErrorKind.Denied, result.Error!.Kind);
        Assert.Contains("no exec capability", result.Error.Message);
        Assert.Empty(AuditEntries());
    }

    [Fact]
    public void Exec_DeclaredPrefixWithDifferentArgument_Denied()
    {
        var result = Broker.Send(Caller, new ExecRequest(["touch", "/tmp/other"]));

        Assert.Equal(BrokerErrorKind.Denied, result.Error!.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("to\0uch")]
    public void Exec_MalformedWord_Invalid(string word)
    {
        var result = Broker.Send(Caller, new ExecRequest([word]));

        Assert.Equal(BrokerErrorKind.Invalid, result.Error!.Kind);
    }

    [Fact]
    public void Exec_DeclaredCommandOnDemo_SimulatedAndNotRun()
    {
        var result = Broker.Send(Caller, new ExecRequest(["touch", _touchTarget]));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Equal(0, result.Value!.Status);
        Assert.True(result.Value.Simulated);
        Assert.False(File.Exists(_touchTarget));
        Assert.False(File.Exists(_host.RootPath(_touchTarget)));
        var entry = Assert.Single(AuditEntries());
        Assert.Equal("exec-simulated", entry.Action);
        Assert.Equal($"touch {_touchTarget}", entry.Target);
        Assert.Equal("alice", entry.User);
    }

    [Fact]
    public void Exec_SimulatedCommandWithRecordedOutput_PrintsTheRecording()
    {
        var name = DemoSystemBroker.RecordedOutputName(["touch", _touchTarget]);
        _host.WriteRootFile(DemoSystemBroker.RecordedOutputFolder + "/" + name, "recorded\n");

        var recorded = Broker.Send(Caller, new ExecRequest(["touch", _touchTarget]));

        Assert.True(recorded.Value!.Simulated);
        Assert.Equal("recorded\n", recorded.Value.Stdout);
        Assert.False(File.Exists(_touchTarget));
        Assert.Equal("touch_" + _touchTarget.Replace('/', '_') + ".out", name);
    }

    [Fact]
    public void Exec_DemoReadOnlyCommand_RunsWithPathsInsideRoot()
    {
        var unique = $"root-copy-{Guid.NewGuid():N}\n";
        _host.WriteRootFile("/etc/hostname", unique);

        var result = Broker.Send(Caller, new ExecRequest(["cat", "/etc/hostname"]));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.False(result.Value!.Simulated);
        Assert.Equal(0, result.Value.Status);
        Assert.Equal(unique, result.Value.Stdout);
        var entry = Assert.Single(AuditEntries());
        Assert.Equal("exec", entry.Action);
        Assert.Equal("cat /etc/hostname", entry.Target);
    }

    [Theory]
    [InlineData("/etc/../etc/hostname")]
    [InlineData("../../../../../../../etc/hostname")]
    [InlineData("etc/../../../../etc/hostname")]
    [InlineData("--file=/etc/../etc/hostname")]
    public void Exec_DemoReadOnlyCommandWithEscapingPath_IsRefusedAndNotRun(string argument)
    {
        var result = Broker.Send(Caller, new ExecRequest(["cat", argument]));

        Assert.False(result.Ok);
        Assert.Equal(BrokerErrorKind.Invalid, result.Error!.Kind);
        Assert.Empty(AuditEntries());
    }

    [Fact]
    public void Exec_DemoReadOnlyCommandAfterDoubleDash_ReadsRootFile()
    {
        var unique = $"option-copy-{Guid.NewGuid():N}";
        _host.WriteRootFile("/etc/hostname", unique);

        var result = Broker.Send(Caller, new ExecRequest(["cat", "--", "/etc/hostname"]));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Equal(unique, result.Value!.Stdout);
    }

    [Fact]
    public void Exec_DemoReadOnlyCommandWithStdin_PassesInput()
    {
        var result = Broker.Send(Caller, new ExecRequest(["cat"], Stdin: "from stdin"));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Equal("from stdin", result.Value!.Stdout);
    }

    [Fact]
    public async Task AcfExec_ThroughLua_SimulatedResultReachesModule()
    {
        _host.AddModule("luaexec", $$"""
            { "title": "Exec from Lua", "roles": { "ADMIN": [ "ctl/run", "ctl/denied" ] },
              "capabilities": { "exec": [ [ "touch", "{{_touchTarget}}" ] ] } }
            """, ("ctl", $$"""
            local M = {}
            function M.run()
              local r = acf.exec({ "touch", "{{_touchTarget}}" })
              return { type = "text", value = r.status .. "|" .. r.stdout .. "|" .. tostring(r.timed_out) }
            end
            function M.denied()
              acf.exec({ "reboot" })
              return { type = "text" }
            end
            return M
            """));

        var run = await _host.RunAsync(ModuleTestHost.Admin, "luaexec", "ctl", "run");
        var denied = await _host.RunAsync(ModuleTestHost.Admin, "luaexec", "ctl", "denied");

        Assert.Equal(RunStatus.Ok, run.Status);
        Assert.Equal("0||false", run.Entity!.Text);
        Assert.False(File.Exists(_touchTarget));
        Assert.Equal(RunStatus.Failed, denied.Status);
        Assert.Contains("may not run 'reboot'", denied.Error);
    }

    [Fact]
    public async Task AcfFsWrite_ThroughLua_WritesAuditsAsSignedInUser()
    {
        _host.WriteRootFile("/etc/hostname", "old\n");
        _host.AddModule("luawrite", """
            { "title": "Write from Lua", "roles": { "ADMIN": [ "ctl/run" ] },
              "capabilities": { "write": [ "/etc/hostname" ] } }
            """, ("ctl", """
            local M = {}
            function M.run()
              local text, tag = acf.fs.read("/etc/hostname")
              local changed, new_tag = acf.fs.write("/etc/hostname", text:upper(), tag)
              return { type = "text", value = tostring(changed) .. "|" .. tostring(new_tag ~= tag) }
            end
            return M
            """));

        var result = await _host.RunAsync(ModuleTestHost.Admin, "luawrite", "ctl", "run");

        Assert.Equal(RunStatus.Ok, result.Status);
        Assert.Equal("true|true", result.Entity!.Text);
        Assert.Equal("OLD\n", _host.ReadRootFile("/etc/hostname"));
        var entry = Assert.Single(AuditEntries());
        Assert.Equal("root", entry.User);
        Assert.Equal("luawrite", entry.Module);
    }

    [Fact]
    public void ListDirectory_AllowedFolder_ListsEntriesSorted()
    {
        _host.WriteRootFile("/etc/app/b.conf", "bb");
        _host.WriteRootFile("/etc/app/a.conf", "a");
        LinkInRoot("/etc/app/link", "/etc/shadow");

        var result = Broker.Send(Caller, new ListDirectoryRequest("/etc/app"));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Equal(
            [new DirectoryEntry("a.conf", FileKind.File, 1), new DirectoryEntry("b.conf", FileKind.File, 2),
             new DirectoryEntry("link", FileKind.Symlink, 0)],
            result.Value!);
    }

    [Fact]
    public void ListDirectory_FolderNotGranted_Denied()
    {
        var result = Broker.Send(Caller, new ListDirectoryRequest("/root"));

        Assert.Equal(BrokerErrorKind.Denied, result.Error!.Kind);
        Assert.Contains("no 'read' capability", result.Error.Message);
    }

    [Fact]
    public void Stat_AllowedFile_ReportsSizeAndMode()
    {
        var file = _host.WriteRootFile("/etc/hostname", "12345\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        var result = Broker.Send(Caller, new StatRequest("/etc/hostname"));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.True(result.Value!.Exists);
        Assert.Equal(FileKind.File, result.Value.Kind);
        Assert.Equal(6, result.Value.Size);
        Assert.Equal(Convert.ToInt32("640", 8), result.Value.Mode);
    }

    [Fact]
    public void Stat_MissingAllowedFile_ReportsAbsent()
    {
        var result = Broker.Send(Caller, new StatRequest("/etc/app/none"));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.False(result.Value!.Exists);
    }

    [Fact]
    public void RemoveFile_AllowedFile_RemovedKeptInHistoryAndAudited()
    {
        _host.WriteRootFile("/etc/app/old.conf", "old\n");

        var result = Broker.Send(Caller, new RemoveFileRequest("/etc/app/old.conf"));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.True(result.Value!.Changed);
        Assert.False(File.Exists(_host.RootPath("/etc/app/old.conf")));
        Assert.Equal("old\n", File.ReadAllText(Assert.Single(Directory.GetFiles(HistoryFolder("/etc/app/old.conf")))));
        Assert.Contains(AuditEntries(), e => e.Action == "remove" && e.Target == "/etc/app/old.conf");
    }

    [Fact]
    public void RemoveFile_ReadOnlyOrOutside_DeniedAndKept()
    {
        _host.WriteRootFile("/etc/readable", "x");

        var result = Broker.Send(Caller, new RemoveFileRequest("/etc/readable"));

        Assert.Equal(BrokerErrorKind.Denied, result.Error!.Kind);
        Assert.True(File.Exists(_host.RootPath("/etc/readable")));
    }

    [Fact]
    public void RemoveFile_StaleTag_ConflictAndKept()
    {
        _host.WriteRootFile("/etc/app/x.conf", "now");

        var result = Broker.Send(Caller, new RemoveFileRequest("/etc/app/x.conf", FileTags.Of(Bytes("before"))));

        Assert.Equal(BrokerErrorKind.Conflict, result.Error!.Kind);
        Assert.True(File.Exists(_host.RootPath("/etc/app/x.conf")));
    }
}
