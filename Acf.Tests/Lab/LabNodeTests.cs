namespace Acf.Tests.Lab;

/// <summary>The lab's namespace nodes themselves: what a node keeps to itself, and that nothing of it outlives it.</summary>
[Trait("Category", "Lab")]
public sealed class LabNodeTests
{
    [Fact]
    public void Node_Writes_GoToItsTreeAndNeverToTheMachine()
    {
        using var network = new LabNetwork();
        var node = network.Node("probe");
        var probe = $"/etc/acf-lab-probe-{network.RunId}";

        node.Run(["touch", probe]);

        Assert.True(File.Exists(node.HostPath(probe)));
        Assert.False(File.Exists(probe));
        Assert.Equal(node.Name, node.Run(["hostname"]).Trim());
        Assert.NotEqual(node.Name, File.ReadAllText("/proc/sys/kernel/hostname").Trim());
        Assert.NotEqual(0, node.Try(["touch", "/usr/acf-lab-probe"]).Status); // the machine is read-only inside
        Assert.DoesNotContain("eth", node.Run(["ip", "-o", "link"])); // no link but its loopback until the lab gives one
    }

    [Fact]
    public void Link_BetweenTwoNodes_CarriesTraffic()
    {
        using var network = new LabNetwork();
        var a = network.Node("a");
        var b = network.Node("b");

        network.Link(a, "eth1", "10.78.0.1/24", b, "eth1", "10.78.0.2/24");

        Assert.Equal(0, a.Try(["ping", "-c", "1", "-W", "5", "10.78.0.2"]).Status);
    }

    [Fact]
    public void Dispose_AfterATestFailed_LeavesNoProcessNamespaceMountOrTree()
    {
        var network = new LabNetwork();
        string tree = "", pidNamespace = "", mountNamespace = "";
        try
        {
            var node = network.Node("cleanup");
            (tree, pidNamespace, mountNamespace) = (node.Tree, node.PidNamespace, node.MountNamespace);
            node.Spawn(["sleep", "1000"]); // a daemon left running
            Assert.NotEmpty(node.Processes());
            throw new InvalidOperationException("the test fails here");
        }
        catch (InvalidOperationException)
        {
        }
        finally
        {
            network.Dispose();
        }

        Assert.Empty(LabNode.ProcessesIn(pidNamespace, mountNamespace));
        Assert.False(Directory.Exists(tree));
        Assert.DoesNotContain(tree, File.ReadAllText("/proc/self/mountinfo"));
    }
}
