using Acf.Broker.Catalog;

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
}
