using System.Runtime.InteropServices;

/// <summary>What Acf's IdleMemoryTrim does once a start or a burst is over, done once here 20 s after the start: one
/// aggressive collection and glibc's malloc_trim. Without it a floor's memory at rest would hold garbage that Acf's
/// does not, and the floor would read higher than the stack really is.</summary>
internal sealed class QuietTrim : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(20), stoppingToken);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        try
        {
            malloc_trim(0);
        }
        catch (EntryPointNotFoundException)
        {
            // not glibc: nothing to trim
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
