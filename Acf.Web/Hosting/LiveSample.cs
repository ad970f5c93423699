namespace Acf.Web.Hosting;

/// <summary>An interface's byte counters as <c>/proc/net/dev</c> gives them (since boot, or since the counter wrapped).</summary>
public sealed record InterfaceCounters(string Name, ulong ReceivedBytes, ulong SentBytes);

/// <summary>
/// One reading of the counters the dashboard follows, as <c>alpine-baselayout/health/live</c> answers it: the
/// <c>cpu</c> line of <c>/proc/stat</c> (jiffies), memory from <c>/proc/meminfo</c> (KiB), per-interface bytes,
/// uptime and load. A figure the module could not read is null (the dashboard shows its error instead).
/// </summary>
public sealed record LiveSample(DateTimeOffset At, IReadOnlyList<ulong> CpuJiffies, long? MemoryTotalKib,
    long? MemoryAvailableKib, IReadOnlyList<InterfaceCounters> Interfaces, long? UptimeSeconds, string Load)
{
    /// <summary>Reads the action's group; never throws on a missing or malformed field.</summary>
    public static LiveSample From(CfeNode live, DateTimeOffset at)
    {
        var cpu = (live.Find("cpu")?.Text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => ulong.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : (ulong?)null)
            .ToList();
        var interfaces = live.Find("interfaces")?.Rows
            .Select(r => (Name: r.GetValueOrDefault("name"), Rx: Counter(r.GetValueOrDefault("rx")), Tx: Counter(r.GetValueOrDefault("tx"))))
            .Where(r => !string.IsNullOrEmpty(r.Name) && r.Rx is not null && r.Tx is not null)
            .Select(r => new InterfaceCounters(r.Name!, r.Rx!.Value, r.Tx!.Value))
            .ToList() ?? [];
        return new LiveSample(at, cpu.Contains(null) ? [] : cpu.Select(v => v!.Value).ToList(),
            Number(live.Find("memory_total")?.Text), Number(live.Find("memory_available")?.Text),
            interfaces, Number(live.Find("uptime")?.Text), live.Find("load")?.Text ?? "");
    }

    /// <summary>Busy and total jiffies: user, nice, system, irq, softirq and steal are busy; idle and iowait are not
    /// (guest time is already counted in user, so fields past the eighth are left out).</summary>
    public (ulong Busy, ulong Total)? CpuTimes()
    {
        if (CpuJiffies.Count < 4) return null;
        var counted = CpuJiffies.Take(8).ToList();
        var total = counted.Aggregate(0UL, (sum, v) => sum + v);
        var idle = counted[3] + (counted.Count > 4 ? counted[4] : 0);
        return (total - idle, total);
    }

    private static ulong? Counter(string? text) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static long? Number(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
}
