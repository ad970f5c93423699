namespace Acf.Broker.Apk;

/// <summary>Installed packages for which an index holds a newer version (what <c>apk version -l '&lt;'</c> lists).</summary>
public static class ApkUpgrades
{
    public static IReadOnlyList<ApkPackage> Upgradable(ApkState state)
    {
        var newest = new Dictionary<string, ApkPackage>(StringComparer.Ordinal);
        foreach (var package in state.Available)
            if (!newest.TryGetValue(package.Name, out var known) || ApkVersion.Compare(package.Version, known.Version) > 0)
                newest[package.Name] = package;
        return state.Installed
            .Where(p => newest.TryGetValue(p.Name, out var candidate) && ApkVersion.Compare(candidate.Version, p.Version) > 0)
            .Select(p => newest[p.Name])
            .ToList();
    }
}
