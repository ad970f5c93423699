namespace Acf.Tests.Lab;

/// <summary>A node to boot: its name and the links (by name) its eth0, eth1, ... are plugged into.</summary>
public sealed record UmlNodeSpec(string Name, params string[] Links);

/// <summary>
/// A lab of user-mode-linux nodes (docs/lab.md): each node is a real Linux kernel running as a process
/// (<c>scripts/lab/uml-node</c>), with the machine's file system as its read-only root and its own writable /etc,
/// /var, /run and /tmp, where the machine's kernel lacks what the test needs (GRE, ESP). The node's /etc is the host
/// folder <see cref="UmlNode.Root"/>/etc, so an Acf app outside with <c>Acf:System:Root</c> = that root writes the
/// node's files, and <see cref="UmlNode.Through"/> runs its commands in the node. The links are multicast sockets on
/// the loopback of a network namespace the lab creates: no packet can leave it, and two labs cannot hear each other.
/// Disposing ends every node process, deletes the namespace and the temp tree, even after a failed test.
/// </summary>
public sealed class UmlLab : IDisposable
{
    public static string ScriptFolder { get; } = Path.Combine(ModuleTestHost.RepositoryRoot, "scripts", "lab");

    private static readonly TimeSpan BootLimit = TimeSpan.FromMinutes(4);

    private readonly List<Process> _processes = [];
    private readonly Dictionary<string, UmlNode> _nodes = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>The lab's network namespace (unique per lab).</summary>
    public string Namespace { get; }

    /// <summary>The lab's temp tree: one folder per node.</summary>
    public string Folder { get; }

    public UmlNode this[string name] => _nodes[name];

    public IReadOnlyCollection<UmlNode> Nodes => _nodes.Values;

    private UmlLab(string id)
    {
        Namespace = "acflab-" + id;
        Folder = Directory.CreateTempSubdirectory("acflab-" + id + "-").FullName;
    }

