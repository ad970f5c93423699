namespace Acf.Tests.Crash;

/// <summary>
/// The crash tier (issue 15), guarded saves: the real app, armed with one fault point of the broker's write path, kills
/// itself (SIGKILL) in the middle of a DNS save, which runs under confirm-or-rollback; restarted without the fault, it
/// must end with the old <c>/etc/resolv.conf</c> byte for byte once the countdown has run out, whatever the point was
/// (defect 1: the undo record used to live in memory until the action returned), and with every crash invariant.
/// </summary>
[Trait("Category", "Crash")]
public sealed class GuardedCrashTests(GuardedCrashTests.Runs runs) : IClassFixture<GuardedCrashTests.Runs>
{
    public const string ResolvConf = "/etc/resolv.conf";

    /// <summary>
    /// One kill-and-restart per fault point, all started together when the class starts (each waits out a countdown,
    /// so one after another would take five countdowns); each test checks its own.
    /// </summary>
    public sealed class Runs : IDisposable
    {
        public static readonly string[] Points = ["after-temp", "after-history", "after-intent", "after-rename", "after-audit"];

        private readonly Dictionary<string, Task<GuardedRun>> _runs = Points.ToDictionary(p => p, p => Task.Run(() => GuardedRun.RunAsync(p)));

        public Task<GuardedRun> Of(string point) => _runs[point];

        public void Dispose()
        {
            foreach (var run in _runs.Values.Where(r => r.IsCompletedSuccessfully)) run.Result.Folder.Dispose();
        }
    }

    /// <summary>What one run saw: the kill, the undo record on disk after it, the rollback after the restart.</summary>
    public sealed record GuardedRun(string Point, CrashFolder Folder, byte[] Original, string KillLog, bool Killed,
        bool PendingOnDiskAfterKill, bool RolledBack, byte[] Final, bool ServingAfterRollback, string RestartLog)
    {
        public static async Task<GuardedRun> RunAsync(string point)
        {
            var folder = await CrashFolder.CopyAsync();
            var original = folder.Read(ResolvConf);
            string killLog;
            bool killed;
            using (var armed = await AcfProcess.StartAsync(folder.DataPath, point))
            {
                using var client = await armed.LoggedInClientAsync();
                var save = client.PostAsync("/api/alpine-baselayout/dns/edit", new StringContent(
                    """{"nameservers":["203.0.113.9"],"search":["crash.example"]}""", Encoding.UTF8, "application/json"));
                killed = await armed.WaitForExitAsync(TimeSpan.FromSeconds(60));
                await Task.WhenAny(save); // its answer never comes: the connection drops with the process
                killLog = armed.Output;
            }
            var pendingOnDisk = File.Exists(folder.PendingApplyPath);
            using var restarted = await AcfProcess.StartAsync(folder.DataPath);
            // The countdown goes on from the save (or ran out during the restart): wait for the rollback to finish,
            // which removes the undo record last.
            var rolledBack = await Until(() => !File.Exists(folder.PendingApplyPath), TimeSpan.FromSeconds(AcfProcess.ConfirmSeconds + 90));
            using var probe = new HttpClient { BaseAddress = restarted.Address };
            var serving = (await probe.GetAsync("/healthz")).IsSuccessStatusCode;
            return new GuardedRun(point, folder, original, killLog, killed, pendingOnDisk, rolledBack, folder.Read(ResolvConf),
                serving, restarted.Output);
        }
    }

    /// <summary>Polls a condition on disk; false when it never held within <paramref name="limit"/>.</summary>
    public static async Task<bool> Until(Func<bool> condition, TimeSpan limit)
    {
        var end = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > end) return false;
            await Task.Delay(200);
        }
        return true;
    }

    [Theory]
    [InlineData("after-temp")]
    [InlineData("after-history")]
    [InlineData("after-intent")]
    [InlineData("after-rename")]
    [InlineData("after-audit")]
    public async Task GuardedDnsSave_KilledAtFaultPoint_OldFileAfterCountdownAndInvariantsHold(string point)
    {
        var run = await runs.Of(point);

        Assert.True(run.Killed && run.KillLog.Contains($"{FaultPoint.Variable}: killed at {point}"),
            $"the app was not killed at {point}:\n{run.KillLog}");
        Assert.True(run.PendingOnDiskAfterKill, "no undo record on disk after the kill: the change could never roll back");
        Assert.True(run.RolledBack, $"the pending change was never settled after the restart:\n{run.RestartLog}");
        Assert.Equal(Encoding.UTF8.GetString(run.Original), Encoding.UTF8.GetString(run.Final));
        Assert.Equal(run.Original, run.Final);
        Assert.True(run.ServingAfterRollback, "the app does not serve after the rollback");
        run.Folder.AssertInvariants($"killed at {point}", (ResolvConf, run.Original));

        var audit = run.Folder.Audit.ReadAll();
        var changes = run.Folder.Changes(ResolvConf);
        var original = SystemBroker.Sha256(run.Original);
        if (point is "after-rename" or "after-audit")
        {
            // The change was made: it is on record (written by recovery when the kill came before the line), and the
            // rollback that put the old bytes back is on record too.
            var made = Assert.Single(changes, c => c.Files![0].Before == original);
            Assert.Equal(point == "after-rename", made.Detail?.Contains("recovered at start") == true);
            Assert.Contains(changes, c => c.User.EndsWith("(rollback)", StringComparison.Ordinal) && c.Files![0].After == original);
        }
        else
        {
            // Never made: no change is on record, and recovery says what it found.
            Assert.Empty(changes);
            Assert.Contains(audit, e => point == "after-temp"
                ? e.Action == "remove-temp"
                : e.Action == "write-interrupted" && e.Target == ResolvConf);
        }
    }
}
