namespace Acf.Tests.Isolation;

/// <summary>
/// Fair workers (issue 16 item 5): one user's slow actions could hold every worker, so every other admin waited for
/// them. The slow action here waits inside a broker call (a command reading a FIFO the test opens when it chooses,
/// as a validator spinning would), so nothing depends on timing: the action runs until the test lets it go.
/// </summary>
public sealed class FairWorkersTests : IDisposable
{
    private const string Manifest = """
        { "title": "Slow probe",
          "roles": { "GUEST": [ "ctl/wait", "ctl/read", "ctl/twice" ] },
          "capabilities": { "read": [ "/etc/probe" ], "exec": [ [ "cat", "/etc/gate" ], [ "sleep" ] ] } }
        """;

    private const string Controller = """
        local M = {}
        function M.wait(ctx)
          local r, err = acf.exec({ "cat", "/etc/gate" })
          return { type = "text", value = r and "released" or tostring(err) }
        end
        function M.read(ctx) return { type = "text", value = acf.fs.read("/etc/probe") } end
        function M.twice(ctx)
          local first = acf.exec({ "sleep", "2" })
          local second, err = acf.exec({ "sleep", "0" })
          return { type = "text", value = tostring(first and first.status) .. " / " .. (second and "ran" or tostring(err)) }
        end
        return M
        """;

    private static readonly AcfPrincipal Alice = new("alice", [AcfRoles.Guest]);
    private static readonly AcfPrincipal Bob = new("bob", [AcfRoles.Guest]);

    private readonly ModuleWorkerPool _pool = new(WorkerLaunch.Default(), 3, NullLogger.Instance);

    public void Dispose() => _pool.Dispose();

    private ModuleTestHost HostWith(ModulesOptions limits)
    {
        var host = new ModuleTestHost(limits, workers: _pool,
            system: new SystemOptions { Mode = "demo", DemoReadOnlyCommands = [["cat"], ["sleep"]] });
        // The same module twice: a per-module share must not be what lets Bob through.
        host.AddModule("slow", Manifest, ("ctl", Controller));
        host.AddModule("other", Manifest, ("ctl", Controller));
        host.WriteRootFile("/etc/probe", "fine");
        return host;
    }

    [Fact]
    public async Task RunAsync_OneUsersSlowActions_HerThirdWaitsHerFourthIsRefusedBusyWhileAnotherUsersReadAnswers()
    {
        using var host = HostWith(new ModulesOptions { WallTimeSeconds = 30, ActionsPerUser = 2, ActionsQueuedPerUser = 1, ActionsPerModule = 2 });
        var gate = Path.Combine(host.Root, "etc", "gate");
        MakeFifo(gate);

        var first = host.RunAsync(Alice, "slow", "ctl", "wait");
        var second = host.RunAsync(Alice, "slow", "ctl", "wait");
        while (_pool.BusyProcessIds.Count < 2) await Task.Delay(20).WaitAsync(TimeSpan.FromSeconds(60));
        // Her third waits for a place (it is not refused: a page opening starts several actions at once) ...
        var third = host.RunAsync(Alice, "other", "ctl", "read");
        Assert.Equal(1, host.Runner.WaitingActions("alice"));
        // ... and her queue of one is full, so a fourth is refused.
        var fourth = await host.RunAsync(Alice, "other", "ctl", "wait");
        var bobsRead = await host.RunAsync(Bob, "other", "ctl", "read");
        var aliceStillWaited = !first.IsCompleted && !second.IsCompleted && !third.IsCompleted;
        await ReleaseAsync(gate, first, second);

        Assert.Equal(RunStatus.TooManyActions, fourth.Status);
        Assert.Contains("Busy: alice already runs 2 actions at once and 1 more wait", fourth.Error);
        Assert.Equal(RunStatus.Ok, bobsRead.Status);
        Assert.Equal("fine", bobsRead.Entity!.Text);
        Assert.True(aliceStillWaited, "Bob's read was answered only after Alice's slow actions ended");
        Assert.Equal("released", (await first).Entity!.Text);
        Assert.Equal("released", (await second).Entity!.Text);
        Assert.Equal("fine", (await third).Entity!.Text);
        Assert.Equal(0, host.Runner.WaitingActions("alice"));
        // Her share is hers again once they ended.
        Assert.Equal(RunStatus.Ok, (await host.RunAsync(Alice, "other", "ctl", "read")).Status);
    }

    [Fact]
    public async Task RunAsync_AWaitingActionCancelled_LeavesTheQueueAndNeverRuns()
    {
        using var host = HostWith(new ModulesOptions { WallTimeSeconds = 30, ActionsPerUser = 1, ActionsQueuedPerUser = 1 });
        var gate = Path.Combine(host.Root, "etc", "gate");
        MakeFifo(gate);
        var first = host.RunAsync(Alice, "slow", "ctl", "wait");
        while (_pool.BusyProcessIds.Count < 1) await Task.Delay(20).WaitAsync(TimeSpan.FromSeconds(60));
        using var leave = new CancellationTokenSource();

        var waiting = host.Runner.RunAsync(Alice, "other", "ctl", "read", Acf.Modules.Cfe.ModuleInput.Empty, leave.Token);
        Assert.Equal(1, host.Runner.WaitingActions("alice"));
        leave.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        // Its place in the queue is free again: the next one waits instead of being refused.
        var next = host.RunAsync(Alice, "other", "ctl", "read");
        Assert.Equal(1, host.Runner.WaitingActions("alice"));
        await ReleaseAsync(gate, first);

        Assert.Equal("fine", (await next).Entity!.Text);
    }

    [Fact]
    public async Task RunAsync_BrokerTimePastTheActionsBudget_RefusesTheNextCall()
    {
        // Only the worker's turns counted: calls to slow commands one after another held a worker for ever.
        using var host = HostWith(new ModulesOptions { WallTimeSeconds = 30, ActionTimeSeconds = 1 });

        var result = await host.RunAsync(Alice, "slow", "ctl", "twice");

        Assert.Equal(RunStatus.Ok, result.Status);
        Assert.StartsWith("0 / ", result.Entity!.Text);
        Assert.Contains("time budget of 1 s (its broker calls included) is used up", result.Entity.Text);
        Assert.DoesNotContain(host.Audit.ReadAll(), e => e.Argv is ["sleep", "0"]);
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo") { ArgumentList = { path } })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    /// <summary>
    /// Opening the FIFO read-write never blocks; it lets the readers' open return, and closing it gives them the end
    /// of the file. A reader that had not opened it yet is let go by the next round.
    /// </summary>
    private static async Task ReleaseAsync(string gate, params Task[] waiting)
    {
        var all = Task.WhenAll(waiting);
        while (!all.IsCompleted)
        {
            using (File.Open(gate, FileMode.Open, FileAccess.ReadWrite)) { }
            await Task.WhenAny(all, Task.Delay(200));
        }
    }
}
