using System.Globalization;

namespace Acf.Broker.OpenRc;

/// <summary>
/// OpenRC on the demo host, over the files OpenRC keeps, inside the demo root only: scripts in <c>/etc/init.d</c>,
/// runlevels as <c>/etc/runlevels/&lt;level&gt;/&lt;name&gt;</c> symlinks to <c>/etc/init.d/&lt;name&gt;</c>, and
/// state as librc's <c>rc_service_mark</c> keeps it: a symlink to the script in <c>/run/openrc/started</c> (or
/// <c>starting</c>, <c>stopping</c>, <c>inactive</c>), plus one in <c>/run/openrc/failed</c> for a service that
/// failed (with the started link: crashed). Control changes those links and answers with the text
/// <c>rc-service</c> and <c>rc-update</c> print, marked simulated; nothing runs. Dependencies are not followed:
/// stopping <c>networking</c> leaves the services that need it as they are.
/// </summary>
internal sealed class DemoServiceManager(SystemHost host, TimeProvider time) : IServiceManager
{
    private readonly OpenRcTree _tree = new(host.Root);

    // Blazor circuits call in parallel, through however many instances the container makes: one change at a time
    // keeps the state links consistent.
    private static readonly Lock Gate = new();

    public IReadOnlyList<ServiceInfo> List() =>
        _tree.Services().Select(Info).ToList();

    public ServiceInfo? Get(string name) =>
        IServiceManager.IsValidName(name) && _tree.ScriptPath(name) == OpenRcTree.InitDir + "/" + name ? Info(name) : null;

    public IReadOnlyList<string> Runlevels() => _tree.Runlevels();

