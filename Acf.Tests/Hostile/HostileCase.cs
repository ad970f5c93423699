using System.Security.Cryptography;

namespace Acf.Tests.Hostile;

/// <summary>What the hostile corpora share: header lines of a case, a snapshot of a root, a bound on a run.</summary>
internal static class HostileCase
{
    /// <summary>The values of the leading <c>-- key: value</c> comment lines.</summary>
    public static IReadOnlyList<string> Header(IEnumerable<string> lines, string key) =>
        lines.TakeWhile(l => l.StartsWith("--", StringComparison.Ordinal))
            .Select(l => l[2..].Trim())
            .Where(l => l.StartsWith(key + ":", StringComparison.Ordinal))
            .Select(l => l[(key.Length + 1)..].Trim())
            .ToList();

    /// <summary>Every file, folder and link under <paramref name="root"/> with a digest of its content or target.</summary>
    public static IReadOnlyList<string> Snapshot(string root) =>
        new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(e => Path.GetRelativePath(root, e.FullName) + " " + e switch
            {
                _ when e.LinkTarget is { } target => "-> " + target,
                DirectoryInfo => "/",
                FileInfo f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f.FullName))) + $" {(int)f.UnixFileMode}",
                _ => "?",
            })
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Waits for a run at most well past the runner's own watchdog (wall time + 5 s), so a case that the sandbox could
    /// not stop fails instead of hanging the suite.
    /// </summary>
    public static async Task<RunResult> Bounded(Task<RunResult> run, string name)
    {
        try
        {
            return await run.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"{name} was not stopped within 60 s: mark it '-- needs: worker'");
        }
    }
}
