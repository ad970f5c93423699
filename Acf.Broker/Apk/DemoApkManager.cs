namespace Acf.Broker.Apk;

/// <summary>
/// apk on the demo host: the state is read from the demo root's real files, and <c>add</c>, <c>del</c>,
/// <c>update</c> and <c>upgrade</c> are resolved against the cached demo APKINDEX and written back to
/// <c>/lib/apk/db/installed</c> and <c>/etc/apk/world</c> in apk's own formats, with apk's messages. No process runs
/// and nothing outside the root is touched; each write replaces the file atomically.
/// </summary>
internal sealed class DemoApkManager(SystemHost host, TimeProvider time) : IPackageManager
{
    private const string DefaultArch = "x86_64";

    // apk keeps these lines of an installed package (replaces, priority, tag, flags and its files) when it upgrades;
    // the demo has no new file list to write, so the old one stays with the new version.
    private static readonly string[] InstalledOnlyFields = ["r:", "q:", "s:", "f:", "F:", "M:", "R:", "a:", "Z:"];

    private readonly ApkStateReader _reader = new(host);
    private readonly Lock _gate = new();

    public ApkState ReadState() => _reader.Read();

    public void ForgetParsed() => _reader.Forget();

    public ExecResult Run(ApkVerb verb, IReadOnlyList<string> packages, Action<string>? progress = null)
    {
        var output = new ApkOutput(progress);
        if (ApkRequestCheck.Refusal(verb, packages) is { } refusal)
        {
            output.Error(refusal);
            return output.Result(1);
        }
        lock (_gate)
        {
            var status = verb switch
            {
                ApkVerb.Add => Add(packages, output),
                ApkVerb.Del => Del(packages, output),
                ApkVerb.Update => Update(output),
                _ => Upgrade(packages, output),
            };
            return output.Result(status);
        }
    }

    private int Add(IReadOnlyList<string> packages, ApkOutput output)
    {
        var txn = Transaction.Load(host.Root, _reader);
        var world = txn.World.ToList();
        foreach (var entry in packages)
        {
            var name = ApkDependency.Parse(entry).Name;
            world.RemoveAll(w => ApkDependency.Parse(w).Name == name);
            world.Add(entry);
        }
        return Commit(txn, world, upgrade: null, deleted: [], output);
    }

    private int Del(IReadOnlyList<string> packages, ApkOutput output)
    {
        var txn = Transaction.Load(host.Root, _reader);
        var solver = txn.Solver();
        var world = txn.World.ToList();
        var errors = 0;
        var deleted = new List<string>();
        foreach (var entry in packages)
        {
            var name = ApkDependency.Parse(entry).Name;
            if (!solver.Knows(name) && world.TrueForAll(w => ApkDependency.Parse(w).Name != name))
            {
                output.Error($"ERROR: No such package: {entry}");
                errors++;
                continue;
            }
            world.RemoveAll(w => ApkDependency.Parse(w).Name == name);
            deleted.Add(name);
        }
        return errors > 0 ? errors : Commit(txn, world, upgrade: null, deleted, output);
    }

    private int Upgrade(IReadOnlyList<string> packages, ApkOutput output)
    {
        var txn = Transaction.Load(host.Root, _reader);
        var only = packages.Select(p => ApkDependency.Parse(p).Name).ToHashSet(StringComparer.Ordinal);
        return Commit(txn, txn.World, upgrade: name => only.Count == 0 || only.Contains(name), deleted: [], output);
    }

    private int Update(ApkOutput output)
    {
        var repositories = ApkRepositories.Parse(ApkFiles.ReadText(host.Root, ApkFiles.Repositories));
        var arch = ApkFiles.ReadText(host.Root, ApkFiles.Arch).Trim() is { Length: > 0 } a ? a : DefaultArch;
        var files = _reader.IndexFiles(repositories);
        var lines = new List<string>();
        var unavailable = 0;
        foreach (var line in repositories)
        {
            if (ApkRepositories.UrlOf(line) is not { } url) continue;
            output.Line($"fetch {url.TrimEnd('/')}/{arch}/APKINDEX.tar.gz");
            var file = files.Find(f => f.Repository == line);
            if (file is null || _reader.ReadIndex(file.HostPath) is not { } index)
            {
                output.Error($"WARNING: updating and opening {url}: network unavailable on the demo host");
                unavailable++;
                continue;
            }
            File.SetLastWriteTimeUtc(file.HostPath, time.GetUtcNow().UtcDateTime); // as if fetched just now
            if (index.Description is { Length: > 0 } description) lines.Add($"{description} [{url}]");
        }
        foreach (var line in lines) output.Line(line);
        var distinct = _reader.Read().Available.Count;
        output.Line(unavailable > 0
            ? $"{unavailable} unavailable, 0 stale; {distinct} distinct packages available"
            : $"OK: {distinct} distinct packages available");
        return unavailable;
    }

