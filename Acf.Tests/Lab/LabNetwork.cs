namespace Acf.Tests.Lab;

/// <summary>
/// The nodes of one lab and the links between them. Names carry a per-run suffix, so two runs never share a host
/// name or a tree; links are veth pairs created inside the nodes' own network namespaces (never on this machine's), so
/// their traffic stays among the nodes. Dispose stops every node, also when a test or the setup failed.
/// </summary>
public sealed class LabNetwork : IDisposable
{
    private readonly List<LabNode> _nodes = [];

    /// <summary>Six hex digits that make this run's names its own.</summary>
    public string RunId { get; } = Guid.NewGuid().ToString("n")[..6];

    public LabNode Node(string role)
    {
        var node = LabNode.Start($"{role}-{RunId}");
        _nodes.Add(node);
        return node;
    }

    /// <summary>A veth link: <paramref name="aName"/> in <paramref name="a"/> with <paramref name="aAddress"/> (CIDR), its
    /// peer <paramref name="bName"/> in <paramref name="b"/>; both up. Null address: the end stays unaddressed.</summary>
    public void Link(LabNode a, string aName, string? aAddress, LabNode b, string bName, string? bAddress)
    {
        // Only a's network namespace is entered, so b's PID means b's node as this machine numbers it.
        LabNode.Host(["/usr/bin/nsenter", $"--target={a.Init}", "--net", "--", "ip", "link", "add", aName, "type", "veth",
            "peer", "name", bName, "netns", b.Init.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        foreach (var (node, name, address) in new[] { (a, aName, aAddress), (b, bName, bAddress) })
        {
            if (address is not null) node.Run(["ip", "address", "add", address, "dev", name]);
            node.Run(["ip", "link", "set", name, "up"]);
        }
    }

    public void Dispose()
    {
        List<Exception> failures = [];
        foreach (var node in _nodes)
        {
            try { node.Dispose(); }
            catch (Exception e) { failures.Add(e); }
        }
        _nodes.Clear();
        if (failures.Count > 0) throw new AggregateException("A lab node did not stop cleanly.", failures);
    }
}
