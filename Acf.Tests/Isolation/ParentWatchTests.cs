namespace Acf.Tests.Isolation;

/// <summary>
/// A worker ends when the app that started it is gone, even while nothing closes its pipes (a worker stuck inside a C
/// call never reads them): a kill leaves the app no time to stop its children, and <c>ParentWatch</c> notices that the
/// worker's parent changed. The crash tests kill the real app; here the parent is a stand-in whose pipes the test keeps
/// open, so only the watch can end the worker.
/// </summary>
public sealed class ParentWatchTests
{
    [Fact]
    public async Task Worker_ParentKilledPipesStillOpen_Ends()
    {
        var pidFile = Path.Combine(Directory.CreateTempSubdirectory("acf-parent-").FullName, "worker.pid");
        var launch = WorkerLaunch.Default();
        // The stand-in app: a shell that starts the worker on its own stdin and stdout (this test's pipes) and waits
        // (fd 3: a background command's stdin would be /dev/null otherwise).
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            Environment = { ["ACF_PID_FILE"] = pidFile },
        };
        foreach (var argument in (string[])["-c", "exec 3<&0; \"$@\" <&3 3<&- & echo $! > \"$ACF_PID_FILE\"; exec 3<&-; wait", "sh", launch.FileName, .. launch.Arguments])
            info.ArgumentList.Add(argument);
        using var parent = Process.Start(info)!;
        var worker = 0;
        try
        {
            using (var ready = WorkerFrame.Read(parent.StandardOutput.BaseStream))
                Assert.Equal(WorkerFrame.Ready, ready?.Kind); // the worker serves: it reads the pipe the test holds open
            worker = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(IsRunning(worker));

            parent.Kill(entireProcessTree: false);
            await parent.WaitForExitAsync();

            var until = Stopwatch.StartNew();
            while (IsRunning(worker) && until.Elapsed < TimeSpan.FromSeconds(15)) await Task.Delay(100);
            Assert.False(IsRunning(worker), "the worker still runs after its parent was killed");
        }
        finally
        {
            if (worker > 0 && IsRunning(worker))
            {
                using var left = Process.GetProcessById(worker);
                left.Kill();
            }
            if (!parent.HasExited) parent.Kill(entireProcessTree: true);
            Directory.Delete(Path.GetDirectoryName(pidFile)!, recursive: true);
        }
    }

    /// <summary>Running: its <c>/proc</c> entry is there and it is no zombie (nothing may reap an orphan here).</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0] != "Z";
        }
        catch (IOException)
        {
            return false;
        }
    }
}
