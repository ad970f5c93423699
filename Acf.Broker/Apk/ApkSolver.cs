namespace Acf.Broker.Apk;

/// <summary>
/// A small stand-in for apk's solver, for the demo host: the packages world needs, found by name and by what
/// packages provide (<c>p:</c>, e.g. <c>so:libfoo.so.1</c>, <c>cmd:foo</c>), keeping installed versions unless
/// upgrading, and adding install-if packages (<c>i:</c>) once what they name is there. Conflicts (<c>!name</c>),
/// provider priorities and repository tags are not weighed and there is no backtracking: the demo's index is
/// consistent, and apk itself decides on a real system.
/// </summary>
internal sealed class ApkSolver
{
    private readonly Dictionary<string, ApkPackage> _installed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ApkPackage>> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Provider>> _providers = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _installIfNames = new(StringComparer.Ordinal);

    private readonly record struct Provider(ApkPackage Package, string? Version);

    /// <summary>A dependency nothing satisfies, and who asked for it (<c>world[foo]</c>, <c>bar-1.0-r0[foo]</c>).</summary>
    public sealed record Unsatisfied(ApkDependency Dependency, string RequiredBy, bool NoSuchPackage);

    public sealed record Solution(IReadOnlyDictionary<string, ApkPackage> Selected, IReadOnlyList<Unsatisfied> Unsatisfied);

    public ApkSolver(IReadOnlyList<ApkPackage> installed, IReadOnlyList<ApkPackage> available)
    {
        foreach (var p in installed) _installed[p.Name] = p;
        var seen = new HashSet<(string, string)>();
        foreach (var p in available.Concat(installed))
        {
            if (!seen.Add((p.Name, p.Version))) continue;
            Add(_byName, p.Name, p);
            if (ApkInstallIf.Of(p).Count > 0) _installIfNames.Add(p.Name);
            foreach (var provided in p.Provides)
            {
                var dep = ApkDependency.Parse(provided);
                Add(_providers, dep.Name, new Provider(p, dep.Version));
            }
        }
        foreach (var list in _byName.Values) list.Sort((a, b) => ApkVersion.Compare(b.Version, a.Version));
    }

    private static void Add<T>(Dictionary<string, List<T>> index, string key, T value)
    {
        if (!index.TryGetValue(key, out var list)) index[key] = list = [];
        list.Add(value);
    }

    /// <summary>Whether any package has this name or provides it.</summary>
    public bool Knows(string name) => _byName.ContainsKey(name) || _providers.ContainsKey(name);

    /// <summary>
    /// Everything <paramref name="world"/> needs, by package name. An installed package stays at its version when
    /// it satisfies, unless <paramref name="upgrade"/> says its name may move: then the newest that satisfies is taken.
    /// </summary>
    public Solution Solve(IEnumerable<string> world, Func<string, bool>? upgrade = null)
    {
        upgrade ??= static _ => false;
        var selected = new Dictionary<string, ApkPackage>(StringComparer.Ordinal);
        var provided = new Dictionary<string, List<Provider>>(StringComparer.Ordinal);
        var unsatisfied = new List<Unsatisfied>();
        var pending = new Queue<(ApkDependency Dependency, string RequiredBy)>();
        foreach (var entry in world) pending.Enqueue((ApkDependency.Parse(entry), $"world[{entry}]"));

        void Select(ApkPackage pick)
        {
            selected[pick.Name] = pick;
            foreach (var p in pick.Provides)
            {
                var providedDep = ApkDependency.Parse(p);
                Add(provided, providedDep.Name, new Provider(pick, providedDep.Version));
            }
            foreach (var d in pick.Depends) pending.Enqueue((ApkDependency.Parse(d), $"{pick.Name}-{pick.Version}[{d}]"));
        }

        bool changed;
        do
        {
            while (pending.TryDequeue(out var item))
            {
                var (dep, requiredBy) = item;
                if (dep.Conflict || IsSatisfied(dep, selected, provided)) continue;
                var pick = Choose(dep, upgrade);
                if (pick is null || selected.ContainsKey(pick.Name))
                {
                    unsatisfied.Add(new Unsatisfied(dep, requiredBy, NoSuchPackage: !Knows(dep.Name)));
                    continue;
                }
                Select(pick);
            }

            // install-if: a package comes by itself once all it names are there (foo-openrc with openrc and foo).
            changed = false;
            foreach (var name in _installIfNames)
            {
                if (selected.ContainsKey(name)) continue;
                var pick = Choose(new ApkDependency(name, ApkVersionOp.Any, null, null, false), upgrade);
                if (pick is null) continue;
                var condition = ApkInstallIf.Of(pick);
                if (condition.Count == 0 || !condition.All(c => IsSatisfied(ApkDependency.Parse(c), selected, provided))) continue;
                Select(pick);
                changed = true;
            }
        }
        while (changed || pending.Count > 0);
        return new Solution(selected, unsatisfied);
    }

