using Acf.Web.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Acf.Tests.Hosting;

/// <summary>
/// Issue 19: the dashboard's live figures came from a Lua run every 2 s PER open dashboard, which starved the workers
/// under 50 circuits. One shared sampler runs the action once per interval for all of them, only while one watches, and
/// hands a reading only to users whose roles grant the health read.
/// </summary>
public sealed class LiveSamplerTests : IDisposable
{
    private readonly ModuleTestHost _host = ModuleTestHost.Demo();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-05T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose() => _host.Dispose();

    private LiveSampler Sampler() => new(_host.Runner, _host.Access, _time, NullLogger<LiveSampler>.Instance);

    /// <summary>Readings one watcher received, with a way to wait for the n-th.</summary>
    private sealed class Received
    {
        private readonly List<LiveReading> _readings = [];
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count
        {
            get
            {
                lock (_readings) return _readings.Count;
            }
        }

        public void Take(LiveReading reading)
        {
            lock (_readings)
            {
                _readings.Add(reading);
                _next.TrySetResult();
                _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public async Task UntilAsync(int count)
        {
            while (true)
            {
                Task next;
                lock (_readings)
                {
                    if (_readings.Count >= count) return;
                    next = _next.Task;
                }
                await next.WaitAsync(TimeSpan.FromSeconds(60));
            }
        }
    }

    [Fact]
    public async Task ThreeDashboards_OneRunPerInterval_EveryDashboardGetsEachReading()
    {
        await using var sampler = Sampler();
        var watchers = new[] { new Received(), new Received(), new Received() };
        var handles = new List<IDisposable>();
        foreach (var (watcher, user) in watchers.Zip([ModuleTestHost.User, ModuleTestHost.Admin, ModuleTestHost.User]))
            handles.Add((await sampler.WatchAsync(user, watcher.Take))!);

        // The first dashboard's reading is fresh for the other two: one run so far, everybody has a reading.
        Assert.Equal(1, sampler.Runs);
        Assert.All(watchers, w => Assert.Equal(1, w.Count));

        for (var tick = 2; tick <= 4; tick++)
        {
            // The run that delivered the last reading may not have ended yet; a tick before it ends is skipped (by
            // design: runs never pile up), and this test would wait for a reading that never comes (a CI run under load).
            await sampler.RunGoing;
            _time.Advance(LiveSampler.Interval);
            foreach (var watcher in watchers) await watcher.UntilAsync(tick);
        }

        Assert.Equal(4, sampler.Runs); // per circuit it was 12
        Assert.All(watchers, w => Assert.Equal(4, w.Count));
        Assert.NotNull(sampler.Latest!.Sample.MemoryTotalKib);
        handles.ForEach(h => h.Dispose());
    }

    [Fact]
    public async Task UserWithoutHealthRead_GetsNothingAndStartsNoSampling()
    {
        await using var sampler = Sampler();
        var nobody = new AcfPrincipal("nobody", []);
        var received = new Received();

        var handle = await sampler.WatchAsync(nobody, received.Take);
        _time.Advance(LiveSampler.Interval * 3);

        Assert.Null(handle);
        Assert.False(sampler.IsSampling);
        Assert.Equal(0, sampler.Runs);
        Assert.Equal(0, received.Count);
        Assert.False(_host.Access.MayRun(nobody, "alpine-baselayout", "health", "live"));
    }

    [Fact]
    public async Task LastDashboardCloses_SamplingStops_NoMoreRuns()
    {
        await using var sampler = Sampler();
        var first = await sampler.WatchAsync(ModuleTestHost.User, _ => { });
        var second = await sampler.WatchAsync(ModuleTestHost.Admin, _ => { });

        first!.Dispose();
        Assert.True(sampler.IsSampling, "one dashboard is still open");
        second!.Dispose();
        var runs = sampler.Runs;
        _time.Advance(LiveSampler.Interval * 5);

        Assert.False(sampler.IsSampling);
        Assert.Equal(runs, sampler.Runs);
    }
}
