namespace Acf.Tests.Crash;

/// <summary>
/// The crash tier (issue 15), an unguarded save: the host name (no countdown) killed at each fault point of the broker's
/// write path. After the rename (the moment that once left <c>/etc/hostname</c> changed with no audit line and no
/// history copy, defect 2) and after the audit line, the new name stays and is on record with its history copy; before
/// the rename (after the temp file, the intent or the history copy) the old name stays, nothing is on record as a
/// change, and recovery says what it found and tidied (no temp file, no orphan history version).
/// </summary>
[Trait("Category", "Crash")]
public sealed class UnguardedCrashTests
{
    private const string Hostname = "/etc/hostname";

    [Theory]
    [InlineData("after-temp")]
    [InlineData("after-intent")]
    [InlineData("after-history")]
    [InlineData("after-rename")]
    [InlineData("after-audit")]
    public async Task HostnameSave_KilledAtFaultPoint_OldOrAuditedNewFileAndInvariantsHold(string point)
    {
        using var folder = await CrashFolder.CopyAsync();
        var original = folder.Read(Hostname);
        using (var armed = await AcfProcess.StartAsync(folder.DataPath, point))
        {
            using var client = await armed.LoggedInClientAsync();
            var save = client.PostAsync("/api/alpine-baselayout/hostname/edit",
                new StringContent("""{"hostname":"crashbox"}""", Encoding.UTF8, "application/json"));
            Assert.True(await armed.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the app was not killed");
            await Task.WhenAny(save);
            Assert.Contains($"{FaultPoint.Variable}: killed at {point}", armed.Output);
            // The worker that ran the save (module code runs in workers) ends on its own once the app is gone.
            Assert.NotEmpty(armed.Children);
            Assert.Empty(await armed.ChildrenAliveAfterAsync(TimeSpan.FromSeconds(15)));
        }

        using var restarted = await AcfProcess.StartAsync(folder.DataPath);

        folder.AssertInvariants($"hostname killed at {point}", (Hostname, original));
        Assert.False(File.Exists(folder.PendingApplyPath), "an unguarded save left an undo record");
        var changes = folder.Changes(Hostname);
        if (point is "after-rename" or "after-audit")
        {
            Assert.Equal("crashbox\n", Encoding.UTF8.GetString(folder.Read(Hostname)));
            var change = Assert.Single(changes);
            Assert.Equal(SystemBroker.Sha256(original), change.Files![0].Before);
            Assert.Equal(SystemBroker.Sha256(Encoding.UTF8.GetBytes("crashbox\n")), change.Files[0].After);
            Assert.Equal(point == "after-rename", change.Detail?.Contains("recovered at start") == true);
            Assert.Equal("root", change.User);
            Assert.Single(folder.History(Hostname));
        }
        else
        {
            Assert.Equal(original, folder.Read(Hostname));
            Assert.Empty(changes);
            Assert.Empty(folder.History(Hostname));
            Assert.Contains(folder.Audit.ReadAll(), e => point == "after-temp"
                ? e.Action == "remove-temp"
                : e.Action == "write-interrupted" && e.Target == Hostname);
        }
    }
}
