using System.Runtime.InteropServices;

namespace Acf.Modules.Isolation;

/// <summary>
/// A child of the app (a worker, the broker the app started) ends at once when the app is gone, whichever way it
/// ended (a kill leaves no time to stop children): a thread notices that the parent changed. Not PR_SET_PDEATHSIG,
/// which fires when the thread that started the child ends, and .NET starts children from pool threads.
/// </summary>
internal static class ParentWatch
{
    public static void Start()
    {
        var parent = getppid();
        new Thread(() =>
        {
            while (getppid() == parent) Thread.Sleep(500);
            _exit(1);
        }) { IsBackground = true, Name = "acf parent watch" }.Start();
    }

    [DllImport("libc")]
    private static extern int getppid();

    [DllImport("libc")]
    private static extern void _exit(int status);
}
