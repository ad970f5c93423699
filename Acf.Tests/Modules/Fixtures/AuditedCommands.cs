namespace Acf.Tests.Modules.Fixtures;

/// <summary>
/// The commands an action ran, read back from the audit log (what an auditor sees), as the argv a real Alpine box
/// runs: commands as they were asked for (simulated on the demo host or not), a service control as
/// <c>rc-service NAME VERB</c>, runlevels as <c>rc-update set NAME LEVEL...</c>, apk as <c>apk VERB PACKAGE...</c>,
/// an lbu change as <c>lbu KIND [PATH]</c>. A write's validator is the broker's check of the write, not a command
/// of the action, and refused calls ran nothing: neither is listed.
/// </summary>
public static class AuditedCommands
{
    public static IReadOnlyList<IReadOnlyList<string>> Of(IEnumerable<AuditEntry> entries) =>
        entries.Select(Command).OfType<IReadOnlyList<string>>().ToList();

    private static IReadOnlyList<string>? Command(AuditEntry entry)
    {
        if (entry.Result?.Refused is not null) return null;
        var action = entry.Action;
        if (action is "exec" or "exec-simulated" || action.StartsWith("apk-", StringComparison.Ordinal)) return entry.Argv;
        if (action == "service-runlevels")
        {
            var levels = (entry.Detail ?? "").Split(';')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return ["rc-update", "set", entry.Target, .. levels];
        }
        if (action.StartsWith("service-", StringComparison.Ordinal)) return ["rc-service", entry.Target, action["service-".Length..]];
        if (action.StartsWith("lbu-", StringComparison.Ordinal))
            return entry.Target.Length == 0 ? ["lbu", action["lbu-".Length..]] : ["lbu", action["lbu-".Length..], entry.Target];
        return null;
    }
}