    public ExecResult Control(string name, ServiceVerb verb)
    {
        if (!IServiceManager.IsValidName(name)) return Result(1, "", Line($"rc-service: `{Printable(name)}' is not a valid service name"));
        if (Get(name) is null) return Result(1, "", Line($"rc-service: service `{name}' does not exist"));
        var script = _tree.ReadScript(name) ?? InitScript.Empty;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        try
        {
            lock (Gate)
            {
                var status = verb switch
                {
                    ServiceVerb.Start => Start(name, script, stdout, stderr),
                    ServiceVerb.Stop => Stop(name, script, stdout, stderr),
                    ServiceVerb.Restart => Restart(name, script, stdout, stderr),
                    ServiceVerb.Reload => Reload(name, script, stdout, stderr),
                    _ => throw new ArgumentOutOfRangeException(nameof(verb)),
                };
                return Result(status, stdout.ToString(), stderr.ToString());
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.Append(Line($"{name}: {e.Message}"));
            return Result(1, stdout.ToString(), stderr.ToString());
        }
    }

    public ExecResult SetRunlevels(string name, IReadOnlyCollection<string> runlevels)
    {
        if (!IServiceManager.IsValidName(name)) return Result(1, "", Line($"rc-update: `{Printable(name)}' is not a valid service name"));
        if (runlevels.FirstOrDefault(level => !_tree.RunlevelExists(level)) is { } bad)
            return Result(1, "", Line($"rc-update: `{Printable(bad)}' is not a valid runlevel"));
        if (Get(name) is null) return Result(1, "", Line($"rc-update: service `{name}' does not exist"));

        var stdout = new StringBuilder();
        try
        {
            lock (Gate)
            {
                var current = _tree.RunlevelsOf(name);
                foreach (var level in current.Except(runlevels).Order(StringComparer.Ordinal))
                {
                    RemoveEntry(OpenRcTree.RunlevelDir + "/" + level, name);
                    stdout.Append(Line($"service {name} removed from runlevel {level}"));
                }
                foreach (var level in runlevels.Except(current).Distinct().Order(StringComparer.Ordinal))
                {
                    Link(OpenRcTree.RunlevelDir + "/" + level, name);
                    stdout.Append(Line($"service {name} added to runlevel {level}"));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Result(1, stdout.ToString(), Line($"rc-update: {e.Message}"));
        }
        return Result(0, stdout.ToString(), "");
    }

    private ServiceInfo Info(string name)
    {
        var script = _tree.ReadScript(name) ?? InitScript.Empty;
        return new ServiceInfo(name, StateOf(name), _tree.RunlevelsOf(name), script.Description, script.AllExtraCommands);
    }

    /// <summary>The state as rc-status reports it, in its order of precedence.</summary>
    private ServiceState StateOf(string name)
    {
        if (Marked("stopping", name)) return ServiceState.Stopping;
        if (Marked("starting", name)) return ServiceState.Starting;
        if (Marked("inactive", name)) return ServiceState.Inactive;
        if (Marked("started", name)) return Marked("failed", name) ? ServiceState.Crashed : ServiceState.Started;
        if (Marked("failed", name)) return ServiceState.Failed;
        return ServiceState.Stopped;
    }

    private bool Marked(string state, string name)
    {
        try
        {
            return OpenRcTree.EntryExists(Path.Combine(_tree.HostPath(OpenRcTree.StateDir + "/" + state), name));
        }
        catch (IOException)
        {
            return false;
        }
    }

    private bool Running(string name) => Marked("started", name) || Marked("starting", name) || Marked("inactive", name);

    private int Start(string name, InitScript script, StringBuilder stdout, StringBuilder stderr)
    {
        if (Marked("started", name))
        {
            stderr.Append(Line($"WARNING: {name} has already been started"));
            return 0;
        }
        stdout.Append(Begin($"Starting {DisplayName(name, script)}")).Append(Ok);
        foreach (var state in new[] { "starting", "stopping", "inactive", "failed" }) RemoveEntry(OpenRcTree.StateDir + "/" + state, name);
        Link(OpenRcTree.StateDir + "/started", name);
        if (script.Supervisor == "supervise-daemon") RecordSupervisedStart(name);
        return 0;
    }

    private int Stop(string name, InitScript script, StringBuilder stdout, StringBuilder stderr)
    {
        if (!Running(name))
        {
            stderr.Append(Line($"WARNING: {name} is already stopped"));
            return 0;
        }
        var levels = _tree.RunlevelsOf(name);
        if (levels.Contains("sysinit")) stderr.Append(Line("WARNING: you are stopping a sysinit service"));
        else if (levels.Contains("boot")) stderr.Append(Line("WARNING: you are stopping a boot service"));
        stdout.Append(Begin($"Stopping {DisplayName(name, script)}")).Append(Ok);
        foreach (var state in new[] { "started", "starting", "stopping", "inactive", "failed" }) RemoveEntry(OpenRcTree.StateDir + "/" + state, name);
        // Marking a service stopped drops what it stored (librc removes /run/openrc/options/<name>).
        var options = _tree.HostPath(OpenRcTree.StateDir + "/options/" + name);
        if (Directory.Exists(options)) Directory.Delete(options, recursive: true);
        return 0;
    }

    private int Restart(string name, InitScript script, StringBuilder stdout, StringBuilder stderr)
    {
        // openrc-run stops first unless the service is stopped (a failed service counts as stopped).
        if (Running(name)) Stop(name, script, stdout, stderr);
        return Start(name, script, stdout, stderr);
    }

    private int Reload(string name, InitScript script, StringBuilder stdout, StringBuilder stderr)
    {
        if (!script.AllExtraCommands.Contains("reload"))
        {
            stderr.Append(Line($"{name}: unknown function `reload'"));
            return 1;
        }
        // openrc-run.sh refuses an extra_started_command on a stopped service; a reload of a daemon that does not run
        // would fail as well, so the demo refuses it wherever the script lists it.
        if (StateOf(name) is not (ServiceState.Started or ServiceState.Crashed))
        {
            stderr.Append(Line($"{name}: cannot `reload' as it has not been started"));
            return 1;
        }
        stdout.Append(Begin($"Reloading {DisplayName(name, script)}")).Append(Ok);
        return 0;
    }

    /// <summary>What supervise-daemon stores when it starts a daemon, which rc-status shows as the uptime.</summary>
    private void RecordSupervisedStart(string name)
    {
        var options = _tree.HostPath(OpenRcTree.StateDir + "/options/" + name);
        Directory.CreateDirectory(options);
        // from_time_t: strftime("%Y-%m-%d %H:%M:%S", localtime(...)); values are written without a newline.
        File.WriteAllText(Path.Combine(options, "start_time"),
            time.GetLocalNow().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        File.WriteAllText(Path.Combine(options, "start_count"), "0");
    }

    /// <summary>Creates <c>&lt;dir&gt;/&lt;name&gt; -&gt; /etc/init.d/&lt;name&gt;</c> as librc does for runlevels and
    /// states; the folder is resolved inside the root, and the name holds no slash, so the link stays inside it.</summary>
    private void Link(string rootedDir, string name)
    {
        var dir = _tree.HostPath(rootedDir);
        Directory.CreateDirectory(dir);
        var link = Path.Combine(dir, name);
        if (OpenRcTree.EntryExists(link)) File.Delete(link);
        File.CreateSymbolicLink(link, OpenRcTree.InitDir + "/" + name);
    }

    private void RemoveEntry(string rootedDir, string name)
    {
        var entry = new FileInfo(Path.Combine(_tree.HostPath(rootedDir), name));
        if (entry.LinkTarget is not null || entry.Exists) entry.Delete(); // the link itself, never what it points to
    }

    /// <summary>start-stop-daemon.sh says <c>Starting ${name:-$RC_SVCNAME}</c>; scripts often set
    /// <c>name="busybox $RC_SVCNAME"</c>.</summary>
    private static string DisplayName(string name, InitScript script) =>
        script.Name is { } display && !display.Replace("${RC_SVCNAME}", "").Replace("$RC_SVCNAME", "").Replace("${SVCNAME}", "").Replace("$SVCNAME", "").Contains('$')
            ? display.Replace("${RC_SVCNAME}", name).Replace("$RC_SVCNAME", name).Replace("${SVCNAME}", name).Replace("$SVCNAME", name)
            : name;

    // libeinfo without a terminal: einfo/ewarn/eerror print " * " and the text; ebegin adds " ..." and eend(0)
    // follows on the same line with " [ ok ]".
    private const string Ok = " [ ok ]\n";

    private static string Begin(string text) => $" * {text} ...";

    private static string Line(string text) => $" * {text}\n";

    private static ExecResult Result(int status, string stdout, string stderr) => new(status, stdout, stderr, false, false, Simulated: true);

    private static string Printable(string text) => new(text.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
