using System.Runtime.InteropServices;

namespace Acf.Modules;

/// <summary>
/// Gives memory back once the app has been quiet for a while. After a burst (a page with many users, a 20,000-package
/// list) the GC keeps the heap it grew to, and on a 512 MB router that is memory the box cannot use for anything else
/// (issue 19: 60 s after a load none of ~90 MB came back). When no request and no circuit event arrived for
/// <see cref="Quiet"/>, and something did since the last trim, one aggressive collection compacts the heap and
/// returns the free parts to the system. An idle box pays for it once, a busy one never.
/// The native heap is trimmed too: glibc keeps what Kestrel, SignalR and the Lua states freed in its arenas (measured
/// with gdb after 50 closed circuits: <c>malloc_trim(0)</c> gave back 21 of 48 MB anonymous memory that the GC's
/// compaction could not reach). musl (Alpine) has no <c>malloc_trim</c> and returns freed pages itself.
/// Both long-lived processes run one: the app (touched by every request and circuit event, see Acf.Web's
/// <c>IdleCircuitActivity</c>) and the broker process (touched by every call that allocated much, see
/// <c>BrokerServer.BurstCallBytes</c>), which drops its parsed package indexes first (<see cref="BeforeTrim"/>): the
/// broker parses the indexes and reads the files the app's pages ask for, and 60 s after the bench's mixed load it held
/// 77 MB more than at rest, 22 MB of it live (the parsed 20,000-package index), the rest garbage and free heap it never
/// gave back.
/// </summary>
public sealed class IdleMemoryTrim(TimeProvider time, ILogger<IdleMemoryTrim> logger) : BackgroundService
{
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(10);

    private long _activity = 1; // the start itself is a burst: the first quiet period trims it
    private long _seen;
    private long _trimmed;

    private readonly List<Action> _releases = [];

    /// <summary>Something to let go of just before the collection, when the process has been quiet: a cache it need not
    /// keep at rest (the broker's parsed package indexes).</summary>
    public void BeforeTrim(Action release)
    {
        lock (_releases) _releases.Add(release);
    }

    /// <summary>Something happened (a request, a circuit event): the next quiet period counts from now.</summary>
    public void Touch() => Interlocked.Increment(ref _activity);

    /// <summary>One look, every <see cref="Quiet"/>: true when it trimmed.</summary>
    internal bool Tick()
    {
        var activity = Volatile.Read(ref _activity);
        if (activity != _seen)
        {
            _seen = activity; // busy during the last period: wait for a quiet one
            return false;
        }
        if (activity == _trimmed) return false; // nothing happened since the last trim
        _trimmed = activity;
        lock (_releases)
            foreach (var release in _releases) release();
        var before = GC.GetGCMemoryInfo().TotalCommittedBytes;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        TrimNativeHeap();
        logger.LogDebug("Idle: the managed heap went from {Before} to {After} bytes committed",
            before, GC.GetGCMemoryInfo().TotalCommittedBytes);
        return true;
    }

    private static bool _nativeTrimMissing = !OperatingSystem.IsLinux();

    /// <summary>glibc's <c>malloc_trim(0)</c>: free arena pages go back to the system. A no-op where the C library lacks it.</summary>
    private static void TrimNativeHeap()
    {
        if (_nativeTrimMissing) return;
        try
        {
            MallocTrim(0);
        }
        catch (EntryPointNotFoundException)
        {
            _nativeTrimMissing = true; // musl: nothing to trim, it unmaps freed pages on its own
        }
        catch (DllNotFoundException)
        {
            _nativeTrimMissing = true;
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Quiet, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) Tick();
        }
        catch (OperationCanceledException)
        {
            // the app stops
        }
    }
}
