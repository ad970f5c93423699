namespace Acf.Broker.OpenRc;

/// <summary>
/// OpenRC on a real Alpine box: <c>rc-update -v show</c> lists every init script with its runlevels,
/// <c>rc-status --servicelist</c> gives every service's state, the scripts themselves (read under the root) give the
/// description and extra commands; <c>rc-service</c> and <c>rc-update add/del</c> make the changes. Commands run as
/// argv lists through <see cref="CommandRunner"/>, never through a shell.
/// </summary>
internal sealed class AlpineServiceManager(SystemHost host, CommandRunner runner) : IServiceManager
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(30);

    // Starting a service waits for the ones it needs; OpenRC itself warns after 60 s and gives up later.
    private static readonly TimeSpan ControlTimeout = TimeSpan.FromSeconds(180);

    private const int OutputLimit = 1024 * 1024;

    private readonly OpenRcTree _tree = new(host.Root);

    public IReadOnlyList<ServiceInfo> List()
    {
        var update = runner.Run(["rc-update", "-v", "show"], null, QueryTimeout, OutputLimit);
        if (update.Status != 0)
            throw new InvalidOperationException($"rc-update show failed with status {update.Status}: {update.Stderr.Trim()}");

        // --nocolor first: rc-status acts on -s as soon as it reads it. Without a terminal it prints no colours anyway.
        var status = runner.Run(["rc-status", "--nocolor", "--servicelist"], null, QueryTimeout, OutputLimit);
        var parsed = status.Status == 0 ? RcStatusOutput.Parse(status.Stdout) : [];
        if (parsed.Count == 0)
        {
            // Defensive: should --servicelist fail or print nothing, --all lists every runlevel plus the started,
            // failed and starting services outside them, so a service it leaves out is stopped as well.
            status = runner.Run(["rc-status", "--nocolor", "--all"], null, QueryTimeout, OutputLimit);
            parsed = status.Status == 0 ? RcStatusOutput.Parse(status.Stdout) : [];
        }
        var states = new Dictionary<string, ServiceState>(StringComparer.Ordinal);
        foreach (var entry in parsed) states.TryAdd(entry.Service, entry.State);

        return RcUpdateOutput.Parse(update.Stdout)
            .Select(entry =>
            {
                var script = _tree.ReadScript(entry.Service) ?? InitScript.Empty;
                // Both listings cover every service that is not plainly stopped.
                var state = status.Status != 0 ? ServiceState.Unknown : states.GetValueOrDefault(entry.Service, ServiceState.Stopped);
                return new ServiceInfo(entry.Service, state, entry.Runlevels, script.Description, script.AllExtraCommands);
            })
            .ToList();
    }

    public ServiceInfo? Get(string name) =>
        IServiceManager.IsValidName(name) ? List().FirstOrDefault(s => s.Name == name) : null;

    public IReadOnlyList<string> Runlevels() => _tree.Runlevels();

    public ExecResult Control(string name, ServiceVerb verb)
    {
        if (!IServiceManager.IsValidName(name)) return Refusal($" * rc-service: `{Printable(name)}' is not a valid service name\n");
        var command = verb switch
        {
            ServiceVerb.Start => "start",
            ServiceVerb.Stop => "stop",
            ServiceVerb.Restart => "restart",
            ServiceVerb.Reload => "reload",
            _ => throw new ArgumentOutOfRangeException(nameof(verb)),
        };
        return runner.Run(["rc-service", name, command], null, ControlTimeout, OutputLimit);
    }

    public ExecResult SetRunlevels(string name, IReadOnlyCollection<string> runlevels)
    {
        if (!IServiceManager.IsValidName(name)) return Refusal($" * rc-update: `{Printable(name)}' is not a valid service name\n");
        if (runlevels.FirstOrDefault(level => !IServiceManager.IsValidName(level)) is { } bad)
            return Refusal($" * rc-update: `{Printable(bad)}' is not a valid runlevel\n");

        // The same test rc-update makes: the runlevel's entry for the script exists.
        var current = _tree.RunlevelsOf(name);
        var commands = current.Except(runlevels).Order(StringComparer.Ordinal).Select(level => (Verb: "del", Level: level))
            .Concat(runlevels.Except(current).Distinct().Order(StringComparer.Ordinal).Select(level => (Verb: "add", Level: level)));

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var truncated = false;
        foreach (var (verb, level) in commands)
        {
            var result = runner.Run(["rc-update", verb, name, level], null, QueryTimeout, OutputLimit);
            stdout.Append(result.Stdout);
            stderr.Append(result.Stderr);
            truncated |= result.Truncated;
            // Stop at the first failure: what ran is reported, and nothing more changes behind an error.
            if (result.Status != 0 || result.TimedOut)
                return new ExecResult(result.Status, stdout.ToString(), stderr.ToString(), result.TimedOut, truncated, false);
        }
        return new ExecResult(0, stdout.ToString(), stderr.ToString(), false, truncated, false);
    }

    private static ExecResult Refusal(string message) => new(1, "", message, false, false, false);

    private static string Printable(string text) => new(text.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
