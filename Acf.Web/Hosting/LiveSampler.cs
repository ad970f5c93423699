using Microsoft.Extensions.Logging;

namespace Acf.Web.Hosting;

/// <summary>One reading of <c>alpine-baselayout/health/live</c>, shared read-only by every open dashboard.</summary>
public sealed record LiveReading(CfeNode Entity, LiveSample Sample);

/// <summary>
/// The dashboard's live figures, sampled once per <see cref="Interval"/> for every open dashboard together (issue 19:
/// a timer per circuit ran the Lua action every 2 s per circuit, and 50 open dashboards took the workers from every
/// other request). The timer runs only while at least one dashboard watches; the readings go to each watcher as they
/// are, read-only. Authorisation stays per user: only a user whose roles grant <c>health/live</c> can watch, checked
/// again before each reading is handed over, and the action runs as one of those users, as it did per circuit.
/// </summary>
public sealed class LiveSampler(ModuleRunner runner, ModuleAccess access, TimeProvider time, ILogger<LiveSampler> logger) : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private const string Module = "alpine-baselayout", Controller = "health", Action = "live";

    private readonly Lock _gate = new();
    private readonly List<Watcher> _watchers = [];
    private ITimer? _timer;
    private Task? _running;
    private long _runs;

    /// <summary>The latest reading, or null before the first (or when the action failed so far).</summary>
    public LiveReading? Latest { get; private set; }

    /// <summary>How many times the action ran (the cost this class exists to bound; read by tests and the bench).</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>The run in progress, or a completed task. A run delivers its reading before it ends, and a tick that
    /// comes in between is skipped: tests that drive the clock wait for this before the next tick.</summary>
    internal Task RunGoing
    {
        get
        {
            lock (_gate) return _running ?? Task.CompletedTask;
        }
    }

    /// <summary>True while the timer runs (some dashboard watches).</summary>
    public bool IsSampling
    {
        get
        {
            lock (_gate) return _timer is not null;
        }
    }

    /// <summary>
    /// Starts watching for <paramref name="user"/>: <paramref name="onReading"/> gets a reading at once (the latest
    /// when it is fresh, else a new one) and then one per interval, until the returned handle is disposed. Null, and
    /// nothing ever delivered, when the user's roles do not grant the action.
    /// </summary>
    public async Task<IDisposable?> WatchAsync(AcfPrincipal user, Action<LiveReading> onReading)
    {
        if (!access.MayRun(user, Module, Controller, Action)) return null;
        var watcher = new Watcher(this, user, onReading);
        lock (_gate)
        {
            _watchers.Add(watcher);
            _timer ??= time.CreateTimer(_ => Tick(), null, Interval, Interval);
        }
        if (Latest is { } latest && time.GetUtcNow() - latest.Sample.At < Interval) watcher.Deliver(latest);
        else await SampleOnceAsync();
        return watcher;
    }

    /// <summary>A tick that finds the previous run still going (a loaded box) is skipped, so runs never pile up.</summary>
    private void Tick()
    {
        lock (_gate)
            if (_running is { IsCompleted: false }) return;
        _ = SampleOnceAsync();
    }

    /// <summary>One run for everybody: a caller that comes while a run is going waits for that run instead.</summary>
    private Task SampleOnceAsync()
    {
        lock (_gate)
        {
            if (_running is { IsCompleted: false } running) return running;
            return _running = Task.Run(SampleAsync); // off the caller's circuit: the readings go to every circuit
        }
    }

    private async Task SampleAsync()
    {
        Watcher[] watchers;
        lock (_gate) watchers = [.. _watchers];
        // Each watcher's roles are checked again now (an admin may have changed them): who may not, gets nothing.
        var allowed = watchers.Where(w => access.MayRun(w.User, Module, Controller, Action)).ToList();
        if (allowed.Count == 0) return;
        Interlocked.Increment(ref _runs);
        RunResult result;
        try
        {
            result = await runner.RunAsync(allowed[0].User, Module, Controller, Action, ModuleInput.Empty);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning("The dashboard's live sample failed: {Error}", e.Message);
            return;
        }
        if (result.Status != RunStatus.Ok) return;
        var reading = new LiveReading(result.Entity!, LiveSample.From(result.Entity!, time.GetUtcNow()));
        Latest = reading;
        foreach (var watcher in allowed) watcher.Deliver(reading);
    }

    private void Leave(Watcher watcher)
    {
        ITimer? stopped = null;
        lock (_gate)
        {
            _watchers.Remove(watcher);
            if (_watchers.Count == 0) (stopped, _timer) = (_timer, null);
        }
        stopped?.Dispose();
    }

    private void LogRefused(Exception e) => logger.LogWarning("A dashboard did not take its live sample: {Error}", e.Message);

    public async ValueTask DisposeAsync()
    {
        ITimer? timer;
        lock (_gate) (timer, _timer) = (_timer, null);
        if (timer is not null) await timer.DisposeAsync();
    }

    private sealed class Watcher(LiveSampler owner, AcfPrincipal user, Action<LiveReading> onReading) : IDisposable
    {
        public AcfPrincipal User => user;

        public void Deliver(LiveReading reading)
        {
            try
            {
                onReading(reading);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                owner.LogRefused(e); // the others still get theirs
            }
        }

        public void Dispose() => owner.Leave(this);
    }
}
