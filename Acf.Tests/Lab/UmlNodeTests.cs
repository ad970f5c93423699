namespace Acf.Tests.Lab;

/// <summary>
/// The user-mode-linux nodes themselves (docs/lab.md): the kernel features the machine lacks are there, the lab's
/// link carries traffic between nodes, the node's /etc is the host folder Acf writes, and a command run through the
/// agent comes back with its status, streams and input as if it ran here.
/// </summary>
[Trait("Category", "Lab")]
public sealed class UmlNodeTests(UmlNodeTests.TwoNodes nodes) : IClassFixture<UmlNodeTests.TwoNodes>
{
    public sealed class TwoNodes : IDisposable
    {
        public UmlLab Lab { get; } = UmlLab.Boot(new UmlNodeSpec("a", "wan"), new UmlNodeSpec("b", "wan"));

        public void Dispose() => Lab.Dispose();
    }

    private UmlNode A => nodes.Lab["a"];

    private UmlNode B => nodes.Lab["b"];

    [Fact]
    public void A_node_creates_gre_vlan_and_dummy_links_and_esp_states()
    {
        // With no addresses and no key, only the underlying device (dev eth0) sets it apart from the fallback gre0.
        A.Must("ip", "tunnel", "add", "probe-gre", "mode", "gre", "ttl", "64", "dev", "eth0");
        A.Must("ip", "link", "add", "link", "eth0", "name", "probe-vlan", "type", "vlan", "id", "7");
        A.Must("ip", "link", "add", "probe-dummy", "type", "dummy");
        A.Must("ip", "xfrm", "state", "add", "src", "192.0.2.1", "dst", "192.0.2.2", "proto", "esp", "spi", "0x100",
            "mode", "transport", "enc", "cbc(aes)", "0x" + new string('1', 32), "auth", "hmac(sha256)", "0x" + new string('2', 64));

        Assert.Contains("gre", A.Must("ip", "-d", "link", "show", "probe-gre"));
        Assert.Contains("vlan", A.Must("ip", "-d", "link", "show", "probe-vlan"));
        Assert.Contains("spi 0x00000100", A.Must("ip", "xfrm", "state", "list"));
        foreach (var name in (string[])["probe-gre", "probe-vlan", "probe-dummy"]) A.Must("ip", "link", "del", name);
        A.Must("ip", "xfrm", "state", "flush");
    }

    [Fact]
    public void The_lab_link_carries_pings_between_nodes()
    {
        A.Must("ip", "addr", "replace", "192.0.2.1/24", "dev", "eth0");
        B.Must("ip", "addr", "replace", "192.0.2.2/24", "dev", "eth0");
        A.Must("ip", "link", "set", "eth0", "up");
        B.Must("ip", "link", "set", "eth0", "up");

        var ping = A.Run("ping", "-c", "3", "-W", "5", "192.0.2.2");

        Assert.True(ping.Status == 0, ping.Stdout + ping.Stderr);
        Assert.Contains("3 received", ping.Stdout);
    }

    [Fact]
    public void The_node_etc_is_the_host_folder_both_ways()
    {
        var probe = "probe-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(Path.Combine(A.Root, "etc", probe), "written outside\n");

        Assert.Equal("written outside\n", A.Must("cat", "/etc/" + probe));
        Assert.NotEqual(0, B.Run("cat", "/etc/" + probe).Status); // another node's /etc is its own
        Assert.Equal(0, new Acf.Broker.CommandRunner().Run([.. A.Through, "tee", "/etc/" + probe], "written inside\n",
            TimeSpan.FromMinutes(1), 1 << 16).Status);
        Assert.Equal("written inside\n", File.ReadAllText(Path.Combine(A.Root, "etc", probe)));
        Assert.NotEqual(0, A.Run("touch", "/usr/" + probe).Status); // the machine's own files are read-only
    }

    [Fact]
    public void The_agent_as_pid_1_reaps_an_orphan_that_ended()
    {
        // setsid -f forks and its parent exits at once: the sleep is re-parented to the node's PID 1, the agent, and ends
        // a second later. Without a reaper it stays a zombie for good (kill -0 finds it; rc-service waited on such).
        A.Must("setsid", "-f", "sleep", "1");

        var deadline = DateTime.UtcNow.AddSeconds(60);
        string table;
        while ((table = A.Must("ps", "-e", "-o", "pid=,ppid=,stat=,comm=")).Split('\n')
                   .Any(line => line.Contains(" sleep", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
            Thread.Sleep(500);

        Assert.DoesNotContain(table.Split("\n"), line => line.Contains(" sleep", StringComparison.Ordinal));
    }

    [Fact]
    public void A_command_comes_back_with_its_status_streams_and_input()
    {
        // Both streams and a status that is not 0, from an argv (no shell): cat prints the first file, complains of the second.
        var result = A.Run("cat", "/proc/sys/kernel/hostname", "/no-such-file");
        var input = new Acf.Broker.CommandRunner().Run([.. A.Through, "cat"], "line one\nline two\n",
            TimeSpan.FromMinutes(1), 1 << 16);
        var missing = A.Run("no-such-command-here");

        Assert.Equal((1, nodes.Lab["a"].Name + "\n"), (result.Status, result.Stdout));
        Assert.Equal("cat: /no-such-file: No such file or directory\n", result.Stderr);
        Assert.Equal((0, "line one\nline two\n"), (input.Status, input.Stdout));
        Assert.Equal(127, missing.Status);
        Assert.Equal(nodes.Lab["a"].Name, A.Must("hostname").Trim());
    }
}

/// <summary>A lab leaves nothing behind: no node process, namespace or temp tree.</summary>
[Trait("Category", "Lab")]
public sealed class UmlLabCleanupTests
{
    [Fact]
    public void Disposing_a_lab_ends_its_nodes_and_removes_its_namespace_and_folder()
    {
        var lab = UmlLab.Boot(new UmlNodeSpec("only", "wan"));
        Assert.Contains($"namespace: {lab.Namespace}", lab.Leftovers());
        Assert.Contains($"folder: {lab.Folder}", lab.Leftovers());
        Assert.NotEmpty(UmlLab.ProcessesMentioning(lab.Folder));

        lab.Dispose();

        Assert.Empty(lab.Leftovers());
    }
}
