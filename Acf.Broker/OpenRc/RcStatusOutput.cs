using System.Text.RegularExpressions;

namespace Acf.Broker.OpenRc;

/// <summary>One service line of <c>rc-status</c>: the name, the state it maps to, the bracketed text as printed
/// (<c>started 00:05:12 (0)</c>, <c>crashed</c>) and the runlevel heading it was listed under (null for
/// <c>--servicelist</c>, which prints no headings).</summary>
public sealed record RcStatusEntry(string Service, ServiceState State, string Status, string? Runlevel);

/// <summary>
/// Reads <c>rc-status</c> (default, <c>--all</c> and <c>--servicelist</c> output). From src/rc-status/rc-status.c and
/// libeinfo's <c>_eend</c>: headings are <c>Runlevel: default</c>, <c>Dynamic Runlevel: hotplugged</c>,
/// <c>Stacked Runlevel: x</c>; each service is <c>printf(" %s", service)</c> then, without a terminal, spaces up to
/// column 80 minus the status and <c>" [ %s ]"</c> with the status <c>" started "</c>, <c>" started 1 day(s)
/// 02:03:04 (0)"</c> (supervised), <c>" stopped "</c>, <c>"starting "</c>, <c>"stopping "</c>, <c>"inactive "</c>,
/// <c>" crashed "</c>, <c>" unsupervised "</c>, <c>"scheduled"</c> or <c>"failed"</c>.
/// </summary>
public static partial class RcStatusOutput
{
    public static IReadOnlyList<RcStatusEntry> Parse(string text)
    {
        var entries = new List<RcStatusEntry>();
        string? runlevel = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = Escapes().Replace(raw, "").TrimEnd('\r', ' ', '\t');
            if (Heading().Match(line) is { Success: true } heading)
            {
                runlevel = heading.Groups["level"].Value;
                continue;
            }
            var open = line.LastIndexOf('[');
            if (open < 0 || !line.EndsWith(']')) continue;
            var service = line[..open].Trim();
            if (!IServiceManager.IsValidName(service)) continue;
            var status = line[(open + 1)..^1].Trim();
            entries.Add(new RcStatusEntry(service, StateOf(status), status, runlevel));
        }
        return entries;
    }

    /// <summary>The state for a bracketed status; the first word decides (<c>started 00:05:12 (0)</c> is started).</summary>
    public static ServiceState StateOf(string status) => status.Split(' ', 2)[0] switch
    {
        "started" => ServiceState.Started,
        "stopped" => ServiceState.Stopped,
        "starting" => ServiceState.Starting,
        "stopping" => ServiceState.Stopping,
        "inactive" => ServiceState.Inactive,
        "crashed" => ServiceState.Crashed,
        // supervise-daemon is gone but its child still runs: rc-status paints it as bad as crashed.
        "unsupervised" => ServiceState.Crashed,
        "failed" => ServiceState.Failed,
        // Waiting for another service to start before it starts itself: not running yet.
        "scheduled" => ServiceState.Stopped,
        _ => ServiceState.Unknown,
    };

    [GeneratedRegex(@"^(?:(?:Dynamic|Stacked) )?Runlevel: (?<level>\S+)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex Escapes();
}