    /// <summary>Creates the namespace and boots the nodes side by side; throws (after cleaning up) when one fails.</summary>
    public static UmlLab Boot(params UmlNodeSpec[] specs)
    {
        var lab = new UmlLab(Guid.NewGuid().ToString("N")[..8]);
        try
        {
            lab.Start(specs);
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    private void Start(UmlNodeSpec[] specs)
    {
        Host("ip", "netns", "add", Namespace);
        Host("ip", "-n", Namespace, "link", "set", "lo", "up", "multicast", "on");
        Host("ip", "-n", Namespace, "route", "add", "224.0.0.0/4", "dev", "lo");
        // One multicast group and port per link name; the namespace keeps them apart from every other lab.
        var links = specs.SelectMany(s => s.Links).Distinct(StringComparer.Ordinal).Select((name, k) => (name, k))
            .ToDictionary(p => p.name, p => $"mcast,,239.192.0.{p.k + 1},{1102 + p.k},1", StringComparer.Ordinal);

        var booting = new List<(UmlNodeSpec Spec, string Root, Process Process)>();
        foreach (var spec in specs)
        {
            var root = Path.Combine(Folder, spec.Name);
            Directory.CreateDirectory(root);
            // The node's /etc starts as the machine's: its users (frr), its daemons' defaults, its library cache.
            Host("cp", "-a", "/etc", Path.Combine(root, "etc"));
            var start = new ProcessStartInfo("ip")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var word in (string[])["netns", "exec", Namespace, Path.Combine(ScriptFolder, "uml-node"),
                         "--dir", root, "--name", spec.Name])
                start.ArgumentList.Add(word);
            foreach (var link in spec.Links)
            {
                start.ArgumentList.Add("--eth");
                start.ArgumentList.Add(links[link]);
            }
            var process = Process.Start(start)!;
            _processes.Add(process);
            booting.Add((spec, root, process));
        }

        var answers = booting.Select(b => b.Process.StandardOutput.ReadLineAsync()).ToArray();
        if (!Task.WaitAll(answers, BootLimit))
            throw new InvalidOperationException($"The lab's nodes did not boot within {BootLimit}: see {Folder}/*/console.log");
        for (var k = 0; k < booting.Count; k++)
        {
            var (spec, root, _) = booting[k];
            var answer = answers[k].Result ?? "failed: uml-node ended without a word";
            if (!answer.StartsWith("ready ", StringComparison.Ordinal))
                throw new InvalidOperationException($"Node {spec.Name}: {answer}\n{ConsoleOf(root)}");
            _nodes[spec.Name] = new UmlNode(spec.Name, root, answer["ready ".Length..]);
        }
    }

    private static string ConsoleOf(string root)
    {
        try { return File.ReadAllText(Path.Combine(root, "console.log")); } catch (IOException) { return ""; }
    }

    /// <summary>Runs a command on the machine itself (the lab's own setup), failing loudly.</summary>
    private static void Host(params string[] argv)
    {
        var result = new CommandRunner().Run(argv, null, TimeSpan.FromMinutes(1), 1 << 16);
        if (result.Status != 0)
            throw new InvalidOperationException($"{string.Join(' ', argv)}: status {result.Status}: {result.Stderr}{result.Stdout}");
    }

    /// <summary>
    /// What is left of the lab on the machine (empty once it is disposed): a process naming its folder, its network
    /// namespace, a mount naming either, its folder.
    /// </summary>
    public List<string> Leftovers()
    {
        var left = new List<string>();
        left.AddRange(ProcessesMentioning(Folder).Select(command => "process: " + command));
        var spaces = new CommandRunner().Run(["ip", "netns", "list"], null, TimeSpan.FromMinutes(1), 1 << 16).Stdout;
        if (spaces.Split('\n').Any(line => line.Split(' ')[0] == Namespace)) left.Add("namespace: " + Namespace);
        left.AddRange(File.ReadAllLines("/proc/self/mountinfo")
            .Where(line => line.Contains(Namespace, StringComparison.Ordinal) || line.Contains(Folder, StringComparison.Ordinal))
            .Select(line => "mount: " + line));
        if (Directory.Exists(Folder)) left.Add("folder: " + Folder);
        return left;
    }

    /// <summary>The command lines of the machine's processes that contain the text.</summary>
    public static List<string> ProcessesMentioning(string text)
    {
        var found = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out _)) continue;
            try
            {
                var command = File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ');
                if (command.Contains(text, StringComparison.Ordinal)) found.Add(command);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // Closing a node's standard input ends it (uml-node kills its kernel's process group); killing is the fallback.
        foreach (var process in _processes)
        {
            try { process.StandardInput.Close(); } catch (IOException) { }
        }
        foreach (var process in _processes)
        {
            if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                process.WaitForExit();
            }
            process.Dispose();
        }
        new CommandRunner().Run(["ip", "netns", "delete", Namespace], null, TimeSpan.FromMinutes(1), 1 << 16);
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>One booted node: <see cref="Root"/> holds its /etc (as <c>Root/etc</c>), <see cref="Through"/> reaches it.</summary>
public sealed class UmlNode(string name, string root, string socket)
{
    public string Name { get; } = name;

    /// <summary>The host folder that is this node's root for Acf: <c>Root/etc</c> is the node's /etc.</summary>
    public string Root { get; } = root;

    /// <summary>The argv prefix that runs a command in the node (Acf:Exec:Through).</summary>
    public IReadOnlyList<string> Through { get; } = [Path.Combine(UmlLab.ScriptFolder, "lab-exec"), socket, "--"];

    /// <summary>Runs argv in the node and answers its status and output.</summary>
    public ExecResult Run(params string[] argv) =>
        new CommandRunner().Run([.. Through, .. argv], null, TimeSpan.FromMinutes(5), 1 << 20);

    /// <summary>Runs argv in the node and answers its standard output; throws when it fails.</summary>
    public string Must(params string[] argv)
    {
        var result = Run(argv);
        if (result.Status != 0)
            throw new InvalidOperationException($"{Name}: {string.Join(' ', argv)}: status {result.Status}: {result.Stderr}{result.Stdout}");
        return result.Stdout;
    }

    public override string ToString() => Name;
}
