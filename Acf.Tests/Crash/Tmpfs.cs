namespace Acf.Tests.Crash;

/// <summary>
/// A small tmpfs mounted for one test: a real disk that fills up, with the kernel's own ENOSPC (not a simulated one).
/// Dispose unmounts it, lazily when something still holds it (a process the test killed may not be reaped yet), so a
/// failing test never leaves a mount behind.
/// </summary>
public sealed class Tmpfs : IDisposable
{
    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="kib"/> KiB at <paramref name="path"/> (created when missing).</summary>
    public static Tmpfs Mount(string path, int kib)
    {
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={kib}k,mode=0755", "acf-test-tmpfs", path);
        return new Tmpfs(path);
    }

    /// <summary>
    /// Fills the disk with one filler file until the kernel answers "No space left on device"; returns its size. The
    /// filler is outside anything Acf reads (a name no module or recovery pattern knows).
    /// </summary>
    public long Fill()
    {
        var filler = System.IO.Path.Combine(Path, "zz-filler.bin");
        var chunk = new byte[4096];
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            while (true) stream.Write(chunk);
        }
        catch (IOException)
        {
            // full: what the test wants
        }
        // The last chunk may have been taken in part: no whole page is left either way.
        return stream.Length;
    }

    /// <summary>True when a one-byte file can no longer be written here.</summary>
    public bool IsFull()
    {
        var probe = System.IO.Path.Combine(Path, "zz-probe.bin");
        try
        {
            using (var stream = new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                stream.WriteByte(1);
                stream.Flush(flushToDisk: true);
            }
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        finally
        {
            File.Delete(probe);
        }
    }

    public void Dispose()
    {
        if (!TryRun("umount", Path)) TryRun("umount", "-l", Path);
    }

    private static void Run(params string[] argv)
    {
        if (!TryRun(argv, out var error)) Assert.Fail($"{string.Join(' ', argv)}: {error}");
    }

    private static bool TryRun(params string[] argv) => TryRun(argv, out _);

    private static bool TryRun(string[] argv, out string error)
    {
        var info = new ProcessStartInfo(argv[0]) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in argv.Skip(1)) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0;
    }
}