    /// <summary>
    /// Finds, among <paramref name="selected"/>, the package that satisfies a dependency (by name, then by what it
    /// provides); the provided names are indexed once, so that ordering a large transaction stays linear.
    /// </summary>
    public static Func<ApkDependency, ApkPackage?> ResolverFor(IReadOnlyDictionary<string, ApkPackage> selected)
    {
        var provided = new Dictionary<string, List<Provider>>(StringComparer.Ordinal);
        foreach (var p in selected.Values)
            foreach (var text in p.Provides)
            {
                var pd = ApkDependency.Parse(text);
                Add(provided, pd.Name, new Provider(p, pd.Version));
            }
        return dep =>
        {
            if (selected.TryGetValue(dep.Name, out var byName) && dep.AcceptsVersion(byName.Version)) return byName;
            return provided.TryGetValue(dep.Name, out var providers) ? providers.Find(pr => dep.AcceptsVersion(pr.Version)).Package : null;
        };
    }

    private static bool IsSatisfied(ApkDependency dep, Dictionary<string, ApkPackage> selected, Dictionary<string, List<Provider>> provided) =>
        (selected.TryGetValue(dep.Name, out var p) && dep.AcceptsVersion(p.Version))
        || (provided.TryGetValue(dep.Name, out var providers) && providers.Exists(pr => dep.AcceptsVersion(pr.Version)));

    private ApkPackage? Choose(ApkDependency dep, Func<string, bool> upgrade)
    {
        if (!upgrade(dep.Name) && _installed.TryGetValue(dep.Name, out var installed) && dep.AcceptsVersion(installed.Version)) return installed;
        if (_byName.TryGetValue(dep.Name, out var byName) && byName.Find(p => dep.AcceptsVersion(p.Version)) is { } newest) return newest;
        if (!_providers.TryGetValue(dep.Name, out var providers)) return null;
        var fitting = providers.Where(pr => dep.AcceptsVersion(pr.Version)).Select(pr => pr.Package).ToList();
        if (fitting.Count == 0) return null;

        // A provider already installed keeps providing (at its installed version, or its newest that still provides
        // the name when upgrading); otherwise the first by name, newest first.
        var installedProvider = fitting.FirstOrDefault(p => _installed.TryGetValue(p.Name, out var i) && i.Version == p.Version);
        if (installedProvider is not null)
        {
            if (!upgrade(installedProvider.Name)) return installedProvider;
            return fitting.Where(p => p.Name == installedProvider.Name).OrderByDescending(p => p.Version, VersionOrder.Instance).First();
        }
        return fitting.OrderBy(p => p.Name, StringComparer.Ordinal).ThenByDescending(p => p.Version, VersionOrder.Instance).First();
    }

    /// <summary>apk's version order as a comparer.</summary>
    public sealed class VersionOrder : IComparer<string>
    {
        public static readonly VersionOrder Instance = new();

        public int Compare(string? x, string? y) => ApkVersion.Compare(x ?? "", y ?? "");
    }
}
