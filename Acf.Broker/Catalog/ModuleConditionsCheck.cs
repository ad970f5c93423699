using Acf.Broker;

namespace Acf.Broker.Catalog;

/// <summary>
/// Decides whether a module is shown on this host (its manifest's conditions). It asks the broker as the host
/// itself, so it sees the same root the modules do; answers are cached briefly because the menu asks on every page.
/// </summary>
public sealed class ModuleConditionsCheck(SystemHost host, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private readonly Lock _gate = new();
    private (DateTimeOffset At, HashSet<string> Packages)? _installed;

    public bool IsAvailable(ModuleManifest module)
    {
        var conditions = module.Conditions;
        foreach (var path in conditions.PathExists)
        {
            var resolved = RootedPath.Resolve(host.Root, path);
            if (!File.Exists(resolved.HostPath) && !Directory.Exists(resolved.HostPath)) return false;
        }
        return conditions.PackageInstalled.Count == 0 || conditions.PackageInstalled.All(InstalledPackages().Contains);
    }

    /// <summary>Package names from apk's installed database (<c>P:</c> lines).</summary>
    private HashSet<string> InstalledPackages()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_installed is { } cached && now - cached.At < CacheFor) return cached.Packages;
            var db = RootedPath.Resolve(host.Root, "/lib/apk/db/installed").HostPath;
            var names = File.Exists(db)
                ? File.ReadLines(db).Where(l => l.StartsWith("P:", StringComparison.Ordinal)).Select(l => l[2..]).ToHashSet(StringComparer.Ordinal)
                : [];
            _installed = (now, names);
            return names;
        }
    }
}
