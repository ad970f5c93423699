using Acf.Modules.Apply;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Acf.Tests.Apply;

/// <summary>Confirm-or-rollback through the runner: a guarded save is live, then kept or undone.</summary>
public class ApplyGuardTests
{
    private const string Manifest = """
        { "title": "Network", "roles": { "ADMIN": [ "net/save", "net/other" ] },
          "confirm": [ "net/save" ],
          "capabilities": { "write": [ "/etc/network/interfaces", "/etc/other.conf" ], "services": [ "networking" ] } }
        """;

    private const string Controller = """
        local M = {}
        local function save(path, input)
          local changed, err = acf.fs.write(path, input.text)
          if changed == nil then return { type = "form", errtxt = err, submitted = true, value = {} } end
          acf.service.restart("networking")
          return { type = "form", submitted = true, descr = "applied", value = {} }
        end
        function M.save(ctx, input) return save("/etc/network/interfaces", input) end
        function M.other(ctx, input) return save("/etc/other.conf", input) end
        return M
        """;

    private const string Before = "auto eth0\niface eth0 inet dhcp\n";
    private const string After = "auto eth0\niface eth0 inet static\n\taddress 192.0.2.9/24\n";

    private static (ModuleTestHost Host, FakeTimeProvider Time) NewHost()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var host = new ModuleTestHost { Time = time };
        host.CopyDemoTree();
        host.WriteRootFile("/etc/network/interfaces", Before);
        host.AddModule("net", Manifest, ("net", Controller));
        return (host, time);
    }

    /// <summary>A host whose interfaces an admin has just saved (<c>After</c>): the change waits for its countdown.</summary>
    private static async Task<(ModuleTestHost Host, FakeTimeProvider Time)> NewHostAfterSaveAsync()
    {
        var (host, time) = NewHost();
        await host.RunAsync(ModuleTestHost.Admin, "net", "net", "save", Save(After));
        return (host, time);
    }

    private static ModuleInput Save(string text, bool @unchecked = false) =>
        ModuleTestHost.Submit("Save", ("text", text)) with { Unchecked = @unchecked };

    [Fact]
    public async Task Save_GuardedAction_LiveAndPending()
    {
        var (host, _) = NewHost();
        using var _ = host;

        var result = await host.RunAsync(ModuleTestHost.Admin, "net", "net", "save", Save(After));

        Assert.True(result.Entity!.Succeeded);
        Assert.Equal(After, host.ReadRootFile("/etc/network/interfaces"));
        var pending = Assert.IsType<PendingChange>(host.Guard.Pending);
        Assert.Equal("net/save", pending.Action);
        Assert.True(File.Exists(Path.Combine(host.DataPath, "pending-apply.json")));
    }

    [Fact]
    public async Task Countdown_NotKept_RestoresFileAndRestartsService()
    {
        var (host, time) = await NewHostAfterSaveAsync();
        using var _ = host;
        var restartsBefore = host.Audit.ReadAll().Count(e => e.Action == "service-restart");

        time.Advance(TimeSpan.FromSeconds(host.Apply.ConfirmSeconds + 1));

        Assert.Null(host.Guard.Pending);
        Assert.Equal(Before, host.ReadRootFile("/etc/network/interfaces"));
        Assert.Equal(restartsBefore + 1, host.Audit.ReadAll().Count(e => e.Action == "service-restart"));
        Assert.False(File.Exists(Path.Combine(host.DataPath, "pending-apply.json")));
    }

    [Fact]
    public async Task Keep_BeforeTheDeadline_ChangeStays()
    {
        var (host, time) = await NewHostAfterSaveAsync();
        using var _ = host;

        Assert.True(host.Guard.Keep("root"));
        time.Advance(TimeSpan.FromSeconds(host.Apply.ConfirmSeconds + 1));

        Assert.Equal(After, host.ReadRootFile("/etc/network/interfaces"));
        Assert.Null(host.Guard.Pending);
    }

    [Fact]
    public async Task Save_WhileAnotherIsPending_RefusedAndNothingWritten()
    {
        var (host, _) = await NewHostAfterSaveAsync();
        using var _ = host;

        var second = await host.RunAsync(ModuleTestHost.Admin, "net", "net", "save", Save("auto lo\n"));

        // Issue 20: a pending change is no module failure (the page showed "The module failed: ...").
        Assert.Equal(RunStatus.Busy, second.Status);
        Assert.Contains("waiting to be kept or rolled back", second.Error);
        Assert.Equal(After, host.ReadRootFile("/etc/network/interfaces"));
    }

    /// <summary>Issue 20: the notice after a rollback says what happened and when, not "kept, or rolled back".</summary>
    [Fact]
    public async Task Countdown_NotKept_LastSettledSaysRolledBackAndWhen()
    {
        var (host, time) = await NewHostAfterSaveAsync();
        using var _ = host;
        var id = host.Guard.Pending!.Id;

        time.Advance(TimeSpan.FromSeconds(host.Apply.ConfirmSeconds + 1));

        var settled = Assert.IsType<SettledApply>(host.Guard.LastSettled);
        Assert.Equal((id, ApplyOutcome.RolledBack, "net/save"), (settled.Id, settled.Outcome, settled.Action));
        Assert.Equal(time.GetUtcNow(), settled.At);
        Assert.Empty(settled.Failed);
    }

    [Fact]
    public async Task Keep_LastSettledSaysKept()
    {
        var (host, _) = await NewHostAfterSaveAsync();
        using var _ = host;

        host.Guard.Keep("root");

        Assert.Equal(ApplyOutcome.Kept, host.Guard.LastSettled!.Outcome);
    }

    /// <summary>Issue 20: stopping sshd (the admin's way in) is guarded, stopping another service through the same action
    /// is not: the manifest's confirm entry names the input it guards (<c>rc/control?service=sshd</c>).</summary>
    [Theory]
    [InlineData("sshd", true)]
    [InlineData("crond", false)]
    public void IsGuarded_ConfirmEntryWithInput_OnlyThatInput(string service, bool guarded)
    {
        using var host = new ModuleTestHost();
        host.AddModule("rc", """
            { "title": "Services", "roles": { "ADMIN": [ "rc/control" ] }, "confirm": [ "rc/control?service=sshd" ] }
            """, ("rc", "return {}"));

        var input = ModuleTestHost.Submit("Stop", ("service", service));

        _ = host.Runner; // builds the catalog

        Assert.Equal(guarded, host.Catalog.Find("rc")!.IsGuarded("rc/control", input.Values));
    }

    [Fact]
    public async Task Save_Unchecked_NoCountdown()
    {
        var (host, _) = NewHost();
        using var _ = host;

        await host.RunAsync(ModuleTestHost.Admin, "net", "net", "save", Save(After, @unchecked: true));

        Assert.Null(host.Guard.Pending);
        Assert.Equal(After, host.ReadRootFile("/etc/network/interfaces"));
    }

    [Fact]
    public async Task Save_UnguardedAction_NoCountdown()
    {
        var (host, _) = NewHost();
        using var _ = host;

        await host.RunAsync(ModuleTestHost.Admin, "net", "net", "other", Save("x=1\n"));

        Assert.Null(host.Guard.Pending);
    }

    [Fact]
    public async Task Start_PendingChangeOnDiskPastItsCountdown_RollsItBackAtOnce()
    {
        var (host, time) = await NewHostAfterSaveAsync();
        using var _ = host;
        host.Guard.Dispose(); // the process is gone: its countdown with it
        time.Advance(TimeSpan.FromSeconds(host.Apply.ConfirmSeconds + 1));
        var afterRestart = new ApplyGuard(host.Broker, host.Host, Options.Create(host.Apply), time, NullLogger<ApplyGuard>.Instance);

        await afterRestart.StartAsync(CancellationToken.None);

        Assert.Null(afterRestart.Pending);
        Assert.Equal(Before, host.ReadRootFile("/etc/network/interfaces"));
        Assert.False(File.Exists(Path.Combine(host.DataPath, "pending-apply.json")));
    }

    [Fact]
    public async Task Start_PendingChangeNotYetDue_CountdownGoesOnThenRollsBack()
    {
        var (host, time) = await NewHostAfterSaveAsync();
        using var _ = host;
        var deadline = host.Guard.Pending!.Deadline;
        host.Guard.Dispose(); // the process is gone: its countdown with it
        using var afterRestart = new ApplyGuard(host.Broker, host.Host, Options.Create(host.Apply), time, NullLogger<ApplyGuard>.Instance);

        await afterRestart.StartAsync(CancellationToken.None);
        var resumed = afterRestart.Pending;
        time.Advance(deadline - time.GetUtcNow() + TimeSpan.FromSeconds(1));

        Assert.Equal(deadline, resumed?.Deadline);
        Assert.Null(afterRestart.Pending);
        Assert.Equal(Before, host.ReadRootFile("/etc/network/interfaces"));
    }

    /// <summary>Issue 15, defect 1: the app dies once the guarded write is done, before the action returns.</summary>
    [Fact]
    public async Task GuardedWrite_CrashBeforeActionReturns_RollbackRecordAlreadyOnDisk()
    {
        var (host, time) = NewHost();
        using var disposeHost = host;
        Assert.NotNull(host.Runner); // wires the broker and the guard
        var journal = host.Guard.Open("root", "net", "net/save");
        var broker = new JournalingBroker(host.Broker, journal);

        var write = broker.Send(new Acf.Broker.BrokerCaller("root", "net"),
            new Acf.Broker.WriteFileRequest("/etc/network/interfaces", global::System.Text.Encoding.UTF8.GetBytes(After)));
        // The process is gone here: no Begin. At the next start the countdown has passed.
        time.Advance(TimeSpan.FromSeconds(host.Apply.ConfirmSeconds + 1));
        var afterRestart = new ApplyGuard(host.Broker, host.Host, Options.Create(host.Apply), time, NullLogger<ApplyGuard>.Instance);
        await afterRestart.StartAsync(CancellationToken.None);

        Assert.True(write.Ok, write.Error?.Message);
        Assert.Equal(Before, host.ReadRootFile("/etc/network/interfaces"));
        Assert.Null(afterRestart.Pending);
    }

    [Fact]
    public void JournalingBroker_WriteOfSameBytes_RecordForgottenAgain()
    {
        var (host, _) = NewHost();
        using var disposeHost = host;
        Assert.NotNull(host.Runner);
        var journal = host.Guard.Open("root", "net", "net/save");

        var write = new JournalingBroker(host.Broker, journal).Send(new Acf.Broker.BrokerCaller("root", "net"),
            new Acf.Broker.WriteFileRequest("/etc/network/interfaces", global::System.Text.Encoding.UTF8.GetBytes(Before)));

        Assert.False(write.Value!.Changed);
        Assert.True(journal.IsEmpty);
    }

    private const string CommandManifest = """
        { "title": "Link", "roles": { "ADMIN": [ "link/down", "link/bad" ] },
          "confirm": [ "link/down", "link/bad" ],
          "capabilities": { "write": [ "/etc/new.conf" ], "exec": [ [ "ifdown", "eth1" ], [ "ifup", "eth1" ] ] } }
        """;

    private const string CommandController = """
        local M = {}
        function M.down(ctx, input)
          acf.fs.write("/etc/new.conf", "created\n")
          acf.exec({ "ifdown", "eth1" }, { rollback = { "ifup", "eth1" } })
          return { type = "form", submitted = true, descr = "down", value = {} }
        end
        function M.bad(ctx, input)
          acf.exec({ "ifdown", "eth1" }, { rollback = { "reboot" } })
          return { type = "form", submitted = true, descr = "never", value = {} }
        end
        return M
        """;

    private static ModuleTestHost CommandHost()
    {
        var host = new ModuleTestHost { Time = new FakeTimeProvider(DateTimeOffset.UtcNow) };
        host.CopyDemoTree();
        host.AddModule("link", CommandManifest, ("link", CommandController));
        return host;
    }

    [Fact]
    public async Task RollBack_StepThrows_OtherStepsStillRunAndNothingEscapes()
    {
        using var host = CommandHost();
        await host.RunAsync(ModuleTestHost.Admin, "link", "link", "down", ModuleTestHost.Submit("Go"));
        var pending = host.Guard.Pending!;
        // The audit log cannot be opened any more: every broker step of the rollback fails or throws.
        var audit = Path.Combine(host.DataPath, "audit.log");
        File.Delete(audit);
        Directory.CreateDirectory(audit);

        // What the countdown's timer calls: an exception there would end the whole app.
        var thrown = Record.Exception(() => host.Guard.RollBack(pending.Id, "not kept in time"));

        Assert.Null(thrown);
        Assert.Null(host.Guard.Pending);
        // Issue 20: the admin is told which steps could not be undone.
        Assert.Contains("restore /etc/new.conf", host.Guard.LastSettled!.Failed);
        // A change the broker cannot audit is undone at once (issue 15): the removal did not stay.
        Assert.True(File.Exists(host.RootPath("/etc/new.conf")));
        Assert.False(File.Exists(Path.Combine(host.DataPath, "pending-apply.json")));
        Assert.Null(host.Guard.Refusal());
    }

    [Fact]
    public async Task Rollback_DeclaredCommandAndCreatedFile_RunsCommandAfterRemovingTheFile()
    {
        using var host = CommandHost();
        await host.RunAsync(ModuleTestHost.Admin, "link", "link", "down", ModuleTestHost.Submit("Go"));
        var pending = host.Guard.Pending!;

        host.Guard.RollBack(pending.Id, "test");

        Assert.Equal(["ifup", "eth1"], Assert.Single(pending.Commands!).Argv);
        Assert.False(File.Exists(host.RootPath("/etc/new.conf")));
        var audit = host.Audit.ReadAll();
        var removed = audit.ToList().FindIndex(e => e.Action == "remove" && e.Target == "/etc/new.conf");
        var ifup = audit.ToList().FindIndex(e => e.Target == "ifup eth1");
        Assert.True(removed >= 0 && ifup > removed, "the file goes first, then the command runs");
    }

    [Fact]
    public async Task Exec_RollbackCommandNotInCapabilities_DeniedBeforeAnythingRuns()
    {
        using var host = CommandHost();

        var result = await host.RunAsync(ModuleTestHost.Admin, "link", "link", "bad", ModuleTestHost.Submit("Go"));

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("rollback command 'reboot'", result.Error);
        Assert.DoesNotContain(host.Audit.ReadAll(), e => e.Target == "ifdown eth1");
        Assert.Null(host.Guard.Pending);
    }

    [Fact]
    public async Task Start_PendingCommandOnDisk_RunsItOnRollback()
    {
        using var host = CommandHost();
        await host.RunAsync(ModuleTestHost.Admin, "link", "link", "down", ModuleTestHost.Submit("Go"));
        var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddSeconds(host.Apply.ConfirmSeconds + 60));
        var afterRestart = new ApplyGuard(host.Broker, host.Host, Options.Create(host.Apply), later, NullLogger<ApplyGuard>.Instance);

        await afterRestart.StartAsync(CancellationToken.None);

        Assert.Contains(host.Audit.ReadAll(), e => e.Target == "ifup eth1" && e.User == "root (rollback)");
    }
}
