namespace Acf.Tests.Broker;

/// <summary>A capability with a <c>*</c> segment (openssh: every user's <c>/home/*/.ssh/authorized_keys</c>) grants
/// that file in each folder of /home and nothing else: not a deeper path, not a sibling, not '..'.</summary>
public class CapabilityPatternTests
{
    private static readonly ModuleCapabilities Keys = new() { Write = ["/home/*/.ssh/authorized_keys"] };

    [Theory]
    [InlineData("/home/alice/.ssh/authorized_keys")]
    [InlineData("/home/bob.smith/.ssh/authorized_keys")]
    public void MayWrite_OneSegmentForTheStar_Granted(string path) => Assert.True(Keys.MayWrite(path));

    [Theory]
    [InlineData("/home/alice/x/.ssh/authorized_keys")]
    [InlineData("/home/.ssh/authorized_keys")]
    [InlineData("/home//.ssh/authorized_keys")]
    [InlineData("/home/../.ssh/authorized_keys")]
    [InlineData("/home/./.ssh/authorized_keys")]
    [InlineData("/home/alice/.ssh/authorized_keys2")]
    [InlineData("/home/alice/.ssh/id_ed25519")]
    [InlineData("/root/.ssh/authorized_keys")]
    [InlineData("/home/alice/.ssh/")]
    public void MayWrite_AnythingElse_Refused(string path) => Assert.False(Keys.MayWrite(path));

    /// <summary>
    /// The star grants the file in each user's folder, and a user owns that folder: one who replaces
    /// <c>authorized_keys</c> by a link to <c>/etc/shadow</c> must not get the shadow file read to a page or written
    /// by the next save. The broker checks the link's canonical path too (the link is resolved inside the root, so
    /// the machine's own /etc/shadow is never at stake here).
    /// </summary>
    [Fact]
    public void Broker_SymlinkInsideTheDeclaredPathToShadow_ReadAndWriteRefused()
    {
        using var host = new ModuleTestHost();
        host.AddCapabilityProbe("keys", """
            { "read": [ "/home/*/.ssh/authorized_keys" ], "write": [ "/home/*/.ssh/authorized_keys" ] }
            """);
        host.WriteRootFile("/etc/shadow", "root:$6$secret:20000:0:99999:7:::\n");
        Directory.CreateDirectory(host.RootPath("/home/mallory/.ssh"));
        File.CreateSymbolicLink(host.RootPath("/home/mallory/.ssh/authorized_keys"), "/etc/shadow");
        var caller = new BrokerCaller("root", "keys");

        var read = host.ReadyBroker.Send(caller, new ReadFileRequest("/home/mallory/.ssh/authorized_keys"));
        var write = host.ReadyBroker.Send(caller, new WriteFileRequest("/home/mallory/.ssh/authorized_keys", Encoding.UTF8.GetBytes("root::0:0:::\n")));

        Assert.Equal(BrokerErrorKind.Denied, read.Error?.Kind);
        Assert.Null(read.Value);
        Assert.Contains("/etc/shadow", read.Error!.Message);
        Assert.Equal(BrokerErrorKind.Denied, write.Error?.Kind);
        Assert.Equal("root:$6$secret:20000:0:99999:7:::\n", host.ReadRootFile("/etc/shadow"));
        Assert.Equal("/etc/shadow", new FileInfo(host.RootPath("/home/mallory/.ssh/authorized_keys")).LinkTarget);
        // A real key file beside it is still granted: the refusal is the link's, not the pattern's.
        host.WriteRootFile("/home/alice/.ssh/authorized_keys", "ssh-ed25519 AAAA alice\n");
        Assert.True(host.ReadyBroker.Send(caller, new ReadFileRequest("/home/alice/.ssh/authorized_keys")).Ok);
    }
}