    /// <summary>
    /// Solves the new world, prints what changes as apk does, and writes the installed database and world when they
    /// change. On an unsatisfiable world nothing is written and the status is 1.
    /// </summary>
    private int Commit(Transaction txn, IReadOnlyList<string> world, Func<string, bool>? upgrade, List<string> deleted, ApkOutput output)
    {
        var solution = txn.Solver().Solve(world, upgrade);
        if (solution.Unsatisfied.Count > 0)
        {
            output.Error("ERROR: unable to select packages:");
            foreach (var group in solution.Unsatisfied.GroupBy(u => u.Dependency.Name))
            {
                var first = group.First();
                output.Error(first.NoSuchPackage ? $"  {group.Key} (no such package):" : $"  {group.Key}:");
                output.Error($"    {(first.NoSuchPackage ? "required by" : "breaks")}: {string.Join(' ', group.Select(u => u.RequiredBy).Distinct())}");
            }
            return 1;
        }
        var selected = solution.Selected;
        NotRemoved(deleted, world, selected, output);

        var changes = Changes(txn.Installed, selected);
        var n = 0;
        foreach (var change in changes)
        {
            n++;
            output.Line(change.Old is null ? $"({n}/{changes.Count}) Installing {change.Package.Name} ({change.Package.Version})"
                : change.New is null ? $"({n}/{changes.Count}) Purging {change.Package.Name} ({change.Package.Version})"
                : $"({n}/{changes.Count}) {(ApkVersion.Compare(change.New.Version, change.Old.Version) < 0 ? "Downgrading" : "Upgrading")} {change.Package.Name} ({change.Old.Version} -> {change.New.Version})");
        }

        if (changes.Count > 0) ApkFiles.ReplaceText(host.Root, ApkFiles.Installed, txn.InstalledText(changes));
        var worldText = ApkWorld.Format(world);
        if (worldText != ApkFiles.ReadText(host.Root, ApkFiles.World)) ApkFiles.ReplaceText(host.Root, ApkFiles.World, worldText);

        var mib = selected.Values.Sum(p => p.InstalledSize) / (1024 * 1024);
        output.Line($"OK: {mib} MiB in {selected.Count} packages");
        return 0;
    }

    /// <summary>apk's note when a package named in <c>del</c> stays because other world entries need it.</summary>
    private static void NotRemoved(List<string> deleted, IReadOnlyList<string> world, IReadOnlyDictionary<string, ApkPackage> selected, ApkOutput output)
    {
        var kept = deleted.Where(selected.ContainsKey).Distinct().ToList();
        if (kept.Count == 0) return;
        var worldNames = world.Select(w => ApkDependency.Parse(w).Name).ToHashSet(StringComparer.Ordinal);
        output.Line("World updated, but the following packages are not removed due to:");
        foreach (var name in kept)
        {
            var needers = RequiredBy(selected[name], selected).Where(p => worldNames.Contains(p.Name)).Select(p => p.Name).Order(StringComparer.Ordinal);
            output.Line($"  {name}: {string.Join(' ', needers)}");
        }
        output.Line("");
    }

    /// <summary>Every selected package that needs <paramref name="target"/>, directly or through others.</summary>
    private static HashSet<ApkPackage> RequiredBy(ApkPackage target, IReadOnlyDictionary<string, ApkPackage> selected)
    {
        var resolve = ApkSolver.ResolverFor(selected);
        var found = new HashSet<ApkPackage>();
        var pending = new Stack<ApkPackage>([target]);
        while (pending.TryPop(out var current))
            foreach (var p in selected.Values)
                if (!found.Contains(p) && p.Depends.Any(d => resolve(ApkDependency.Parse(d)) == current))
                {
                    found.Add(p);
                    pending.Push(p);
                }
        return found;
    }

    /// <summary>
    /// What changes, in the order apk reports it: removals first (a package before what it depended on), then
    /// installs and upgrades (a package after what it depends on), each group by name otherwise.
    /// </summary>
    private static List<Change> Changes(IReadOnlyList<ApkPackage> installed, IReadOnlyDictionary<string, ApkPackage> selected)
    {
        var installedByName = installed.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var removals = installed.Where(p => !selected.ContainsKey(p.Name)).ToList();
        var removalOrder = DependencyOrder(removals, installedByName);
        removalOrder.Reverse();
        var incoming = selected.Values
            .Where(p => !installedByName.TryGetValue(p.Name, out var old) || old.Version != p.Version)
            .ToList();
        var changes = removalOrder.Select(p => new Change(p, p, null)).ToList();
        foreach (var p in DependencyOrder(incoming, selected))
            changes.Add(new Change(p, installedByName.GetValueOrDefault(p.Name), p));
        return changes;
    }

