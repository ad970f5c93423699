using Xunit.Abstractions;

namespace Acf.Tests.Benchmarks;

/// <summary>
/// What the audit page costs on a large log (40,000 entries, about 16 MB): the first page, a filter that matches
/// rarely, a page deep in the log, and the chain check. Not a timed test: it does nothing unless ACF_BENCHMARK=1, and
/// then prints the medians (run with <c>--logger "console;verbosity=detailed"</c> to see them).
/// </summary>
public sealed class AuditBenchmark(ITestOutputHelper output)
{
    private const int Entries = 40_000;
    private const int Runs = 5;

    [Fact]
    public void Query_FortyThousandEntries_PrintsMedians()
    {
        if (!Benchmark.Enabled) return;
        using var host = new ModuleTestHost();
        var log = host.Audit;
        var hash = new string('a', 64);
        var write = Stopwatch.StartNew();
        // Written as the broker writes them (one fsync each).
        for (var i = 0; i < Entries; i++)
        {
            var caller = new BrokerCaller(i % 97 == 0 ? "rare-user" : "root", i % 3 == 0 ? "squid" : "alpine-baselayout", "192.0.2.7", "config/edit");
            log.Write(caller, "write", $"/etc/file{i % 500}.conf", files: [new AuditFile($"/etc/file{i % 500}.conf", hash, hash)],
                result: new AuditResult(Validator: "status 0"));
        }
        var writeAll = write.Elapsed.TotalSeconds;

        var first = Median(() => log.Query(new AuditQuery(), 0, 50));
        var rare = Median(() => log.Query(new AuditQuery(User: "rare-user"), 0, 50));
        var text = Median(() => log.Query(new AuditQuery(Text: "file42.conf"), 0, 50));
        var deep = Median(() => log.Query(new AuditQuery(), 2000, 50));
        var verify = Median(() => log.Verify());

        var size = new FileInfo(log.Path).Length >> 20;
        var report = $"AuditBenchmark ({Entries} entries, {size} MiB, written in {writeAll:F0} s, median of {Runs}): first page {first:F1} ms, "
            + $"rare user {rare:F1} ms, text filter {text:F1} ms, page 41 {deep:F1} ms, verify {verify:F0} ms";
        output.WriteLine(report);
        Console.WriteLine(report);
        Assert.True(log.Verify().Intact);
    }

    private static double Median(Action action) => Benchmark.Median(Runs, action);
}
