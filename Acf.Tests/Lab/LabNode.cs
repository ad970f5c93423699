namespace Acf.Tests.Lab;

/// <summary>
/// A namespace node of the lab: an <c>unshare --mount --net --uts --pid --fork</c> process whose own writable tree (a
/// temporary folder holding a copy of this machine's <c>/etc</c>, an empty <c>/var</c> and <c>/run</c>) is mounted over
/// <c>/etc</c>, <c>/var</c> and <c>/run</c>, with a fresh <c>/tmp</c> and the rest of the machine read-only: the Debian
/// tools are there, nothing the node does reaches the machine. It has no network but its own loopback and the veth
/// links a <see cref="LabNetwork"/> gives it. Dispose kills its PID 1, which ends every process in it (daemons Acf
/// started included, since commands enter its PID namespace), and so its namespaces and mounts, then removes the tree.
/// </summary>
public sealed class LabNode : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private readonly Process _unshare;

    private LabNode(string name, string tree, Process unshare, int init)
    {
        Name = name;
        Tree = tree;
        _unshare = unshare;
        Init = init;
        PidNamespace = new FileInfo($"/proc/{init}/ns/pid").LinkTarget ?? "";
        MountNamespace = new FileInfo($"/proc/{init}/ns/mnt").LinkTarget ?? "";
    }

    /// <summary>The node's host name (unique per run).</summary>
    public string Name { get; }

    /// <summary>The node's tree on this machine: Acf's <c>Acf:System:Root</c> for the node.</summary>
    public string Tree { get; }

    /// <summary>The PID (on this machine) of the node's PID 1.</summary>
    public int Init { get; }

    /// <summary>The node's PID namespace, as <c>/proc/PID/ns/pid</c> names it.</summary>
    public string PidNamespace { get; }

    /// <summary>The node's mount namespace (its network namespace is held by the same processes).</summary>
    public string MountNamespace { get; }

    /// <summary>The argv prefix that runs a command in the node: Acf's <c>Acf:Exec:Through</c>.</summary>
    public IReadOnlyList<string> Through =>
        ["/usr/bin/nsenter", $"--target={Init}", "--mount", "--net", "--uts", "--pid", "--"];

    public static LabNode Start(string name)
    {
        var tree = Directory.CreateTempSubdirectory($"acf-lab-{name}-").FullName;
        Process? unshare = null;
        try
        {
            Host(["cp", "-a", "/etc", Path.Combine(tree, "etc")]);
            foreach (var folder in new[] { "var/log", "var/lib", "var/cache", "var/spool", "var/tmp", "run", "lib/apk/db" })
                Directory.CreateDirectory(Path.Combine(tree, folder));
            File.CreateSymbolicLink(Path.Combine(tree, "var/run"), "/run");
            Directory.CreateDirectory(Path.Combine(tree, "etc/acf"));
            File.WriteAllText(Path.Combine(tree, "etc/hostname"), name + "\n");

            var start = new ProcessStartInfo("/usr/bin/unshare") { UseShellExecute = false, RedirectStandardInput = true };
            foreach (var word in new[] { "--mount", "--net", "--uts", "--pid", "--fork", "--kill-child", "--mount-proc", "/usr/bin/tini", "--", "sleep", "infinity" })
                start.ArgumentList.Add(word);
            unshare = Process.Start(start)!;
            var init = WaitForInit(unshare);
            var node = new LabNode(name, tree, unshare, init);
            foreach (var folder in new[] { "etc", "var", "run" })
                node.Run(["mount", "--bind", Path.Combine(tree, folder), "/" + folder]);
            node.Run(["mount", "-t", "tmpfs", "tmpfs", "/tmp"]);
            node.Run(["mount", "-o", "remount,bind,ro", "/"]);
            node.Run(["hostname", name]);
            node.Run(["ip", "link", "set", "lo", "up"]);
            return node;
        }
        catch
        {
            Stop(unshare);
            Directory.Delete(tree, recursive: true);
            throw;
        }
    }

    /// <summary>Runs a command in the node and requires it to succeed; returns its standard output.</summary>
    public string Run(IReadOnlyList<string> argv)
    {
        var result = new CommandRunner(Through).Run(argv, null, Limit, 1 << 20);
        if (result.Status != 0)
            throw new InvalidOperationException($"{Name}: {string.Join(' ', argv)} failed ({result.Status}): {result.Stderr}{result.Stdout}");
        return result.Stdout;
    }

    /// <summary>Runs a command in the node and gives its result, whatever its status.</summary>
    public ExecResult Try(IReadOnlyList<string> argv) => new CommandRunner(Through).Run(argv, null, Limit, 1 << 20);

    /// <summary>Starts a long-running command in the node (a test server); it ends with the node.</summary>
    public void Spawn(IReadOnlyList<string> argv)
    {
        var start = new ProcessStartInfo(Through[0]) { UseShellExecute = false, RedirectStandardInput = true,
            RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var word in Through.Skip(1).Concat(argv)) start.ArgumentList.Add(word);
        var process = Process.Start(start)!;
        // Drained so a chatty server never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>
    /// Boots the node's OpenRC as Alpine's init does (<c>openrc sysinit</c>, <c>boot</c>, <c>default</c>), after
    /// emptying its runlevels, which the copy of this machine's <c>/etc</c> filled with the machine's own services
    /// (hwclock would set the shared clock). OpenRC needs no PID 1 of its own: <c>rc-service</c> only refuses to act
    /// ("openrc did not boot") until a runlevel has run and written <c>/run/openrc/softlevel</c>.
    /// </summary>
    public void BootOpenRc()
    {
        foreach (var level in Directory.EnumerateDirectories(HostPath("/etc/runlevels")))
        foreach (var entry in Directory.EnumerateFileSystemEntries(level))
            File.Delete(entry);
        foreach (var level in new[] { "sysinit", "boot", "default" }) Run(["openrc", level]);
    }

    /// <summary>
    /// Installs an init script as <c>/etc/init.d/NAME</c> (mode 0755). Debian's own scripts are LSB scripts, for which
    /// OpenRC keeps no state (rc-status says "stopped" while the daemon runs): a node gets an openrc-run script like
    /// Alpine's for each service a test drives, before <see cref="BootOpenRc"/>.
    /// </summary>
    public void InstallInitScript(string name, string script)
    {
        File.WriteAllText(HostPath("/etc/init.d/" + name), script);
        File.SetUnixFileMode(HostPath("/etc/init.d/" + name), (UnixFileMode)0b111_101_101);
    }

    /// <summary>
    /// Installs the init script of a daemon as Alpine's package has it (<see cref="InstallInitScript"/>): OpenRC starts
    /// <paramref name="command"/> with <paramref name="arguments"/> and finds it by <paramref name="pidfile"/>; the lines
    /// of <paramref name="startPre"/> run before each start; with <paramref name="reload"/>, <c>reload</c> is an extra
    /// command of the started service that runs that line.
    /// </summary>
    public void InstallDaemon(string name, string description, string command, string arguments, string pidfile,
        string[] startPre, string? reload = null)
    {
        var script = new System.Text.StringBuilder($"""
            #!/sbin/openrc-run
            description="{description} (the lab's openrc-run script)"
            command={command}
            command_args="{arguments}"
            pidfile={pidfile}

            """);
        if (reload is not null) script.Append("extra_started_commands=\"reload\"\n");
        script.Append("\nstart_pre() {\n").AppendJoin("", startPre.Select(line => $"\t{line}\n")).Append("}\n");
        if (reload is not null) script.Append($"\nreload() {{\n\tebegin \"Reloading {name}\"\n\t{reload}\n\teend $?\n}}\n");
        InstallInitScript(name, script.ToString());
    }

    /// <summary>
    /// apk does not run off Alpine: the node's apk database names the packages (name, version) it has, so Acf offers
    /// the modules whose <c>packageInstalled</c> condition they meet.
    /// </summary>
    public void DeclareInstalled(params (string Name, string Version)[] packages) =>
        File.WriteAllText(HostPath("/lib/apk/db/installed"), string.Concat(packages.Select(p => $"P:{p.Name}\nV:{p.Version}\n\n")));

    /// <summary>Waits, looking every <paramref name="every"/>, until a condition holds; fails naming what it waited for.</summary>
    public static void WaitUntil(Func<bool> condition, string what, TimeSpan limit, TimeSpan every)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Waited in vain for " + what);
            Thread.Sleep(every);
        }
    }

    /// <summary>Waits until a TCP port listens in the node (a daemon is ready to be asked).</summary>
    public void WaitListening(int port)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!Run(["ss", "-Hltn"]).Split('\n').Any(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                   is [_, _, _, var local, ..] && local.EndsWith($":{port}", StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Name}: nothing listens on port {port}.");
            Thread.Sleep(100);
        }
    }

    /// <summary>The path of a canonical file of the node on this machine (under its tree).</summary>
    public string HostPath(string canonical) => Path.Combine(Tree, canonical.TrimStart('/'));

    /// <summary>The PIDs (on this machine) of every process still in the node's PID or mount namespace (nsenter
    /// itself waits in the mount namespace, outside the PID one, for the command it started).</summary>
    public IReadOnlyList<int> Processes() => ProcessesIn(PidNamespace, MountNamespace);

    public static IReadOnlyList<int> ProcessesIn(string pidNamespace, string mountNamespace)
    {
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid)) continue;
            try
            {
                if (new FileInfo(Path.Combine(entry, "ns/pid")).LinkTarget == pidNamespace
                    || new FileInfo(Path.Combine(entry, "ns/mnt")).LinkTarget == mountNamespace)
                    found.Add(pid);
            }
            catch (IOException) { } // the process ended while listed
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    public void Dispose()
    {
        Stop(_unshare);
        // The kernel ends the namespace's other processes once its PID 1 is gone; the tree is free when they are.
        var deadline = DateTime.UtcNow + Limit;
        while (Processes().Count > 0 && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Directory.Delete(Tree, recursive: true);
    }

    /// <summary>unshare ignores SIGTERM while it waits; SIGKILL ends it, and --kill-child then ends the node's PID 1.</summary>
    private static void Stop(Process? unshare)
    {
        if (unshare is null) return;
        try { unshare.Kill(); } catch (InvalidOperationException) { }
        unshare.WaitForExit();
        unshare.Dispose();
    }

    /// <summary>The forked child of unshare: PID 1 of the node, once it has entered its namespaces. It is tini, which
    /// reaps what dies in the node: under a PID 1 that does not (plain <c>sleep</c>), a stopped daemon stays a zombie,
    /// <c>kill -0</c> still finds it and OpenRC's <c>stop</c> waits for it forever.</summary>
    private static int WaitForInit(Process unshare)
    {
        var own = new FileInfo("/proc/self/ns/pid").LinkTarget;
        var deadline = DateTime.UtcNow + Limit;
        while (DateTime.UtcNow < deadline)
        {
            if (unshare.HasExited) throw new InvalidOperationException($"unshare ended with status {unshare.ExitCode}");
            var children = File.ReadAllText($"/proc/{unshare.Id}/task/{unshare.Id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (children.Length == 1 && int.TryParse(children[0], out var child)
                && new FileInfo($"/proc/{child}/ns/pid").LinkTarget is { } ns && ns != own
                && File.ReadAllText($"/proc/{child}/comm").Trim() == "tini")
                return child;
            Thread.Sleep(20);
        }
        throw new TimeoutException("The node's PID 1 did not start.");
    }

    /// <summary>Runs a command on this machine (preparing a tree) and requires it to succeed.</summary>
    internal static void Host(IReadOnlyList<string> argv)
    {
        var result = new CommandRunner().Run(argv, null, Limit, 1 << 20);
        if (result.Status != 0) throw new InvalidOperationException($"{string.Join(' ', argv)} failed: {result.Stderr}");
    }
}
