using Acf.Web.Hosting;

namespace Acf.Tests.Hosting;

public class LiveHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static LiveSample Sample(double seconds, string cpu, params (string Name, ulong Rx, ulong Tx)[] interfaces) =>
        new(T0.AddSeconds(seconds), cpu.Split(' ').Select(ulong.Parse).ToList(), 1000, 400,
            interfaces.Select(i => new InterfaceCounters(i.Name, i.Rx, i.Tx)).ToList(), 100, "0.1 0.2 0.3");

    [Fact]
    public void Add_TwoSamples_CpuBusyShareOfTheJiffiesBetweenThem()
    {
        var history = new LiveHistory();

        // user nice system idle iowait irq softirq steal guest: 300 busy of 400, iowait counts as idle, guest not twice
        history.Add(Sample(0, "1000 0 1000 5000 100 0 0 0 50"));
        history.Add(Sample(2, "1200 0 1100 5050 150 0 0 0 90"));

        Assert.Equal(300.0 / 400 * 100, history.CpuPercent);
    }

    [Fact]
    public void Add_FirstSample_NoRateYet()
    {
        var history = new LiveHistory();

        history.Add(Sample(0, "1 2 3 4", ("eth0", 10, 10)));

        Assert.Null(history.CpuPercent);
        Assert.Empty(history.Traffic("eth0").Received);
        Assert.Equal(["eth0"], history.Interfaces);
    }

    [Fact]
    public void Add_Traffic_BitsPerSecondPerInterface()
    {
        var history = new LiveHistory();

        history.Add(Sample(0, "1 1 1 1", ("eth0", 1000, 5000), ("eth1", 0, 0)));
        history.Add(Sample(2, "2 2 2 2", ("eth0", 3000, 5500), ("eth1", 250, 0)));

        Assert.Equal([8000.0], history.Traffic("eth0").Received);
        Assert.Equal([2000.0], history.Traffic("eth0").Sent);
        Assert.Equal([1000.0], history.Traffic("eth1").Received);
    }

    /// <summary>A counter that goes down (reboot, 32-bit wrap, a recording starting over) gives no step, not a huge one.</summary>
    [Fact]
    public void Add_CountersWentDown_NoPointForThatStep()
    {
        var history = new LiveHistory();

        history.Add(Sample(0, "100 0 100 100", ("eth0", 9000, 9000)));
        history.Add(Sample(2, "10 0 10 10", ("eth0", 10, 10)));

        Assert.Empty(history.Cpu);
        Assert.Empty(history.Traffic("eth0").Received);
    }

    [Fact]
    public void Add_MoreThanCapacity_KeepsTheNewest()
    {
        var history = new LiveHistory(capacity: 3);

        for (var i = 0; i <= 5; i++) history.Add(Sample(i, $"{i * 10} 0 0 {i * 30}"));

        Assert.Equal(3, history.Cpu.Count);
        Assert.All(history.Cpu, p => Assert.Equal(25.0, p));
    }

    [Fact]
    public void From_MalformedFields_NullsNotExceptions()
    {
        var node = new CfeNode
        {
            Type = "group",
            Children =
            [
                new CfeNode { Type = "text", Name = "cpu", Text = "12 x 3" },
                new CfeNode { Type = "text", Name = "memory_total", Text = "" },
                new CfeNode
                {
                    Type = "structure", Name = "interfaces", Columns = ["name", "rx", "tx"],
                    Rows = [new Dictionary<string, string> { ["name"] = "eth0", ["rx"] = "-1", ["tx"] = "2" }],
                },
            ],
        };

        var sample = LiveSample.From(node, T0);

        Assert.Empty(sample.CpuJiffies);
        Assert.Null(sample.CpuTimes());
        Assert.Null(sample.MemoryTotalKib);
        Assert.Empty(sample.Interfaces);
    }
}
