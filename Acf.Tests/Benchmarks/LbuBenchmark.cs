using Acf.Tests.Broker.Lbu;
using Xunit.Abstractions;

namespace Acf.Tests.Benchmarks;

/// <summary>
/// How long the demo host's <c>lbu status</c> takes on a root with 2,000 files under /etc, half of them owned
/// (unchanged) by a package in the installed database. Not a timed test: it does nothing unless ACF_BENCHMARK=1,
/// and then prints the medians (run with <c>--logger "console;verbosity=detailed"</c> to see them).
/// </summary>
public sealed class LbuBenchmark(ITestOutputHelper output)
{
    private const int Files = 2000;
    private const int Runs = 9;

    [Fact]
    public void Status_TwoThousandFiles_PrintsMedian()
    {
        if (!Benchmark.Enabled) return;
        using var root = new LbuTestRoot();
        root.Conf("LBU_BACKUPDIR=/var/lib/lbu\nBACKUP_LIMIT=3\n");
        var owned = new List<(string, string)>();
        for (var i = 0; i < Files; i++)
        {
            var path = $"/etc/app{i / 50:D2}/file{i:D4}.conf";
            var content = $"# file {i}\n" + string.Concat(Enumerable.Repeat($"option{i} = value {i}\n", 1 + i % 40));
            root.Write(path, content);
            if (i % 2 == 0) owned.Add((path, content));
        }
        root.InstalledDatabase([.. owned]);
        var lbu = root.Demo();

        var noArchive = Median(() => lbu.Status());
        var list = Median(() => lbu.List());
        lbu.Commit();
        var commit = Median(() => { root.Time.Advance(TimeSpan.FromSeconds(1)); lbu.Commit(); });
        var clean = Median(() => lbu.Status());
        for (var i = 1; i < 40; i += 4) root.Write($"/etc/app00/file{i:D4}.conf", "changed\n");
        var changed = Median(() => lbu.Status());

        var report = $"LbuBenchmark ({Files} files, {owned.Count} owned, median of {Runs}): "
            + $"status without archive {noArchive:F1} ms, list {list:F1} ms, commit {commit:F1} ms, "
            + $"status against archive {clean:F1} ms, status with 10 changes {changed:F1} ms";
        output.WriteLine(report);
        Console.WriteLine(report);
        Assert.Equal(10, lbu.Status().Count);
    }

    private static double Median(Action action) => Benchmark.Median(Runs, action);
}
