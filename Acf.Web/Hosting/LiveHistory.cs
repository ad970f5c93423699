namespace Acf.Web.Hosting;

/// <summary>
/// The dashboard's recent past, one per open dashboard: the CPU use and each interface's traffic as rates between
/// consecutive <see cref="LiveSample"/>s, the last <see cref="Capacity"/> of each. A counter that went down (a reboot,
/// a 32-bit wrap, the demo's recording starting over) gives no rate for that step rather than a negative or huge one.
/// </summary>
public sealed class LiveHistory(int capacity = 30)
{
    private readonly List<double> _cpu = [];
    private readonly Dictionary<string, (List<double> Received, List<double> Sent)> _traffic = new(StringComparer.Ordinal);

    public int Capacity => capacity;

    public LiveSample? Latest { get; private set; }

    /// <summary>CPU busy percent per step, oldest first.</summary>
    public IReadOnlyList<double> Cpu => _cpu;

    /// <summary>The latest CPU busy percent, or null before the second sample.</summary>
    public double? CpuPercent => _cpu.Count > 0 ? _cpu[^1] : null;

    /// <summary>Interfaces seen in the latest sample, in the order the kernel lists them.</summary>
    public IReadOnlyList<string> Interfaces => Latest?.Interfaces.Select(i => i.Name).ToList() ?? [];

    /// <summary>Received and sent bits per second per step, oldest first (empty for an interface not yet measured).</summary>
    public (IReadOnlyList<double> Received, IReadOnlyList<double> Sent) Traffic(string name) =>
        _traffic.TryGetValue(name, out var t) ? (t.Received, t.Sent) : ([], []);

    public void Add(LiveSample sample)
    {
        var previous = Latest;
        Latest = sample;
        if (previous is null) return;
        var seconds = (sample.At - previous.At).TotalSeconds;
        if (seconds <= 0) return;

        if (previous.CpuTimes() is { } before && sample.CpuTimes() is { } now
            && now.Total > before.Total && now.Busy >= before.Busy)
            Push(_cpu, 100.0 * (now.Busy - before.Busy) / (now.Total - before.Total));

        foreach (var counters in sample.Interfaces)
        {
            var old = previous.Interfaces.FirstOrDefault(i => i.Name == counters.Name);
            if (old is null || counters.ReceivedBytes < old.ReceivedBytes || counters.SentBytes < old.SentBytes) continue;
            if (!_traffic.TryGetValue(counters.Name, out var series))
                _traffic[counters.Name] = series = ([], []);
            Push(series.Received, (counters.ReceivedBytes - old.ReceivedBytes) * 8 / seconds);
            Push(series.Sent, (counters.SentBytes - old.SentBytes) * 8 / seconds);
        }
    }

    private void Push(List<double> series, double value)
    {
        series.Add(value);
        if (series.Count > capacity) series.RemoveAt(0);
    }
}
