using Acf.Modules.Apply;

namespace Acf.Tests.Modules;

/// <summary>
/// The pages' history and audit log through the runner side (issue 16 item 7): typed host requests to the broker, so
/// that they work when the broker is a process of its own; for admins only, and never a module's to ask.
/// </summary>
public sealed class HostActionsTests : IDisposable
{
    private static readonly BrokerCaller Module = new("alice", "sys", "192.0.2.7", "ctl/run");

    /// <summary>Every host request, made as a module would; a new one must be added here (the last test checks).</summary>
    private static readonly BrokerRequest[] HostRequests =
    [
        new HistoryFilesRequest(), new AuditQueryRequest(new AuditQuery(), 0, 10), new AuditVerifyRequest(),
        new AuditAppendsRequest(), new AuditEventRequest(AuthEvent.Login), new StatFilesRequest(["/etc/acf/passwd"]),
        new WatchHostFilesRequest(["/etc/acf/passwd"], -1),
    ];

    private readonly ModuleTestHost _host = new();
    private readonly BrokerSpy _spy = new();
    private readonly ISystemBroker _broker;
    private readonly HostActions _actions;

    public HostActionsTests()
    {
        _host.AddCapabilityProbe("sys", """{ "read": [ "/etc/hostname" ], "write": [ "/etc/hostname" ] }""");
        _host.WriteRootFile("/etc/hostname", "first\n");
        _broker = _spy.Around(_host.ReadyBroker);
        _actions = new HostActions(_broker);
    }

    public void Dispose() => _host.Dispose();

    [Fact]
    public void HistoryAndAudit_Admin_ReadThroughTheBroker()
    {
        Assert.True(_host.ReadyBroker.Send(Module, new WriteFileRequest("/etc/hostname", Encoding.UTF8.GetBytes("second\n"))).Ok);

        var files = _actions.HistoryFiles(ModuleTestHost.Admin);
        var versions = _actions.FileHistory(ModuleTestHost.Admin, "/etc/hostname");
        var page = _actions.AuditQuery(ModuleTestHost.Admin, new AuditQuery(Text: "/etc/hostname"), 0, 50);
        var chain = _actions.VerifyAudit(ModuleTestHost.Admin);

        Assert.Equal(["/etc/hostname"], files.Value);
        Assert.Equal("first\n", Encoding.UTF8.GetString(_actions.FileVersion(ModuleTestHost.Admin, "/etc/hostname", Assert.Single(versions.Value!).Version).Value!.Bytes));
        var entry = Assert.Single(page.Value!.Entries);
        Assert.Equal(("alice", "sys", "write"), (entry.User, entry.Module, entry.Action));
        Assert.True(chain.Value!.Intact, chain.Value.Message);
        Assert.Contains(_spy.Requests, r => r is HistoryFilesRequest);
        Assert.Contains(_spy.Requests, r => r is AuditQueryRequest);
        Assert.Contains(_spy.Requests, r => r is AuditVerifyRequest);
    }

    [Fact]
    public void VerifyAudit_Admin_TellsTheLayoutsBannerWhatItFound()
    {
        // The banner's status is no page's to set (its setter is internal): the check itself brings it up to date.
        var chain = new AuditChainStatus();
        var actions = new HostActions(_broker, chain: chain);
        File.AppendAllText(_host.Audit.Path, "{\"not\": \"a chained entry\"}\n");

        var denied = actions.VerifyAudit(ModuleTestHost.Editor);
        var untouched = chain.Last;
        var verified = actions.VerifyAudit(ModuleTestHost.Admin);

        Assert.False(denied.Ok);
        Assert.Null(untouched);
        Assert.False(verified.Value!.Intact);
        Assert.Same(verified.Value, chain.Last);
        Assert.True(chain.Broken);
        Assert.False(typeof(AuditChainStatus).GetProperty(nameof(AuditChainStatus.Last))!.SetMethod!.IsPublic);
    }

