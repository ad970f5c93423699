namespace Acf.Tests.Benchmarks;

/// <summary>
/// What the benchmarks share: each runs only when asked (ACF_BENCHMARK=1), and measures the median wall time of a
/// number of runs after one run to warm up.
/// </summary>
internal static class Benchmark
{
    /// <summary>True when ACF_BENCHMARK=1; otherwise a benchmark returns at once.</summary>
    public static bool Enabled => Environment.GetEnvironmentVariable("ACF_BENCHMARK") == "1";

    /// <summary>The median of <paramref name="runs"/> timed runs of <paramref name="action"/>, in milliseconds.</summary>
    public static double Median(int runs, Action action)
    {
        action(); // warm up
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[runs / 2];
    }
}
