namespace Acf.Tests.Lab;

/// <summary>Waiting for a state of lab nodes, which their daemons and kernels reach in their own time with no event
/// to wait on: the state is looked at again and again until it holds or the time is up.</summary>
internal static class LabWait
{
    /// <summary>
    /// Looks at <paramref name="condition"/> every <paramref name="every"/> until it holds; after
    /// <paramref name="seconds"/>, fails naming <paramref name="what"/> with what <paramref name="diagnostics"/> says.
    /// </summary>
    public static void Until(Func<bool> condition, string what, int seconds, TimeSpan every, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited {seconds} s in vain for {what}.\n{diagnostics()}");
            Thread.Sleep(every);
        }
    }
}