    [Fact]
    public void HistoryAndAudit_NotAdmin_DeniedWithoutAskingTheBroker()
    {
        var editor = ModuleTestHost.Editor;

        BrokerError?[] errors =
        [
            _actions.HistoryFiles(editor).Error, _actions.FileHistory(editor, "/etc/hostname").Error,
            _actions.FileVersion(editor, "/etc/hostname", null).Error,
            _actions.RestoreVersion(editor, "/etc/hostname", "20261206T000000000000Z", FileTags.Absent).Error,
            _actions.AuditQuery(editor, new AuditQuery(), 0, 50).Error, _actions.VerifyAudit(null).Error,
        ];

        Assert.All(errors, e => Assert.Equal(BrokerErrorKind.Denied, e?.Kind));
        Assert.Empty(_spy.Requests);
    }

    [Fact]
    public void HostRequests_FromAModule_RefusedByTheBroker()
    {
        foreach (var request in HostRequests)
        {
            var answer = request.Relay(_host.ReadyBroker, Module, null);

            var error = ErrorOf(answer);
            Assert.True(error?.Kind == BrokerErrorKind.Denied, $"{BrokerRequest.WireName(request)} from a module: {error?.Kind} {error?.Message}");
        }
        Assert.DoesNotContain(_host.Audit.ReadAll(), e => e.Action == "login");
    }

    [Fact]
    public void Answer_WorkerSendsAHostRequest_IsAProtocolViolation()
    {
        var context = new BrokerCallContext(_broker, Module, _host.Catalog, null);

        foreach (var request in HostRequests)
        {
            using var frame = WorkerFrame.Read(new MemoryStream(WorkerFrame.Encode(WorkerFrame.Call, BrokerRequest.WireName(request), request)))!;

            Assert.Throws<WorkerProtocolException>(() => BrokerDispatch.Answer(context, frame));
        }
        Assert.Empty(_spy.Requests);
    }

    [Fact]
    public void HostRequests_ListsEveryRecordMarkedForTheHost()
    {
        var marked = typeof(BrokerRequest).Assembly.GetTypes().Where(t => !t.IsAbstract && typeof(IHostRequest).IsAssignableFrom(t));

        Assert.Equal(marked.Select(t => t.Name).Order(), HostRequests.Select(r => r.GetType().Name).Order());
    }

    [Fact]
    public void SettleApply_OnlyWhoAppliedItOrAnAdmin_AndOnlyTheChangeNamed()
    {
        var actions = new HostActions(_host.ReadyBroker, _host.Guard);
        Apply("editor");
        var shown = actions.PendingApply!.Id;

        var byOther = actions.SettleApply(ModuleTestHost.User, keep: false);
        var kept = actions.SettleApply(ModuleTestHost.Editor, keep: true, shown);
        Apply("editor");
        var staleKeep = actions.SettleApply(ModuleTestHost.Editor, keep: true, shown);
        var stillWaiting = actions.PendingApply;
        var rolledBack = actions.SettleApply(ModuleTestHost.Admin, keep: false);

        Assert.Equal(SettleOutcome.Forbidden, byOther);
        Assert.Equal(SettleOutcome.Kept, kept);
        // A page still showing the first change cannot keep the second one unseen.
        Assert.Equal(SettleOutcome.NothingWaiting, staleKeep);
        Assert.NotEqual(shown, stillWaiting?.Id);
        Assert.Equal(SettleOutcome.RolledBack, rolledBack);
        Assert.Null(actions.PendingApply);
        Assert.Equal(ApplyOutcome.RolledBack, actions.LastSettled?.Outcome);
    }

    /// <summary>A guarded change (with nothing to undo) begins its countdown as <paramref name="user"/>.</summary>
    private void Apply(string user) =>
        Assert.True(_host.Guard.Begin(user, "sys", "ctl/run", _host.Guard.Open(user, "sys", "ctl/run")));

    /// <summary>The error of a boxed <see cref="BrokerResult{T}"/>, whatever its T.</summary>
    private static BrokerError? ErrorOf(object answer) =>
        (BrokerError?)answer.GetType().GetProperty(nameof(BrokerResult<object>.Error))!.GetValue(answer);
}
