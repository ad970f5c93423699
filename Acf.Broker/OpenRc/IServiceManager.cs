namespace Acf.Broker.OpenRc;

/// <summary>OpenRC's states as <c>rc-status</c> names them.</summary>
public enum ServiceState { Stopped, Started, Starting, Stopping, Crashed, Inactive, Failed, Unknown }

/// <summary>One service of <c>/etc/init.d</c>: its state, the runlevels it is added to, its description and the extra
/// commands its script offers (e.g. <c>reload</c>, <c>checkconfig</c>).</summary>
public sealed record ServiceInfo(string Name, ServiceState State, IReadOnlyList<string> Runlevels, string? Description,
    IReadOnlyList<string> ExtraCommands);

public enum ServiceVerb { Start, Stop, Restart, Reload }

/// <summary>
/// OpenRC, on Alpine through <c>rc-service</c>, <c>rc-update</c> and <c>rc-status</c>, on the demo host over the real
/// files (<c>/etc/init.d</c>, <c>/etc/runlevels/*</c> symlinks, <c>/run/openrc/started</c>). Names are validated by
/// the caller (<see cref="IsValidName"/>); the broker checks capabilities and audits.
/// </summary>
internal interface IServiceManager
{
    IReadOnlyList<ServiceInfo> List();

    ServiceInfo? Get(string name);

    /// <summary>The runlevels (folders of /etc/runlevels), sorted.</summary>
    IReadOnlyList<string> Runlevels();

    /// <summary>Runs the verb; the result carries the command's output (simulated text on the demo host).</summary>
    ExecResult Control(string name, ServiceVerb verb);

    /// <summary>Makes the service's runlevels exactly <paramref name="runlevels"/>, as the difference with
    /// <c>rc-update del</c> / <c>rc-update add</c>; the output of every command run.</summary>
    ExecResult SetRunlevels(string name, IReadOnlyCollection<string> runlevels);

    /// <summary>A service or runlevel name: <c>[A-Za-z0-9][A-Za-z0-9._-]*</c>, at most 64 characters.</summary>
    static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
