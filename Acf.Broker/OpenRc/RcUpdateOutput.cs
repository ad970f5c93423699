namespace Acf.Broker.OpenRc;

/// <summary>One line of <c>rc-update -v show</c>: an init script and the runlevels it is added to (none when the
/// script is in no runlevel).</summary>
public sealed record RcUpdateEntry(string Service, IReadOnlyList<string> Runlevels);

/// <summary>
/// Reads <c>rc-update -v show</c>. OpenRC's <c>show()</c> (src/rc-update/rc-update.c) prints every init script as
/// <c>printf(" %20s |", service)</c> followed by <c>" %s"</c> for each runlevel, sorted: the runlevel's name where the
/// script is in it, as many spaces as the name is long where it is not. <c>-v</c> (EINFO_VERBOSE) adds the scripts
/// that are in no runlevel, as <c>"   local |"</c> followed only by blanks.
/// </summary>
public static class RcUpdateOutput
{
    public static IReadOnlyList<RcUpdateEntry> Parse(string text)
    {
        var entries = new List<RcUpdateEntry>();
        foreach (var line in text.Split('\n'))
        {
            var bar = line.IndexOf('|');
            if (bar < 0) continue;
            var service = line[..bar].Trim();
            if (!IServiceManager.IsValidName(service)) continue;
            var runlevels = line[(bar + 1)..]
                .Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries)
                .Where(IServiceManager.IsValidName)
                .ToList();
            entries.Add(new RcUpdateEntry(service, runlevels));
        }
        return entries;
    }
}
