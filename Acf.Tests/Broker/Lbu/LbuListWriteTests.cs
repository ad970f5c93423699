namespace Acf.Tests.Broker.Lbu;

/// <summary>
/// lbu include/exclude through the broker's own write (issue 16 item 6): the list was edited in place on the demo
/// host and by lbu itself on Alpine, so a change of it left no history version and its audit line no hashes.
/// </summary>
public sealed class LbuListWriteTests() : CapabilityProbeTests("lbuprobe", """{ "lbu": [ "config" ] }""")
{
    private const string List = "/etc/apk/protected_paths.d/lbu.list";
    private static readonly BrokerCaller Admin = new("root", "lbuprobe");

    [Fact]
    public void Send_IncludeOverAnExistingList_KeepsTheOldListInHistoryAndAuditsBothHashes()
    {
        const string Before = "# the admin's note\n-etc/skip\n";
        Host.WriteRootFile(List, Before);

        var result = Host.ReadyBroker.Send(Admin, new LbuChangeRequest(LbuChangeKind.Include, "/root/.ssh"));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Equal("# the admin's note\n-etc/skip\n+root/.ssh\n", File.ReadAllText(Host.Root + List));
        var kept = Directory.GetFiles(Path.Combine(Host.DataPath, "history", List.TrimStart('/')));
        Assert.Equal(Before, File.ReadAllText(Assert.Single(kept)));
        var entry = Assert.Single(Host.Audit.ReadAll(), e => e.Action == "lbu-include");
        var file = Assert.Single(entry.Files!);
        Assert.Equal(List, file.Path);
        Assert.NotNull(file.Before);
        Assert.NotEqual(file.Before, file.After);
    }

    [Fact]
    public void Send_ExcludeWithNoListYet_MakesIt0644AndARuleAlreadyThereChangesNothing()
    {
        var first = Host.ReadyBroker.Send(Admin, new LbuChangeRequest(LbuChangeKind.Exclude, "etc/secret"));
        var again = Host.ReadyBroker.Send(Admin, new LbuChangeRequest(LbuChangeKind.Exclude, "etc/secret"));

        Assert.True(first.Ok && again.Ok);
        Assert.Equal("-etc/secret\n", File.ReadAllText(Host.Root + List));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(Host.Root + List));
        Assert.Contains("already in", again.Value!.Stdout);
        Assert.Equal(2, Host.Audit.ReadAll().Count(e => e.Action == "lbu-exclude"));
    }
}
