using Acf.Broker;
using Acf.Broker.Catalog;
using Acf.Modules;
using Acf.Modules.Cfe;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Acf.Bench;

/// <summary>The Squid settings read in a kept state against plain lua5.4, alternated round by round.</summary>
/// <param name="AcfUs">CPU per read of the thread that runs it: taking the kept state, the read, giving it back (its full collection).</param>
/// <param name="LuaUs">plain lua5.4's CPU per read (chunks compiled once), measured between Acf's rounds.</param>
/// <param name="Ratio">The median of each round's ratio, so that the machine's drift between rounds cancels.</param>
/// <param name="Runs">Reads of each kind in a round.</param>
internal sealed record SquidRatioTimes(double AcfUs, double LuaUs, double Ratio, int Rounds, int Runs);

/// <summary>
/// What issue 19's Squid row compares, measured as a worker runs the read: a kept state of the module and the user
/// (<see cref="LuaStatePool"/>), on one thread, timed by that thread's CPU clock (a worker is compiled ahead of time:
/// it has no JIT thread whose work would land in the process's CPU), with plain lua5.4 run between the rounds on the
/// same file (<c>--squid-ratio &lt;repository&gt; [rounds]</c>).
/// </summary>
internal static class SquidRatio
{
    public static async Task<SquidRatioTimes> MeasureAsync(string repository, BenchData data, int rounds, int runs)
    {
        using var host = SandboxTiming.BuildHost(repository, data);
        var (request, broker, catalog, limits) = SandboxTiming.ActionRequest(host.Services, "squid", "config", "edit");
        using var pool = new LuaStatePool();
        var domain = LuaStatePool.DomainOf(request.Module.Prefix, request.User, broker.Info);
        double Read()
        {
            var start = ActionProfile.ThreadCpu();
            var state = pool.Take(domain, limits);
            if (state.Run(request, broker, catalog, limits, NullLogger.Instance).Error is { } error) throw new InvalidOperationException(error);
            pool.Return(domain, state);
            return (ActionProfile.ThreadCpu() - start) / 1000.0;
        }
        var acf = new List<double>();
        var lua = new List<double>();
        var ratios = new List<double>();
        await SandboxTiming.OnThread(() =>
        {
            for (var i = 0; i < 40; i++) Read(); // the runtime's second compilation of hot methods comes after 30 calls
            for (var round = 0; round < rounds; round++)
            {
                var plain = LuaBaseline.Run(repository, data.SquidConf, runs, guarded: false).Cached;
                var median = Timing.Median(Enumerable.Range(0, runs).Select(_ => Read()));
                acf.Add(median);
                lua.Add(plain);
                ratios.Add(median / plain);
            }
            return 0;
        });
        return new SquidRatioTimes(Timing.Median(acf), Timing.Median(lua), Timing.Median(ratios), rounds, runs);
    }
}
