using System.Text;
using Acf.Broker;

namespace Acf.Tests.Crash;

/// <summary>
/// The crash tier (issue 15), an unguarded save: the host name (no countdown) killed right after the file was renamed
/// into place, the moment that once left <c>/etc/hostname</c> changed with no audit line and no history copy (defect 2).
/// After the restart the new name stays and is on record, with its history copy.
/// </summary>
[Trait("Category", "Crash")]
public sealed class UnguardedCrashTests
{
    private const string Hostname = "/etc/hostname";

    [Fact]
    public async Task HostnameSave_KilledAfterRename_NewFileStaysWithHistoryAndAuditLine()
    {
        using var folder = await CrashFolder.CopyAsync();
        var original = folder.Read(Hostname);
        using (var armed = await AcfProcess.StartAsync(folder.DataPath, "after-rename"))
        {
            using var client = await armed.LoggedInClientAsync();
            var save = client.PostAsync("/api/alpine-baselayout/hostname/edit",
                new StringContent("""{"hostname":"crashbox"}""", Encoding.UTF8, "application/json"));
            Assert.True(await armed.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the app was not killed");
            await Task.WhenAny(save);
            Assert.Contains($"{FaultPoint.Variable}: killed at after-rename", armed.Output);
        }

        using var restarted = await AcfProcess.StartAsync(folder.DataPath);

        Assert.Equal("crashbox\n", Encoding.UTF8.GetString(folder.Read(Hostname)));
        folder.AssertInvariants("hostname killed after the rename", (Hostname, original));
        var change = Assert.Single(folder.Changes(Hostname));
        Assert.Equal(SystemBroker.Sha256(original), change.Files![0].Before);
        Assert.Equal(SystemBroker.Sha256(Encoding.UTF8.GetBytes("crashbox\n")), change.Files[0].After);
        Assert.Contains("recovered at start", change.Detail);
        Assert.Equal("root", change.User);
        Assert.False(File.Exists(folder.PendingApplyPath), "an unguarded save left an undo record");
    }
}