    /// <summary><paramref name="packages"/> with each after the ones (among them) it depends on.</summary>
    private static List<ApkPackage> DependencyOrder(List<ApkPackage> packages, IReadOnlyDictionary<string, ApkPackage> universe)
    {
        var wanted = packages.ToHashSet();
        var resolve = ApkSolver.ResolverFor(universe);
        var done = new HashSet<ApkPackage>();
        var order = new List<ApkPackage>();
        void Visit(ApkPackage p, HashSet<ApkPackage> path)
        {
            if (done.Contains(p) || !path.Add(p)) return; // a dependency cycle is broken where it is met
            foreach (var d in p.Depends)
                if (resolve(ApkDependency.Parse(d)) is { } dep && wanted.Contains(dep))
                    Visit(dep, path);
            path.Remove(p);
            done.Add(p);
            order.Add(p);
        }
        foreach (var p in packages.OrderBy(p => p.Name, StringComparer.Ordinal)) Visit(p, []);
        return order;
    }

    /// <summary>One line of the transaction: an install (no old), a removal (no new), or an up- or downgrade.</summary>
    private sealed record Change(ApkPackage Package, ApkPackage? Old, ApkPackage? New);

    /// <summary>What a run starts from: the installed database (parsed, and as records), world and the indexes.</summary>
    private sealed class Transaction
    {
        private readonly string _root;
        private readonly ApkStateReader _reader;

        private Transaction(string root, ApkStateReader reader, ApkState state, List<ApkRecord> records)
        {
            _root = root;
            _reader = reader;
            Installed = state.Installed;
            World = state.World;
            Available = state.Available;
            Repositories = state.Repositories;
            Records = records;
        }

        public IReadOnlyList<ApkPackage> Installed { get; }
        public IReadOnlyList<string> World { get; }
        public IReadOnlyList<ApkPackage> Available { get; }
        public IReadOnlyList<string> Repositories { get; }
        public List<ApkRecord> Records { get; }

        public static Transaction Load(string root, ApkStateReader reader)
        {
            var state = reader.Read();
            var path = ApkFiles.HostPath(root, ApkFiles.Installed);
            List<ApkRecord> records = [];
            if (File.Exists(path))
            {
                using var stream = ApkFiles.OpenRead(path);
                records = ApkRecord.ReadAll(stream).ToList();
            }
            return new Transaction(root, reader, state, records);
        }

        private ApkSolver? _solver;

        /// <summary>One solver per run: indexing a large index's names and provides is the costly part.</summary>
        public ApkSolver Solver() => _solver ??= new ApkSolver(Installed, Available);

        /// <summary>
        /// The installed database after the changes: untouched records as they were, removed and replaced ones
        /// dropped, new ones appended in install order with every field of their APKINDEX record (as apk adds a
        /// package at the end of its list when it installs it).
        /// </summary>
        public string InstalledText(IReadOnlyList<Change> changes)
        {
            var leaving = changes.Where(c => c.Old is not null).Select(c => (c.Old!.Name, c.Old.Version)).ToHashSet();
            var arriving = changes.Where(c => c.New is not null).Select(c => c.New!).ToList();
            var fromIndex = IndexRecords(arriving.Select(p => (p.Name, p.Version)).ToHashSet());
            var text = new StringBuilder();
            var kept = new Dictionary<string, ApkRecord>(StringComparer.Ordinal);
            foreach (var record in Records)
            {
                if (leaving.Contains((record.Name, record.Version))) kept[record.Name] = record;
                else record.WriteTo(text);
            }
            foreach (var p in arriving)
            {
                if (!fromIndex.TryGetValue((p.Name, p.Version), out var indexRecord))
                    throw new InvalidOperationException($"{p.Name}-{p.Version} is in no index under {_root}.");
                var lines = new List<string>(indexRecord.Lines);
                if (kept.TryGetValue(p.Name, out var old))
                    lines.AddRange(old.Lines.Where(l => InstalledOnlyFields.Any(f => l.StartsWith(f, StringComparison.Ordinal))));
                new ApkRecord(p.Name, p.Version, lines).WriteTo(text);
            }
            return text.ToString();
        }

        private Dictionary<(string, string), ApkRecord> IndexRecords(HashSet<(string, string)> wanted)
        {
            var found = new Dictionary<(string, string), ApkRecord>();
            foreach (var file in _reader.IndexFiles(Repositories))
            {
                if (found.Count == wanted.Count) break;
                foreach (var record in ApkIndexArchive.ReadRecords(file.HostPath, wanted))
                    found.TryAdd((record.Name, record.Version), record);
            }
            return found;
        }
    }
}
